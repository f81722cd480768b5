import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Redis, { Cluster } from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { RedisProfile } from '../../src/drivers/types';
import { DEFAULT_LIMITS } from '../../src/drivers/redis/memoryReport';
import { MemoryReport, PrefixNode } from '../../src/drivers/redis/memoryShapes';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';
import { redisSession } from './redisSuite';

const url = new URL(need('REDIS_URL'));
const password = decodeURIComponent(url.password);
/** Databases of this file's own: a memory analysis counts everything in its database. */
const DB = 11;
const UNIQUE_DB = 12;
const profile: RedisProfile = { id: 'rm', name: 'redis', kind: 'redis', host: url.hostname, port: Number(url.port), tls: false, db: DB, readOnly: true };
const options = { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const limits = { ...DEFAULT_LIMITS, delimiter: ':' };
const HOUR = 3600;
let raw: Redis;
let session: RedisSession;

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password, db: DB });
  await raw.flushdb();
  const p = raw.pipeline();
  for (let i = 0; i < 300; i++) p.set(`user:${i}:profile`, `{"name":"user ${i}"}`);
  for (let i = 0; i < 40; i++) p.hset(`session:${i}`, 'user', String(i), 'token', 'x'.repeat(200)).expire(`session:${i}`, HOUR / 2);
  for (let i = 0; i < 20; i++) p.set(`cache:day:${i}`, 'y'.repeat(100), 'EX', 5 * HOUR);
  for (let i = 0; i < 10; i++) p.set(`cache:week:${i}`, 'z', 'EX', 3 * 24 * HOUR);
  for (let i = 0; i < 5; i++) p.set(`cache:year:${i}`, 'w', 'EX', 300 * 24 * HOUR);
  p.rpush('queue:big', ...Array.from({ length: 5000 }, (_, i) => `job ${i}`));
  p.set('blob:huge', 'b'.repeat(200_000));
  p.sadd('tags', 'a', 'b', 'c');
  p.zadd('board', 1, 'ada', 2, 'bob');
  p.xadd('events', '*', 'kind', 'created');
  p.set(Buffer.from([0x62, 0x69, 0x6e, 0xff, 0x3a, 0x00]), 'binary key');
  await p.exec();
  session = await redisSession(profile, options);
});

after(async () => {
  await raw.flushdb();
  await raw.select(UNIQUE_DB);
  await raw.flushdb();
  raw.disconnect();
  await session.close();
});

const child = (node: PrefixNode, name: string): PrefixNode | undefined => node.children.find((c) => c.name === name && !c.other);
const nodeCount = (node: PrefixNode): number => node.children.reduce((n, c) => n + 1 + nodeCount(c), 0);

/** What the server itself says each key takes, with the same MEMORY USAGE the analysis asks. */
async function memoryOf(pattern: string): Promise<{ keys: number; memory: number }> {
  let keys = 0;
  let memory = 0;
  for await (const batch of raw.scanBufferStream({ match: pattern, count: 1000 })) {
    for (const key of batch as Buffer[]) {
      keys++;
      memory += Number(await raw.call('MEMORY', 'USAGE', key));
    }
  }
  return { keys, memory };
}

