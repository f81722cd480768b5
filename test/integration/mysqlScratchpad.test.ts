import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import type { ScratchpadOptions } from '../../src/drivers/mysql/scratchpad';
import { MySqlProfile } from '../../src/drivers/types';
import { CollectedRows, need, pinnedHostKey, sessionOf, TIMEOUT_MS } from './env';

/**
 * The ORM scratchpad on a real server: every statement a snippet sends passes the statement gate of its mode (reads
 * only on a read-only connection, nothing that commits implicitly when rolling back), and a snippet that never yields
 * runs on a worker thread, so this thread keeps answering until the timeout ends the worker and rolls it back.
 */

const url = new URL(need('MYSQL_URL'));
const DB = 'sbtest_scratch';
const base = { kind: 'mysql' as const, host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database: DB, tls: false };
const options = { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
let raw: Connection;
let writable: MySqlSession;
let readOnly: MySqlSession;

before(async () => {
  raw = await createConnection({ host: url.hostname, port: Number(url.port), user: base.username, password: options.secrets.password, multipleStatements: true });
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}; USE ${DB};
    CREATE TABLE items (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20) NOT NULL); INSERT INTO items (v) VALUES ('original');`);
  writable = await sessionOf(driver.connect({ ...base, id: 'w', name: 'dev', readOnly: false } satisfies MySqlProfile, options), MySqlSession);
  readOnly = await sessionOf(driver.connect({ ...base, id: 'r', name: 'prod (read-only)', readOnly: true } satisfies MySqlProfile, options), MySqlSession);
});

after(async () => {
  await Promise.all([writable.close(), readOnly.close()]);
  await raw.query(`DROP DATABASE IF EXISTS ${DB}`);
  await raw.end();
});

const run = (session: MySqlSession, code: string, extra: Partial<ScratchpadOptions> = {}): ReturnType<MySqlSession['scratchpad']> =>
  session.scratchpad(DB, code, { language: 'javascript', timeoutMs: 10_000, commit: false, print: () => undefined, ...extra });

async function unchanged(): Promise<void> {
  const [rows] = await raw.query<RowDataPacket[]>(`SELECT v FROM ${DB}.items ORDER BY id`);
  assert.deepEqual(rows.map((r) => r['v']), ['original']);
  const [tables] = await raw.query<RowDataPacket[]>(`SELECT TABLE_NAME t FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${DB}'`);
  assert.deepEqual(tables.map((r) => r['t']), ['items'], 'no table was created, renamed or dropped');
}

/** The transaction the scratchpad runs in, reached the way a snippet could reach it, and its raw mysql2 connection. */
const RAW_CONNECTION = "const t = sequelize.constructor._cls.get('transaction'); const c = t.connection;";

test('mysql scratchpad: on a read-only connection no snippet leaves read-only, whatever it sends and however', async () => {
  const escapes: readonly [string, string][] = [
    ['ROLLBACK, READ WRITE, UPDATE one by one', "await sequelize.query('ROLLBACK'); await sequelize.query('SET SESSION TRANSACTION READ WRITE'); await sequelize.query(\"UPDATE items SET v = 'x'\");"],
    ['the same as one text', "await sequelize.query(\"ROLLBACK; SET SESSION TRANSACTION READ WRITE; UPDATE items SET v = 'x'\");"],
    ['a model update', "await models.Item.update({ v: 'x' }, { where: {} });"],
    ['a write hidden in an executable comment', "await sequelize.query(\"/*!UPDATE items SET v = 'x' */\");"],
    ['autocommit', "await sequelize.query('SET autocommit = 1'); await sequelize.query(\"UPDATE items SET v = 'x'\");"],
    ['COMMIT on the raw connection', `${RAW_CONNECTION} await new Promise((resolve, reject) => c.query('COMMIT', (e) => (e ? reject(e) : resolve())));`],
    ['a prepared statement on the raw connection', `${RAW_CONNECTION} await new Promise((resolve, reject) => c.prepare("UPDATE items SET v = 'x'", (e, s) => (e ? reject(e) : s.execute([], (e2) => (e2 ? reject(e2) : resolve())))));`],
    ['a command built by hand', `${RAW_CONNECTION} const Query = c.query('SELECT 1', () => undefined).constructor; await new Promise((resolve, reject) => c.addCommand(new Query({ sql: 'COMMIT' }, (e) => (e ? reject(e) : resolve()))));`],
    ['a connection reset (it would end the READ ONLY session)', `${RAW_CONNECTION} await new Promise((resolve, reject) => c.reset((e) => (e ? reject(e) : resolve()))); await sequelize.query("UPDATE items SET v = 'x'");`],
    ['a refusal caught by the snippet', "try { await sequelize.query('ROLLBACK'); } catch {} try { await sequelize.query(\"UPDATE items SET v = 'x'\"); } catch {} return 'carried on';"],
    ['DDL', 'await sequelize.query("CREATE TABLE sneaky (id INT)");'],
  ];
  for (const [what, code] of escapes) {
    await assert.rejects(run(readOnly, code), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'readOnly', `${what}: ${error.message}`);
      assert.match(error.message, /refused/i, what);
      return true;
    }, what);
    await unchanged();
  }
  // Reads, and Sequelize's own savepoints, still run.
  const read = await run(readOnly, "const n = await models.Item.count(); const v = (await sequelize.query('SELECT v FROM items', { type: 'SELECT' }))[0].v; return { n, v };");
  assert.deepEqual(read.value, { n: 1, v: 'original' });
});

