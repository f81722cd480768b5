import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import type { StatementOutcome } from '../../src/drivers/mysql/resultShapes';
import { MySqlProfile } from '../../src/drivers/types';
import { CollectedRows, need, pinnedHostKey, TIMEOUT_MS } from './env';
import { StallingProxy } from './stallingProxy';
import { eventually } from '../eventually';

/**
 * A MySQL server that stops answering (a proxy in front of the real one stops forwarding: no reset, no bytes) and a
 * query that outlives the query timeout: every operation ends with an error naming the server and what it was doing,
 * Cancel ends a stalled statement, and once the server answers again the session works on new connections.
 */

const url = new URL(need('MYSQL_URL'));
const DB = 'sbtest_stall';
const TIMEOUT = 1500;
let raw: Connection;
let proxy: StallingProxy;
let session: MySqlSession;

before(async () => {
  raw = await createConnection({ host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), multipleStatements: true });
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}; CREATE TABLE ${DB}.t (id INT PRIMARY KEY, v VARCHAR(10)); INSERT INTO ${DB}.t VALUES (1, 'one');`);
  proxy = await StallingProxy.start(Number(url.port));
  const profile: MySqlProfile = { id: 's', name: 'stalling', kind: 'mysql', host: '127.0.0.1', port: proxy.port, username: decodeURIComponent(url.username), database: DB, tls: false, readOnly: false };
  session = await driver.connect(profile, { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, replyTimeoutMs: TIMEOUT, hostKeys: pinnedHostKey('x AAAA') });
});

after(async () => {
  proxy.resume();
  await session.close();
  await proxy.close();
  await raw.query(`DROP DATABASE IF EXISTS ${DB}`);
  await raw.end();
});

const endpoint = (): string => `127.0.0.1:${proxy.port}`;

async function run(sql: string, signal?: AbortSignal, timeoutMs?: number): Promise<{ outcome: StatementOutcome; rows: unknown; seconds: number }> {
  const runner = await session.openRun(DB);
  try {
    const started = Date.now();
    const sink = new CollectedRows();
    const outcome = await runner.run({ text: sql, start: 0, end: sql.length, line: 0 }, sink, { maxRows: 10, ...(signal ? { signal } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
    return { outcome, rows: sink.cells(), seconds: (Date.now() - started) / 1000 };
  } finally {
    runner.close();
  }
}

test('mysql stall: a statement on a server that stops answering fails naming the server and the statement, and the next one runs once it answers', async () => {
  const runner = await session.openRun(DB);
  try {
    proxy.stall();
    const sink = new CollectedRows();
    const outcome = await runner.run({ text: 'SELECT v FROM t', start: 0, end: 15, line: 0 }, sink, { maxRows: 10 });
    assert.equal(outcome.error?.code, 'TIMEOUT');
    assert.match(outcome.error?.message ?? '', new RegExp(`MySQL at ${endpoint()} sent nothing for 1.5 s while running "SELECT v FROM t", so it was stopped and its connection dropped`));
    proxy.resume();
    // The same run goes on, on a new connection with its database chosen again.
    const again = new CollectedRows();
    const next = await runner.run({ text: 'SELECT v FROM t', start: 0, end: 15, line: 0 }, again, { maxRows: 10 });
    assert.equal(next.error, undefined, next.error?.message);
    assert.deepEqual(again.cells(), [[['one']]]);
  } finally {
    proxy.resume();
    runner.close();
  }
});

test('mysql stall: Cancel ends a statement on a stalled server: KILL QUERY cannot get through, so the connection is dropped', async () => {
  const runner = await session.openRun(DB);
  try {
    proxy.stall();
    const controller = new AbortController();
    const cancelled = runner.run({ text: 'SELECT v FROM t', start: 0, end: 15, line: 0 }, new CollectedRows(), { maxRows: 10, signal: controller.signal, timeoutMs: 600_000 });
    // Cancel once the statement has reached the stalled server, not before it was sent.
    await proxy.holdsData();
    controller.abort();
    const outcome = await cancelled;
    assert.equal(outcome.error?.code, 'DROPPED');
    assert.match(outcome.error?.message ?? '', new RegExp(`cancelled, and MySQL at ${endpoint()} did not stop it within 2 s, so its connection was dropped`));
  } finally {
    proxy.resume();
    runner.close();
  }
  assert.deepEqual((await run('SELECT 1')).rows, [[['1']]]);
});

test('mysql stall: schema reads, listings, row saves, exports and ORM queries end too, each naming what it was doing', async () => {
  const read = await run('SELECT id, v FROM t');
  const columns = (await session.openRun(DB).then(async (r) => {
    const sink = new CollectedRows();
    await r.run({ text: 'SELECT id, v FROM t', start: 0, end: 19, line: 0 }, sink, { maxRows: 10 });
    r.close();
    return sink.columnSets[0]!;
  }));
  const target = (await session.editTarget(columns))!;
  const edits = session.editStatements(target, [{ kind: 'update', row: 0, original: (read.rows as string[][][])[0]![0]!, values: { 1: 'two' } }]);
  await session.forget(DB);
  proxy.stall();
  try {
    // The export comes first, on a connection the pool already holds: it stalls in its set-up (USE), not in connecting.
    const operations: readonly [string, () => Promise<unknown>, RegExp][] = [
      ['an export', () => session.export('SELECT * FROM t', new PassThrough(), { format: 'csv', database: DB }), /sent nothing for 1.5 s while starting an export/],
      ['listing the databases', () => session.databases(), /sent nothing for 1.5 s while listing the databases/],
      ['reading the schema', () => session.schema(DB), /sent nothing for 1.5 s while reading the schema of sbtest_stall/],
      ['the server version', () => session.describe(), /while reading the server version/],
      ['saving row edits', () => session.applyStatements(edits), /while saving 1 row edit/],
      ['an ORM query', () => session.runOrm(DB, { model: 'T', method: 'findAll', combine: 'and', where: [] }), /did not finish the ORM query within 1.5 s/],
    ];
    for (const [what, operation, message] of operations) {
      await assert.rejects(operation(), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'timeout', `${what}: ${error.message}`);
        assert.match(error.message, new RegExp(`MySQL at ${endpoint()}`), what);
        assert.match(error.message, message, what);
        return true;
      }, what);
    }
  } finally {
    proxy.resume();
  }
  const [rows] = await raw.query<RowDataPacket[]>(`SELECT v FROM ${DB}.t`);
  assert.deepEqual(rows.map((r) => r['v']), ['one'], 'the save that timed out changed nothing');
  // Everything works again on new connections.
  assert.ok((await session.databases()).includes(DB));
  assert.equal(await session.applyStatements(edits), 1);
  assert.deepEqual((await session.runOrm(DB, { model: 'T', method: 'findAll', combine: 'and', where: [], attributes: ['v'] })).rows, [['two']]);
});

test('mysql stall: a query that outlives the query timeout on a live server is stopped with KILL QUERY and the connection kept', async () => {
  const runner = await session.openRun(DB);
  try {
    const outcome = await runner.run({ text: 'SELECT SLEEP(30)', start: 0, end: 16, line: 0 }, new CollectedRows(), { maxRows: 10 });
    assert.equal(outcome.error?.code, 'TIMEOUT');
    assert.match(outcome.error?.message ?? '', /stopped \(KILL QUERY\) after MySQL at .* sent nothing for 1.5 s: the query timeout/);
    const [processes] = await raw.query<RowDataPacket[]>("SELECT COUNT(*) n FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(30)'");
    assert.equal(Number(processes[0]!['n']), 0, 'nothing left running on the server');
    const sink = new CollectedRows();
    assert.equal((await runner.run({ text: 'SELECT 2', start: 0, end: 8, line: 0 }, sink, { maxRows: 10 })).error, undefined);
    assert.deepEqual(sink.cells(), [[['2']]]);
  } finally {
    runner.close();
  }
});

test('mysql stall: completion answers at once from what it has while the server does not; the schema read ends naming the server, is not repeated at every keystroke, and is read once the server answers', async () => {
  session.refreshCatalog();
  proxy.stall();
  let resumed = false;
  try {
    const first = session.complete('SELECT * FROM ', 14, DB);
    assert.equal(first.incomplete, true, 'the schema is being read');
    assert.ok(!first.items.some((i) => i.kind === 'table'));
    // The schema's own read, not the keyword and database reads stalled beside it (catalogLoaded waits for those
    // too): the next keystrokes follow its end.
    await eventually('the stalled schema read to end', () => session.catalogState(DB).state !== 'loading');
    const failed = session.catalogState(DB);
    assert.equal(failed.state, 'failed');
    assert.match(String(failed.error), /MySQL at 127\.0\.0\.1:\d+ sent nothing for 1\.5 s while reading the schema of sbtest_stall for completion/);
    proxy.resume();
    resumed = true;
    // The next keystrokes come at once: the read that just failed is not started again for each of them.
    for (let i = 0; i < 5; i++) session.complete('SELECT * FROM t', 15, DB);
    assert.equal(session.catalogState(DB).state, 'failed');
    // After as long as a read may take, the next keystroke reads the schema again, and it arrives.
    await eventually('the schema to be read again', async () => {
      session.complete('SELECT * FROM ', 14, DB);
      await session.catalogLoaded(DB);
      return session.catalogState(DB).state === 'ready';
    });
    assert.ok(session.complete('SELECT * FROM ', 14, DB).items.some((i) => i.label === 't'));
  } finally {
    if (!resumed) proxy.resume();
  }
});