test('memory analysis: one pass on a read-only connection counts keys and memory per prefix, type and TTL, as the server reports them', async () => {
  let progressed = 0;
  let partial: MemoryReport | undefined;
  const report = await session.analyzeMemory(DB, { limits, sampleRate: 1, onProgress: (p, build) => {
    progressed++;
    assert.ok(p.seen <= p.total);
    partial ??= build();
  } });
  const dbsize = await raw.dbsize();
  assert.equal(report.total, dbsize);
  assert.equal(report.inspected, dbsize);
  assert.equal(report.seen, dbsize);
  assert.ok(progressed >= 1 && partial, 'the report is there while it streams');
  for (const [pattern, name] of [['user:*', 'user'], ['session:*', 'session'], ['cache:*', 'cache']] as const) {
    const expected = await memoryOf(pattern);
    const node = child(report.prefixes, name);
    assert.deepEqual({ keys: node?.keys, memory: node?.memory }, expected, `${pattern} as the server counts it`);
  }
  assert.equal(child(child(report.prefixes, 'cache')!, 'day')?.keys, 20, 'the tree splits at every delimiter');
  assert.equal(report.prefixes.keys, dbsize);
  assert.equal(report.memory, report.byType.reduce((n, t) => n + t.memory, 0));
  const types = Object.fromEntries(report.byType.map((t) => [t.type, t.keys]));
  assert.deepEqual(types, { string: 300 + 20 + 10 + 5 + 2, hash: 40, list: 1, set: 1, zset: 1, stream: 1 });
  const ttl = Object.fromEntries(report.ttl.map((t) => [t.bucket, t.keys]));
  assert.deepEqual(ttl, { none: 300 + 1 + 1 + 1 + 1 + 1 + 1, '< 1 h': 40, '< 1 d': 20, '< 1 w': 10, longer: 5 });
  assert.equal(report.topByMemory[0]?.text, 'blob:huge');
  assert.deepEqual([report.topByLength[0]?.text, report.topByLength[0]?.length], ['blob:huge', 200_000], 'STRLEN for strings');
  assert.deepEqual([report.topByLength[1]?.text, report.topByLength[1]?.length], ['queue:big', 5000], 'LLEN for lists');
  assert.ok(report.topWithoutTtl.every((k) => k.ttl < 0) && report.topWithoutTtl.some((k) => k.text === 'queue:big'));
  assert.ok(!report.topWithoutTtl.some((k) => k.text.startsWith('session:')), 'keys with a TTL are not among those without');
  const everyKey = await session.analyzeMemory(DB, { limits: { ...limits, top: 1000 }, sampleRate: 1 });
  const binary = everyKey.topByMemory.find((k) => k.base64 !== undefined);
  assert.equal(binary?.base64, Buffer.from([0x62, 0x69, 0x6e, 0xff, 0x3a, 0x00]).toString('base64'), 'a binary key keeps its exact bytes');
});

test('memory analysis: the report exports as JSON and as CSV, where a key name a spreadsheet would run as a formula stays text', async () => {
  const formula = '=SUM(1,2)+cmd|"/C calc"!A0';
  await raw.set(`${formula}:1`, 'v');
  try {
    const report = await session.analyzeMemory(DB, { limits: { ...limits, top: 1000 }, sampleRate: 1 });
    const about = { connection: 'redis', db: DB, takenAt: '2026-01-01T00:00:00.000Z', delimiter: ':' };
    const json = JSON.parse(session.memoryReportFile(report, 'json', about)) as { db: number; report: { inspected: number } };
    assert.deepEqual([json.db, json.report.inspected], [DB, report.inspected]);
    const csv = session.memoryReportFile(report, 'csv', about);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'section,name,type,keys,memory_bytes,length,ttl_ms');
    assert.ok(lines.includes(`prefix,user:,,300,${child(report.prefixes, 'user')!.memory},,`));
    const hostile = lines.filter((line) => line.includes('SUM'));
    assert.ok(hostile.length >= 2, 'as a prefix and as a key');
    for (const line of hostile) assert.ok(line.includes(`,"'=SUM(1,2)+cmd|""/C calc""!A0:`), line);
  } finally {
    await raw.del(`${formula}:1`);
  }
});

test('memory analysis: on a keyspace of unique prefixes the tree stays within its cap, and what was folded is counted in "(other)"', async () => {
  await raw.select(UNIQUE_DB);
  await raw.flushdb();
  const p = raw.pipeline();
  for (let i = 0; i < 20_000; i++) p.set(`order:${i}:total`, String(i));
  for (let i = 0; i < 50; i++) p.set(`late:${i}`, 'arrives among the unique ones');
  await p.exec();
  await raw.select(DB);
  const report = await session.analyzeMemory(UNIQUE_DB, { limits: { ...limits, maxNodes: 100 }, sampleRate: 1 });
  assert.ok(nodeCount(report.prefixes) <= 2 * 100, `${nodeCount(report.prefixes)} nodes`);
  assert.ok(report.folded >= 20_000 - 100);
  const order = child(report.prefixes, 'order')!;
  assert.equal(order.keys, 20_000, 'folding keeps every key counted');
  assert.equal(order.children.reduce((n, c) => n + c.keys, 0), 20_000);
  assert.ok(order.children.some((c) => c.other && c.keys > 19_000), '"(other)" holds the folded ids');
  assert.equal(child(report.prefixes, 'late')?.keys, 50, 'a big prefix is not lost among unique ones');
});

