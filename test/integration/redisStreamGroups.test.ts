import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis, { Cluster } from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { isDriverError } from '../../src/drivers/errors';
import { need } from './env';
import { redisSession, suiteRedis } from './redisSuite';
import { eventually } from '../eventually';

/**
 * Consumer groups of a real stream with real consumers: the consumers read with XREADGROUP from clients of their own,
 * Switchboard lists, acknowledges, claims, destroys and trims, and each step is checked against what the server holds.
 */

const { profile, options, password } = suiteRedis({ id: 'streams', name: 'streams' });
const KEY = 'sb:stream:orders';
const b64 = (text: string | Buffer): { base64: string } => ({ base64: Buffer.from(text).toString('base64') });
const ref = { text: KEY };
let raw: Redis;
let session: RedisSession;
let readOnly: RedisSession;

/** A consumer of its own connection, as an application's worker would be. */
async function consume(consumer: string, count: number, group = 'workers', key = KEY): Promise<string[]> {
  const worker = new Redis({ host: profile.host, port: profile.port, password });
  try {
    const reply = await worker.xreadgroup('GROUP', group, consumer, 'COUNT', count, 'STREAMS', key, '>');
    return (reply?.[0]?.[1] ?? []).map(([id]) => id);
  } finally {
    worker.disconnect();
  }
}

/** The server's own pending list: id -> [consumer, deliveries]. */
async function serverPending(group = 'workers', key = KEY): Promise<Map<string, [string, number]>> {
  const reply = (await raw.xpending(key, group, '-', '+', 10_000)) as [string, string, number, number][];
  return new Map(reply.map(([id, consumer, , deliveries]) => [id, [consumer, deliveries]]));
}

/** Polls the server until an entry has been idle at least this long: waiting on the server's clock, not a sleep. */
async function idleAtLeast(ms: number, id: string, group = 'workers'): Promise<void> {
  await eventually(`entry ${id} to be idle ${ms} ms`, async () => {
    const [[, , idle] = []] = (await raw.xpending(KEY, group, 'IDLE', ms, id, id, 1)) as [string, string, number, number][];
    return idle !== undefined;
  });
}

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password });
  await raw.del(KEY, `${KEY}:new`, `${KEY}:trim`);
  for (let i = 1; i <= 300; i++) await raw.xadd(KEY, `${1000 + i}-0`, 'n', String(i));
  session = await redisSession(profile, options);
  readOnly = await redisSession({ ...profile, id: 'streams-ro', name: 'prod (read-only)', readOnly: true }, options);
});

after(async () => {
  await session.close();
  await readOnly.close();
  await raw.del(KEY, `${KEY}:new`, `${KEY}:trim`);
  raw.disconnect();
});

test('streams: a group is created at the ID given, MKSTREAM creates a missing stream, a taken name is refused', async () => {
  const stream = await session.stream(0, ref);
  await stream.createGroup('workers', '0', false);
  await stream.createGroup('latecomers', '$', false);
  await stream.createGroup('from-200', '1200-0', false);
  const groups = new Map((await raw.xinfo('GROUPS', KEY) as unknown[][]).map((g) => [String(g[1]), String(g[7])]));
  assert.deepEqual(Object.fromEntries(groups), { workers: '0-0', latecomers: '1300-0', 'from-200': '1200-0' });
  await assert.rejects(stream.createGroup('workers', '$', false), (e: unknown) => isDriverError(e) && e.code === 'conflict' && /already has a consumer group named "workers"/.test(e.message));

  const missing = await session.stream(0, { text: `${KEY}:new` });
  assert.deepEqual(await missing.overview(), { exists: false, length: 0, groups: [] });
  await assert.rejects(missing.createGroup('g', '$', false), (e: unknown) => isDriverError(e) && /does not exist.*MKSTREAM/s.test(e.message));
  assert.equal(await raw.exists(`${KEY}:new`), 0, 'without MKSTREAM nothing is created');
  await missing.createGroup('g', '$', true);
  assert.equal(await raw.type(`${KEY}:new`), 'stream');
  assert.equal(await raw.xlen(`${KEY}:new`), 0);

  for (const start of ['$ MKSTREAM', '-1', '1-0 x', '1-', 'latest', '18446744073709551616-0', '']) {
    await assert.rejects(missing.createGroup('other', start, false), (e: unknown) => isDriverError(e) && e.code === 'config', start);
  }
  await assert.rejects(missing.createGroup('', '$', false), /Name the consumer group/);
  assert.equal((await raw.xinfo('GROUPS', `${KEY}:new`) as unknown[]).length, 1, 'no refused start created anything');
  await raw.set(`${KEY}:new`, 'a string');
  await assert.rejects(missing.overview(), /holds a string, not a stream/);
});

