import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { driver as redisDriver } from '../../src/drivers/redis';
import { driver as memcachedDriver } from '../../src/drivers/memcached';
import { driver as mysqlDriver, splitStatements } from '../../src/drivers/mysql';
import { driver as sshDriver } from '../../src/drivers/ssh';
import { Session, SessionState } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { crashableDaemon, freePort } from '../services/process';
import { eventually } from '../eventually';
import { startMariaDb } from '../services/mariadb';
import { loadItems } from '../services/memcached';
import { startOpenSsh } from '../services/openssh';
import { CollectedRows, knownHostsVerifier, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Servers crashed (SIGKILL) in the middle of work and started again on the same port: the operation ends with an
 * error that names the server, the session says it lost the connection and recovers when the server is back, and
 * nothing interrupted is reported as done. RabbitMQ's restart (unacked messages counted) is in rabbitmqRestart.test.ts.
 */

const root = mkdtempSync(join(tmpdir(), 'switchboard-faults-'));
after(() => rmSync(root, { recursive: true, force: true }));
const noHostKeys = pinnedHostKey('x AAAA');

/** Records the states a session reports; `next` waits for a state reported since the previous `next` returned. */
function watchStates(session: Session): { seen: SessionState[]; next(state: SessionState, ms?: number): Promise<void> } {
  const seen: SessionState[] = [];
  let from = 0;
  let wake: (() => void) | undefined;
  session.onState((event) => {
    seen.push(event.state);
    wake?.();
  });
  const found = (state: SessionState): boolean => {
    const at = seen.indexOf(state, from);
    if (at >= 0) from = at + 1;
    return at >= 0;
  };
  return {
    seen,
    next: (state, ms = 20_000) => new Promise<void>((resolve, reject) => {
      if (found(state)) return resolve();
      const timer = setTimeout(() => reject(new Error(`no "${state}" within ${ms} ms (saw ${seen.join(', ') || 'nothing'})`)), ms);
      wake = () => {
        if (!found(state)) return;
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    }),
  };
}

test('redis: a crash during a scan ends it with an error, the session reconnects, and a save while down is not reported saved', async () => {
  const dir = join(root, 'redis');
  mkdirSync(dir);
  const port = await freePort();
  const password = 'fault-secret';
  const server = await crashableDaemon('redis', dir, '/usr/bin/redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--requirepass', password, '--dir', dir], port);
  const raw = new Redis({ port, password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await raw.connect();
  const pipeline = raw.pipeline();
  for (let i = 0; i < 20_000; i++) pipeline.set(`fault:${i}`, 'x');
  await pipeline.exec();
  raw.disconnect();
  const session = await redisDriver.connect({ id: 'f', name: 'faulty', kind: 'redis', host: '127.0.0.1', port, tls: false, db: 0, readOnly: false }, { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: noHostKeys });
  const states = watchStates(session);
  const lostRedis = (error: unknown): boolean => {
    assert.ok(isDriverError(error), String(error));
    assert.equal(error.code, 'closed');
    assert.match(error.message, new RegExp(`Redis at 127\\.0\\.0\\.1:${port}: the connection was lost`));
    return true;
  };
  try {
    let batches = 0;
    await assert.rejects(session.scan(0, {
      match: '*', count: 100,
      onKeys: () => {
        if (++batches === 1) void server.crash();
      },
    }), lostRedis);
    await states.next('reconnecting');
    await assert.rejects(session.saveString(0, { text: 'fault:1' }, Buffer.from('new'), Buffer.from('x')), lostRedis);
    await server.restart();
    await states.next('connected');
    // The server came back empty (no persistence): the save that failed did not happen behind the user's back.
    const check = new Redis({ port, password });
    assert.equal(await check.get('fault:1'), null);
    check.disconnect();
    const result = await session.scan(0, { match: '*', onKeys: () => undefined });
    assert.equal(result.found, 0);
    assert.equal(await session.saveString(0, { text: 'after' }, Buffer.from('saved'), undefined), 'saved');
  } finally {
    await session.close();
    await server.stop();
  }
});

test('memcached: a crash during a listing ends it by name; the session reconnects by itself when the server is back', async () => {
  const dir = join(root, 'memcached');
  mkdirSync(dir);
  const port = await freePort();
  const server = await crashableDaemon('memcached', dir, '/usr/bin/memcached', ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '64', '-u', 'root'], port);
  const profile = { id: 'm', name: 'faulty', kind: 'memcached' as const, servers: [{ host: '127.0.0.1', port, weight: 1 }], readOnly: false };
  const session = await memcachedDriver.connect(profile, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: noHostKeys });
  const states = watchStates(session);
  try {
    // Far more listing than socket buffers hold (~100 bytes a key), so the crash cannot come after the server has sent it all.
    await loadItems(port, 200_000, 'fault:', 'x'.repeat(50));
    let crashed = false;
    await assert.rejects(session.listKeys(() => {
      if (!crashed) {
        crashed = true;
        void server.crash();
      }
    }, { cap: 1_000_000 }), (error: unknown) => {
      assert.ok(isDriverError(error), String(error));
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      return true;
    });
    await states.next('reconnecting');
    await assert.rejects(session.store('set', 'fault:down', Buffer.from('v')), (error: unknown) => {
      assert.ok(isDriverError(error), String(error));
      assert.match(error.message, new RegExp(`Memcached at 127\\.0\\.0\\.1:${port}: the connection was lost`));
      return true;
    });
    await server.restart();
    await states.next('connected');
    assert.equal(await session.get('fault:down'), undefined, 'the refused write did not happen later');
    assert.equal(await session.store('set', 'fault:back', Buffer.from('v')), true);
    assert.equal((await session.get('fault:back'))?.data.toString(), 'v');
  } finally {
    await session.close();
    await server.stop();
  }
});

test('mysql: a crash during a long query ends it with the lost connection named; the next query runs once the server is back', async () => {
  const db = await startMariaDb(join(root, 'mysql-root'));
  const profile = { id: 's', name: 'faulty', kind: 'mysql' as const, host: '127.0.0.1', port: db.port, username: db.user, database: db.database, tls: false, readOnly: false };
  const session = await mysqlDriver.connect(profile, { secrets: { password: db.password }, timeoutMs: TIMEOUT_MS, hostKeys: noHostKeys });
  try {
    await db.sql(`CREATE TABLE ${db.database}.orders (id INT PRIMARY KEY, total INT); INSERT INTO ${db.database}.orders VALUES (1, 10), (2, 20);`);
    const run = await session.openRun(db.database);
    const [statement] = splitStatements('SELECT SLEEP(30)');
    const running = run.run(statement!, { columns: () => undefined, rows: () => undefined }, { maxRows: 10 });
    // The crash comes once the server runs the query (it shows in the process list), not at a guessed moment.
    await eventually('the long query to run on the server', async () => (await db.sql("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(30)'")).trim() !== '');
    await db.crash();
    const outcome = await running;
    run.close();
    assert.ok(outcome.error, 'the statement did not succeed');
    assert.match(`${outcome.error.code ?? ''} ${outcome.error.message}`, /lost|closed|PROTOCOL_CONNECTION_LOST|ECONNRESET/i, outcome.error.message);
    await db.restart();
    const again = await session.openRun(db.database);
    try {
      const rows = new CollectedRows();
      const [select] = splitStatements('SELECT total FROM orders ORDER BY id');
      const done = await again.run(select!, rows, { maxRows: 10 });
      assert.equal(done.error, undefined, done.error?.message);
      assert.deepEqual(rows.cells(), [[['10'], ['20']]], 'committed rows survived the crash');
    } finally {
      again.close();
    }
  } finally {
    await session.close();
    await db.stop();
  }
});

test('ssh: a crash during a terminal and an upload ends both; the upload leaves no cut file behind, and a new session works after restart', async () => {
  const server = await startOpenSsh(join(root, 'ssh-root'), 'sshd-faults');
  const profile = { id: 'h', name: 'faulty', kind: 'ssh' as const, host: '127.0.0.1', port: server.port, username: server.user, useAgent: false, readOnly: false };
  const line = `[127.0.0.1]:${server.port} ${server.hostPublicKey}`;
  const options = { secrets: { password: server.password }, timeoutMs: TIMEOUT_MS, hostKeys: knownHostsVerifier(line) };
  const session = await sshDriver.connect(profile, options);
  const local = join(root, 'upload');
  mkdirSync(local);
  const big = join(local, 'big.bin');
  writeFileSync(big, Buffer.alloc(64 * 1024 * 1024, 1));
  try {
    const home = await session.homeDirectory();
    const target = `${home}/fault-upload-${process.pid}.bin`;
    await session.files.writeFile(target, Buffer.from('the old content'));
    const closed = new Promise<void>((resolve) => session.onState((e) => e.state === 'closed' && resolve()));
    const exit = new Promise<number | null>((resolve, reject) => {
      void session.shell({ rows: 24, cols: 80 }, { onOutput: () => undefined, onExit: resolve }).then((shell) => shell.write('sleep 60\n'), reject);
    });
    let killed = false;
    await assert.rejects(session.transfers.run(await session.transfers.planUpload([{ source: big, target }]), true, (done) => {
      if (!killed && done > 4 * 1024 * 1024) {
        killed = true;
        server.kill();
      }
    }), (error: unknown) => error instanceof Error && /Uploading|closed|lost|No response/i.test(error.message));
    assert.ok(killed, 'the server died while the upload ran');
    await closed;
    assert.equal(await exit, null, 'the terminal ends without an exit status');
  } finally {
    await session.close();
  }
  await server.restart();
  const again = await sshDriver.connect(profile, options);
  try {
    const home = await again.homeDirectory();
    const content = await again.files.readFile(`${home}/fault-upload-${process.pid}.bin`, 1024);
    assert.equal(content.toString(), 'the old content', 'the interrupted upload did not replace the file');
    // The part file of the cut upload is all that is left of it, under a hidden name of its own.
    const parts = (await again.files.list(home)).entries.filter((e) => e.name.startsWith(`.fault-upload-${process.pid}.bin.switchboard-`));
    assert.ok(parts.length <= 1);
    for (const entry of [...parts, { path: `${home}/fault-upload-${process.pid}.bin` }]) await again.files.deleteCounted(await again.files.countForDeletion(entry.path));
  } finally {
    await again.close();
    await server.stop();
  }
});