test('memory analysis: a sample rate inspects that share of the keys and still sees them all', async () => {
  const report = await session.analyzeMemory(UNIQUE_DB, { limits, sampleRate: 0.1, });
  assert.equal(report.seen, 20_050);
  assert.ok(report.inspected > 1500 && report.inspected < 2500, `${report.inspected} inspected`);
  assert.equal(report.sampleRate, 0.1);
  await assert.rejects(session.analyzeMemory(DB, { limits, sampleRate: 0 }), /between 0 and 1/);
});

test('memory analysis: cancelling stops the pass with the report so far; a paused pass sends nothing until resumed', async () => {
  const controller = new AbortController();
  const cancelled = await session.analyzeMemory(UNIQUE_DB, { limits, sampleRate: 1, signal: controller.signal, onProgress: () => controller.abort() });
  assert.ok(cancelled.seen > 0 && cancelled.seen < 20_050, `${cancelled.seen} seen`);
  let open: (() => void) | undefined;
  let paused: Promise<void> | undefined = new Promise<void>((resolve) => (open = resolve));
  let gateCalls = 0;
  let afterPause = 0;
  let reported: () => void = () => undefined;
  // The pass is told to pause when it asks for its second step; the first step, already received, is still reported.
  const reportedWhilePaused = new Promise<void>((resolve) => (reported = resolve));
  const run = session.analyzeMemory(UNIQUE_DB, {
    limits, sampleRate: 1,
    gate: () => {
      gateCalls++;
      return gateCalls >= 2 && paused ? paused : Promise.resolve();
    },
    onProgress: () => {
      if (gateCalls < 2 || !paused) return;
      afterPause++;
      reported();
    },
  });
  await reportedWhilePaused;
  // A round trip to the server meanwhile: a step sent despite the pause would be answered and reported by now.
  await raw.ping();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(gateCalls, 2, 'no step is asked for while paused');
  assert.equal(afterPause, 1, 'only the step already received is reported');
  paused = undefined;
  open?.();
  assert.equal((await run).seen, 20_050, 'resumed, the pass goes on to the end');
});

test('memory analysis: where scripts are refused (an ACL without @scripting) the same report comes from pipelines', async () => {
  await raw.call('ACL', 'SETUSER', 'analyst', 'on', '>analyst-pw', '~*', '+@read', '+@connection', '+info', '-@scripting');
  const limited = await redisSession({ ...profile, username: 'analyst' }, { ...options, secrets: { password: 'analyst-pw' } });
  try {
    await assert.rejects(raw.duplicate({ username: 'analyst', password: 'analyst-pw', db: DB }).call('EVAL_RO', 'return 1', '0'), /NOPERM/);
    const viaPipelines = await limited.analyzeMemory(DB, { limits, sampleRate: 1 });
    const viaScript = await session.analyzeMemory(DB, { limits, sampleRate: 1 });
    assert.deepEqual(viaPipelines.byType, viaScript.byType);
    assert.deepEqual(viaPipelines.ttl.map((t) => t.keys), viaScript.ttl.map((t) => t.keys));
    assert.deepEqual(viaPipelines.prefixes, viaScript.prefixes);
    assert.deepEqual(viaPipelines.topByLength.slice(0, 2), viaScript.topByLength.slice(0, 2));
  } finally {
    await limited.close();
    await raw.call('ACL', 'DELUSER', 'analyst');
  }
});

test('memory analysis of a cluster covers every master', async () => {
  const nodes = need('REDIS_CLUSTER').split(',');
  const [host, port] = nodes[0]!.split(':');
  const cluster = new Cluster(nodes.map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })), { redisOptions: { password } });
  const clustered = await redisSession({ ...profile, host: host!, port: Number(port), db: 0, cluster: true }, options);
  try {
    await Promise.all(Array.from({ length: 600 }, (_, i) => cluster.set(`memtest:${i}`, 'v')));
    const masters = cluster.nodes('master').length;
    const report = await clustered.analyzeMemory(0, { limits, sampleRate: 1 });
    assert.equal(child(report.prefixes, 'memtest')?.keys, 600, `every key of ${masters} masters`);
  } finally {
    await Promise.all(Array.from({ length: 600 }, (_, i) => cluster.del(`memtest:${i}`)));
    cluster.disconnect();
    await clustered.close();
  }
});