test('streams: consumers are listed with their pending counts and idle times; pending entries page by ID', async () => {
  const c1 = await consume('alice', 120);
  const c2 = await consume('bob', 130);
  assert.equal(c1.length + c2.length, 250);
  const stream = await session.stream(0, ref);
  await idleAtLeast(30, c2[0]!);
  const overview = await stream.overview();
  assert.equal(overview.length, 300);
  const workers = overview.groups.find((g) => g.name.text === 'workers');
  assert.deepEqual({ consumers: workers?.consumers, pending: workers?.pending, last: workers?.lastDeliveredId, read: workers?.entriesRead, lag: workers?.lag }, { consumers: 2, pending: 250, last: '1250-0', read: 250, lag: 50 });
  const consumers = await stream.consumers(b64('workers'));
  assert.deepEqual(consumers.map((c) => [c.name.text, c.pending]), [['alice', 120], ['bob', 130]]);
  assert.ok(consumers.every((c) => c.idleMs >= 30), JSON.stringify(consumers));

  const seen: string[] = [];
  let page = await stream.pending(b64('workers'), { limit: 100 });
  const sizes = [page.entries.length];
  seen.push(...page.entries.map((e) => e.id));
  while (page.next) {
    page = await stream.pending(b64('workers'), { limit: 100, after: page.next });
    sizes.push(page.entries.length);
    seen.push(...page.entries.map((e) => e.id));
  }
  assert.deepEqual(sizes, [100, 100, 50, 0].slice(0, sizes.length));
  assert.deepEqual(seen, [...c1, ...c2], 'every pending entry once, in ID order');
  const first = (await stream.pending(b64('workers'), { limit: 1 })).entries[0];
  assert.deepEqual({ id: first?.id, consumer: first?.consumer.text, deliveries: first?.deliveries }, { id: c1[0], consumer: 'alice', deliveries: 1 });
  const bobs = await stream.pending(b64('workers'), { limit: 1000, consumer: b64('bob') });
  assert.deepEqual(bobs.entries.map((e) => e.id), c2);
  assert.equal((await stream.pending(b64('workers'), { limit: 10, minIdleMs: 3_600_000 })).entries.length, 0, 'none idle for an hour');
  await assert.rejects(stream.pending(b64('workers'), { limit: 10, after: '+ COUNT 1' }), (e: unknown) => isDriverError(e) && e.code === 'config');
  await assert.rejects(stream.pending(b64('nobody'), { limit: 10 }), (e: unknown) => isDriverError(e) && e.code === 'conflict' && /no consumer group "nobody"/.test(e.message));
});

test('streams: XACK takes entries off the pending list and counts only those that were pending', async () => {
  const stream = await session.stream(0, ref);
  const [a, b] = [...(await serverPending()).keys()];
  assert.equal(await stream.ack(b64('workers'), [a!, b!, '1299-0']), 2, '1299-0 was never delivered');
  const after = await serverPending();
  assert.equal(after.size, 248);
  assert.ok(!after.has(a!) && !after.has(b!));
  assert.equal(await stream.ack(b64('workers'), [a!]), 0, 'acknowledged already');
  assert.equal(await raw.xlen(KEY), 300, 'the entries stay in the stream');
  for (const bad of [['1-0', 'FORCE'], ['*'], [''], []]) await assert.rejects(stream.ack(b64('workers'), bad), (e: unknown) => isDriverError(e) && e.code === 'config', JSON.stringify(bad));
});

test('streams: XCLAIM gives entries to another consumer, except one its consumer read again meanwhile', async () => {
  const stream = await session.stream(0, ref);
  const alices = (await stream.pending(b64('workers'), { limit: 5, consumer: b64('alice') })).entries;
  await idleAtLeast(20, alices[0]!.id);
  const shown = Math.min(...(await stream.pending(b64('workers'), { limit: 5, consumer: b64('alice') })).entries.map((e) => e.idleMs));
  // alice's worker comes back and reads its own history: the first entry is delivered to it again, its idle time restarts.
  const worker = new Redis({ host: profile.host, port: profile.port, password });
  await worker.xreadgroup('GROUP', 'workers', 'alice', 'COUNT', 1, 'STREAMS', KEY, '0');
  worker.disconnect();
  const ids = alices.map((e) => e.id);
  const result = await stream.claim(b64('workers'), b64('carol'), shown, ids);
  assert.deepEqual(result, { claimed: ids.slice(1), left: ids.slice(0, 1) });
  const server = await serverPending();
  assert.deepEqual(server.get(ids[0]!), ['alice', 2], 'read again by alice: still hers');
  for (const id of ids.slice(1)) assert.deepEqual(server.get(id), ['carol', 1], 'claimed, the delivery count untouched (JUSTID)');
  const carol = (await stream.consumers(b64('workers'))).find((c) => c.name.text === 'carol');
  assert.equal(carol?.pending, 4, 'a consumer named for the first time is created');
  await assert.rejects(stream.claim(b64('workers'), b64(''), 0, ids), /Name the consumer/);
  await assert.rejects(stream.claim(b64('workers'), b64('x'), -1, ids), (e: unknown) => isDriverError(e) && e.code === 'config');
  await assert.rejects(stream.claim(b64('workers'), { base64: 'not base64!' }, 0, ids), (e: unknown) => isDriverError(e) && e.code === 'config');
});