test('mysql scratchpad: a rolled-back run refuses what would commit implicitly, and keeps nothing before it', async () => {
  const commits = ['CREATE TABLE sneaky (id INT)', 'CREATE TEMPORARY TABLE sneaky (id INT)', 'ALTER TABLE items ADD COLUMN w INT', 'RENAME TABLE items TO items2', 'TRUNCATE items',
    'DROP TABLE items', 'LOCK TABLES items WRITE', 'UNLOCK TABLES', 'COMMIT', 'START TRANSACTION', 'BEGIN', 'SET autocommit = 1', 'FLUSH TABLES', 'ANALYZE TABLE items', "GRANT SELECT ON *.* TO 'nobody'@'%'"];
  for (const sql of commits) {
    const code = `await models.Item.create({ v: 'before' }); await sequelize.query(${JSON.stringify(sql)}); await models.Item.create({ v: 'after' });`;
    await assert.rejects(run(writable, code), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'config', `${sql}: ${error.message}`);
      assert.match(error.message, /commits the transaction implicitly|refused/, sql);
      return true;
    }, sql);
    await unchanged();
  }
  await assert.rejects(run(writable, "await models.Item.create({ v: 'before' }); await models.Item.sync({ alter: true });"), /refused/);
  await unchanged();
  // Data changes, locking reads and savepoints run, and are rolled back.
  const kept = await run(writable, `await models.Item.create({ v: 'new' }); await sequelize.query('SELECT * FROM items FOR UPDATE');
    await sequelize.query('SAVEPOINT s'); await sequelize.query("DELETE FROM items WHERE v = 'original'"); await sequelize.query('ROLLBACK TO SAVEPOINT s');
    return models.Item.count();`);
  assert.deepEqual({ value: kept.value, committed: kept.committed }, { value: 2, committed: false });
  await unchanged();
  // Committing runs what the snippet asks, DDL included.
  const ddl = await run(writable, 'await sequelize.query("CREATE TABLE made (id INT)"); await sequelize.query("DROP TABLE made"); return 1;', { commit: true });
  assert.equal(ddl.committed, true);
  await unchanged();
});

test('mysql scratchpad: a snippet that never yields leaves this thread answering, and the timeout ends it and rolls it back', async () => {
  let spinning!: () => void;
  const spun = new Promise<void>((resolve) => (spinning = resolve));
  const started = run(writable, "await models.Item.create({ v: 'before the loop' }); console.log('spinning'); while (true) {}", {
    timeoutMs: 4000, print: (line) => line === 'spinning' && spinning(),
  });
  let finished = false;
  started.then(() => undefined, () => undefined).finally(() => (finished = true));
  await spun;
  // While the snippet spins: a timer fires, and a query on the same session gets its answer.
  await new Promise((resolve) => setTimeout(resolve, 10));
  const runner = await writable.openRun(DB);
  try {
    const sink = new CollectedRows();
    const outcome = await runner.run({ text: 'SELECT 42', start: 0, end: 9, line: 0 }, sink, { maxRows: 1 });
    assert.equal(outcome.error, undefined);
    assert.deepEqual(sink.cells(), [[['42']]]);
  } finally {
    runner.close();
  }
  assert.equal(finished, false, 'the snippet was still running while this thread answered');
  await assert.rejects(started, (error: Error & { code?: string }) => {
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /ran longer than 4 s: it was stopped and its changes were rolled back/);
    return true;
  });
  await unchanged();
  // The next snippet runs as usual.
  assert.equal((await run(writable, 'return models.Item.count();')).value, 1);
});

test('mysql scratchpad: a cancelled snippet stops at once; one that exhausts its memory dies alone', async () => {
  const controller = new AbortController();
  const spinning = run(writable, "console.log('go'); for (;;) {}", { signal: controller.signal, print: () => controller.abort() });
  await assert.rejects(spinning, /cancelled: it was stopped/);
  await assert.rejects(run(writable, 'const hoard = []; for (;;) hoard.push(new Array(1e6).fill(Math.random()));', { timeoutMs: 60_000 }), /memory|stopped/i);
  assert.equal((await run(writable, 'return 1 + 1;')).value, 2);
});
