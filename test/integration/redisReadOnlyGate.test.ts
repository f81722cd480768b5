import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis, { Cluster } from 'ioredis';
import { parseCommandLine } from '../../src/drivers/redis/cli';
import { keyRef } from '../../src/drivers/redis/keys';
import { RedisProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { listeningDaemon, onFreePort, stopDaemon } from '../services/process';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';
import { redisSession } from './redisSuite';

/**
 * The read-only gate asks the server under the name typed, so renamed commands are judged by what they are; and it
 * guards every connection of a read-only session, so a write no path checked is refused before it leaves.
 */

const options = { secrets: { password: decodeURIComponent(new URL(need('REDIS_URL')).password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const refused = (error: unknown): boolean => isDriverError(error) && error.code === 'readOnly';
const dir = mkdtempSync(join(tmpdir(), 'switchboard-renamed-'));
let renamed: ChildProcess;
let renamedPort = 0;

before(async () => {
  // GET becomes LOOKUP and SET takes the name GET; CONFIG is SETTINGS; FLUSHALL is gone.
  [renamedPort, renamed] = await onFreePort(async (port) => [port, await listeningDaemon('redis-renamed', dir, '/usr/bin/redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir,
    '--rename-command', 'GET', 'LOOKUP', '--rename-command', 'SET', 'GET', '--rename-command', 'CONFIG', 'SETTINGS', '--rename-command', 'FLUSHALL', ''], port)] as const);
});

after(async () => {
  await stopDaemon(renamed);
  rmSync(dir, { recursive: true, force: true });
});

test('renamed commands are judged by what they are: GET that is SET is refused, LOOKUP that is GET runs', async () => {
  const raw = new Redis({ host: '127.0.0.1', port: renamedPort });
  await raw.call('GET', 'renamed:k', 'original');
  const profile: RedisProfile = { id: 'ren', name: 'renamed (read-only)', kind: 'redis', host: '127.0.0.1', port: renamedPort, tls: false, db: 0, readOnly: true };
  const session = await redisSession(profile, { ...options, secrets: {} });
  const cli = session.console();
  const run = (line: string): Promise<unknown> => cli.run(parseCommandLine(line));
  try {
    await assert.rejects(run('GET renamed:k x'), refused);
    await assert.rejects(run('get renamed:k x'), refused);
    assert.deepEqual(await run('LOOKUP renamed:k'), Buffer.from('original'));
    assert.ok(Array.isArray(await run('SETTINGS GET maxmemory')));
    await assert.rejects(run('SETTINGS SET maxmemory 1'), refused);
    await assert.rejects(run('CONFIG GET maxmemory'), (e: unknown) => refused(e) && /knows no command/.test(String(e)));
    await assert.rejects(run('FLUSHALL'), refused);
    // The tree still lists databases: the CONFIG GET it would ask is refused, and it falls back to INFO.
    assert.ok((await session.children()).some((n) => n.label === 'db0'));
    // Dropped by the server, the guarded connections log in again (the library's own AUTH, CLIENT SETNAME, SELECT
    // and INFO pass the guard) and go on refusing writes.
    await raw.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    assert.deepEqual(await run('LOOKUP renamed:k'), Buffer.from('original'));
    assert.ok((await session.children()).some((n) => n.label === 'db0'));
    await assert.rejects(run('GET renamed:k x'), refused);
    assert.equal(await raw.call('LOOKUP', 'renamed:k'), 'original');
  } finally {
    cli.close();
    await session.close();
    raw.disconnect();
  }
});

test('every connection of a read-only session is guarded: a write sent past the typed checks is refused before it leaves', async () => {
  const url = new URL(need('REDIS_URL'));
  const profile: RedisProfile = { id: 'guard', name: 'guarded (read-only)', kind: 'redis', host: url.hostname, port: Number(url.port), tls: false, db: 0, readOnly: true };
  const session = await redisSession(profile, options);
  const raw = new Redis({ host: profile.host, port: profile.port, password: options.secrets.password });
  await raw.set('guard:k', 'original');
  const gate = session.gate;
  assert.ok(gate);
  // A connection as a panel or a future path would make it, guarded by the session's gate.
  const connection = gate.guard(new Redis({ host: profile.host, port: profile.port, password: options.secrets.password }));
  try {
    assert.equal(await connection.get('guard:k'), 'original');
    await assert.rejects(connection.set('guard:k', 'x'), refused);
    await assert.rejects(connection.call('EVAL', "return redis.call('set', KEYS[1], 'x')", 1, 'guard:k'), refused);
    await assert.rejects(connection.publish('ch', 'x'), refused);
    // In a pipeline the refused command fails alone and the replies of the others still reach their own commands.
    const results = await connection.pipeline().get('guard:k').set('guard:k', 'x').get('guard:k').exec();
    assert.deepEqual(results?.map(([error, value]) => (error ? refused(error) : value)), ['original', true, 'original']);
    await assert.rejects(connection.multi().set('guard:k', 'x').exec(), refused);
    assert.equal(await connection.get('guard:k'), 'original', 'the connection still works');
    assert.equal(await raw.get('guard:k'), 'original');
  } finally {
    connection.disconnect();
    await raw.del('guard:k');
    raw.disconnect();
    await session.close();
  }
});

test('a read-only Redis Cluster session: reads run on every node, writes are refused on each', async () => {
  const nodes = need('REDIS_CLUSTER').split(',');
  const [host, port] = nodes[0]!.split(':');
  const raw = new Cluster(nodes.map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })), { redisOptions: { password: options.secrets.password } });
  const keys = Array.from({ length: 20 }, (_, i) => `gate:cluster:${i}`);
  for (const k of keys) await raw.set(k, 'original');
  const profile: RedisProfile = { id: 'gate-cluster', name: 'cluster (read-only)', kind: 'redis', host: host!, port: Number(port), tls: false, db: 0, readOnly: true, cluster: true };
  const session = await redisSession(profile, options);
  const cli = session.console();
  try {
    for (const k of keys) {
      assert.deepEqual(await cli.run(parseCommandLine(`GET ${k}`)), Buffer.from('original'));
      await assert.rejects(cli.run(parseCommandLine(`SET ${k} x`)), refused);
      await assert.rejects(cli.run(parseCommandLine(`EVAL "return redis.call('set',KEYS[1],'x')" 1 ${k}`)), refused);
    }
    const found: string[] = [];
    await session.scan(0, { match: 'gate:cluster:*', onKeys: (keys) => found.push(...keys.map((key) => keyRef(key).text)) });
    assert.equal(found.length, keys.length, 'the scan of each node is allowed');
    for (const k of keys) assert.equal(await raw.get(k), 'original');
  } finally {
    cli.close();
    await session.close();
    await Promise.all(keys.map((k) => raw.del(k)));
    raw.disconnect();
  }
});