test('streams: XAUTOCLAIM takes idle entries and reports pending entries deleted from the stream', async () => {
  const stream = await session.stream(0, ref);
  const bobs = (await stream.pending(b64('workers'), { limit: 4, consumer: b64('bob') })).entries.map((e) => e.id);
  await raw.xdel(KEY, bobs[0]!);
  const result = await stream.autoClaim(b64('workers'), b64('dave'), 0, 3, bobs[0]!);
  assert.deepEqual(result.deleted, [bobs[0]]);
  assert.deepEqual(result.claimed, bobs.slice(1, 3));
  assert.equal(result.next, bobs[3], 'where the next call would go on');
  const server = await serverPending();
  assert.equal(server.has(bobs[0]!), false, 'the deleted entry left the pending list');
  assert.deepEqual([server.get(bobs[1]!), server.get(bobs[2]!)], [['dave', 1], ['dave', 1]]);
  await assert.rejects(stream.autoClaim(b64('workers'), b64('dave'), 0, 3, '0-0 COUNT 999'), (e: unknown) => isDriverError(e) && e.code === 'config');
});

test('streams: a group with a binary name is addressed by its bytes; destroying it leaves its look-alike', async () => {
  const binary = Buffer.from([0x67, 0xff]);
  await raw.xgroup('CREATE', KEY, binary, '0');
  await raw.xgroup('CREATE', KEY, '\\xff', '0');
  const stream = await session.stream(0, ref);
  const shown = (await stream.overview()).groups.filter((g) => g.name.base64 === binary.toString('base64'));
  assert.deepEqual(shown.map((g) => [g.name.text, g.name.exact]), [['g\\xff', false]]);
  assert.equal(await stream.destroyGroup({ base64: shown[0]!.name.base64 }), true);
  assert.equal(await stream.destroyGroup({ base64: shown[0]!.name.base64 }), false, 'gone already');
  const names = (await raw.xinfo('GROUPS', KEY) as unknown[][]).map((g) => String(g[1]));
  assert.ok(names.includes('\\xff') && names.includes('workers'), names.join(','));
  await assert.rejects(stream.pending({ base64: binary.toString('base64') }, { limit: 1 }), (e: unknown) => isDriverError(e) && e.code === 'conflict');
});

test('streams: a trim counts what goes before it runs, and entries added meanwhile are not trimmed', async () => {
  const key = `${KEY}:trim`;
  const pipeline = raw.pipeline();
  for (let i = 1; i <= 25_000; i++) pipeline.xadd(key, `${i}-0`, 'n', String(i));
  await pipeline.exec();
  const stream = await session.stream(0, { text: key });
  const progress: number[] = [];
  const plan = await stream.planTrim({ kind: 'maxlen', count: 1000 }, { onProgress: (n) => progress.push(n) });
  assert.deepEqual(plan, { remove: 24_000, keep: 1000, minId: '24000-1', oldest: '1-0', newest: '24000-0' });
  assert.deepEqual(progress, [10_000, 20_000, 24_000], 'counted on the server a page at a time');
  // A producer adds entries between the count shown and the trim: MAXLEN would take them too; the plan does not.
  for (let i = 1; i <= 5; i++) await raw.xadd(key, '*', 'late', String(i));
  assert.equal(await stream.trim(plan!), 24_000);
  assert.equal(await raw.xlen(key), 1005);
  assert.equal(((await raw.xrange(key, '-', '+', 'COUNT', 1))[0]?.[0]), '24001-0');

  const byId = await stream.planTrim({ kind: 'minid', id: '24500-0' });
  assert.deepEqual({ remove: byId?.remove, keep: byId?.keep, minId: byId?.minId, oldest: byId?.oldest, newest: byId?.newest }, { remove: 499, keep: 506, minId: '24500-0', oldest: '24001-0', newest: '24499-0' });
  assert.equal(await stream.trim(byId!), 499);
  assert.equal((await stream.planTrim({ kind: 'maxlen', count: 10_000 }))?.remove, 0, 'shorter than MAXLEN: nothing goes');
  const controller = new AbortController();
  controller.abort();
  assert.equal(await stream.planTrim({ kind: 'maxlen', count: 0 }, { signal: controller.signal }), undefined, 'cancelled before counting');
  for (const rule of [{ kind: 'maxlen' as const, count: -1 }, { kind: 'maxlen' as const, count: 1.5 }, { kind: 'minid' as const, id: '0 LIMIT 1' }, { kind: 'minid' as const, id: '~' }]) {
    await assert.rejects(stream.planTrim(rule), (e: unknown) => isDriverError(e) && e.code === 'config', JSON.stringify(rule));
  }
  assert.equal(await raw.xlen(key), 506);
});

test('streams: on a read-only connection every change is refused and the server keeps what it had', async () => {
  const before = { pending: await serverPending(), groups: await raw.xinfo('GROUPS', KEY), length: await raw.xlen(KEY) };
  const stream = await readOnly.stream(0, ref);
  assert.equal((await stream.overview()).length, before.length, 'reading works');
  assert.ok((await stream.consumers(b64('workers'))).length >= 2);
  assert.ok((await stream.pending(b64('workers'), { limit: 10 })).entries.length > 0);
  const [id] = [...before.pending.keys()];
  const writes: [string, () => Promise<unknown>][] = [
    ['create', () => stream.createGroup('intruders', '0', true)],
    ['destroy', () => stream.destroyGroup(b64('workers'))],
    ['ack', () => stream.ack(b64('workers'), [id!])],
    ['claim', () => stream.claim(b64('workers'), b64('mallory'), 0, [id!])],
    ['autoclaim', () => stream.autoClaim(b64('workers'), b64('mallory'), 0, 100)],
    ['plan trim', () => stream.planTrim({ kind: 'maxlen', count: 0 })],
    ['trim', () => stream.trim({ remove: 300, keep: 0, minId: '9999-0' })],
  ];
  for (const [name, write] of writes) {
    await assert.rejects(write(), (e: unknown) => isDriverError(e) && e.code === 'readOnly' && /read-only connection/.test(e.message), name);
  }
  assert.deepEqual(await serverPending(), before.pending);
  assert.deepEqual(await raw.xinfo('GROUPS', KEY), before.groups);
  assert.equal(await raw.xlen(KEY), before.length);
});

test('streams: groups, pending entries and claims work on a Redis Cluster, on the master owning the key', async () => {
  const nodes = need('REDIS_CLUSTER').split(',');
  const [host, port] = nodes[0]!.split(':');
  const cluster = await redisSession({ ...profile, id: 'streams-cluster', host: host!, port: Number(port), cluster: true }, options);
  const rawCluster = new Cluster(nodes.map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })), { redisOptions: { password } });
  const key = 'sb:stream:{cluster}';
  try {
    await rawCluster.del(key);
    for (let i = 1; i <= 5; i++) await rawCluster.xadd(key, `${i}-0`, 'n', String(i));
    const stream = await cluster.stream(0, { text: key });
    await stream.createGroup('g', '0', false);
    await rawCluster.xreadgroup('GROUP', 'g', 'c1', 'COUNT', 3, 'STREAMS', key, '>');
    const page = await stream.pending(b64('g'), { limit: 10 });
    assert.deepEqual(page.entries.map((e) => [e.id, e.consumer.text]), [['1-0', 'c1'], ['2-0', 'c1'], ['3-0', 'c1']]);
    assert.deepEqual((await stream.claim(b64('g'), b64('c2'), 0, ['2-0'])).claimed, ['2-0']);
    assert.equal(await stream.ack(b64('g'), ['1-0']), 1);
    const server = (await rawCluster.xpending(key, 'g', '-', '+', 10)) as [string, string, number, number][];
    assert.deepEqual(server.map(([id, consumer, , deliveries]) => [id, consumer, deliveries]), [['2-0', 'c2', 1], ['3-0', 'c1', 1]]);
    const plan = await stream.planTrim({ kind: 'maxlen', count: 2 });
    assert.equal(plan?.remove, 3);
    assert.equal(await stream.trim(plan!), 3);
    assert.equal(await rawCluster.xlen(key), 2);
    assert.equal(await stream.destroyGroup(b64('g')), true);
  } finally {
    await rawCluster.del(key);
    rawCluster.disconnect();
    await cluster.close();
  }
});
