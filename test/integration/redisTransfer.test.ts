import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis, { Cluster } from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { isDriverError } from '../../src/drivers/errors';
import { need } from './env';
import { redisSession, suiteRedis } from './redisSuite';
import { eventually } from '../eventually';

/**
 * Export then import gives back every key as it was: its bytes, sorted-set scores to the last bit (±inf too), stream
 * ids, counters, consumer groups and pending entries, and its expiry to the millisecond. Compared key by key with
 * a snapshot of everything DUMP would carry that a client can read.
 */

const SOURCE = 10;
const TARGET = 11;
const { profile, options, password } = suiteRedis({ id: 'rt', name: 'transfer' });
let source: Redis;
let target: Redis;
let session: RedisSession;

const hex = (b: Buffer | null): string => (b ? b.toString('hex') : 'nil');
const flatHex = (reply: unknown): string[] => (Array.isArray(reply) ? reply.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : Array.isArray(v) ? flatHex(v).join(',') : String(v))) : []);
const pairsSorted = (flat: Buffer[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push(`${hex(flat[i]!)}=${hex(flat[i + 1]!)}`);
  return out.sort();
};
/** A flat XINFO reply as an object, keeping only the named fields. */
const pick = (reply: unknown, names: readonly string[]): Record<string, string> => {
  const flat = Array.isArray(reply) ? reply : [];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = String(flat[i]);
    if (names.includes(name)) out[name] = Buffer.isBuffer(flat[i + 1]) ? hex(flat[i + 1]) : String(flat[i + 1]);
  }
  return out;
};

/** Everything about a key that DUMP carries and a client can read, in a form two servers can be compared by. */
async function snapshot(client: Redis | Cluster, key: Buffer): Promise<Record<string, unknown>> {
  const type = await client.type(key);
  const expireAt = await client.call('PEXPIRETIME', key);
  const base = { type, expireAt };
  switch (type) {
    case 'string':
      return { ...base, value: hex(await client.getBuffer(key)) };
    case 'hash':
      return { ...base, value: pairsSorted(await client.callBuffer('HGETALL', key) as Buffer[]) };
    case 'list':
      return { ...base, value: (await client.lrangeBuffer(key, 0, -1)).map(hex) };
    case 'set':
      return { ...base, value: (await client.smembersBuffer(key)).map(hex).sort() };
    case 'zset':
      return { ...base, value: flatHex(await client.callBuffer('ZRANGE', key, 0, -1, 'WITHSCORES')) };
    case 'stream': {
      const info = pick(await client.callBuffer('XINFO', 'STREAM', key), ['length', 'last-generated-id', 'max-deleted-entry-id', 'entries-added', 'recorded-first-entry-id', 'groups']);
      const groups = [];
      for (const raw of (await client.callBuffer('XINFO', 'GROUPS', key)) as unknown[]) {
        const group = pick(raw, ['name', 'consumers', 'pending', 'last-delivered-id', 'entries-read', 'lag']);
        const name = Buffer.from(group['name']!, 'hex');
        const consumers = ((await client.callBuffer('XINFO', 'CONSUMERS', key, name)) as unknown[]).map((c) => pick(c, ['name', 'pending'])).sort((a, b) => (a['name']! < b['name']! ? -1 : 1));
        const pending = ((await client.callBuffer('XPENDING', key, name, '-', '+', 10_000)) as unknown[][]).map(([id, consumer, , deliveries]) => `${String(id)} ${hex(consumer as Buffer)} ×${String(deliveries)}`);
        groups.push({ ...group, consumers, pending });
      }
      return { ...base, info, entries: flatHex(await client.callBuffer('XRANGE', key, '-', '+')), groups };
    }
    default:
      return { ...base, dump: hex(await client.dumpBuffer(key)) };
  }
}

async function exportLines(db: number, pattern: string, from = session): Promise<string[]> {
  const lines: string[] = [];
  const report = await from.exportKeys(db, pattern, async (line) => void lines.push(line));
  assert.equal(report.skipped, 0, JSON.stringify(report.skippedKeys));
  return lines;
}
async function* feed(lines: readonly string[]): AsyncIterable<string> {
  yield* lines;
}

before(async () => {
  source = new Redis({ host: profile.host, port: profile.port, password, db: SOURCE });
  target = new Redis({ host: profile.host, port: profile.port, password, db: TARGET });
  await source.flushdb();
  await target.flushdb();
  session = await redisSession(profile, options);
});

after(async () => {
  await source.flushdb();
  await target.flushdb();
  source.disconnect();
  target.disconnect();
  await session.close();
});

/** Fills the source database with every type and its edge cases. */
async function fillSource(): Promise<Buffer[]> {
  const bin = (...bytes: number[]): Buffer => Buffer.from(bytes);
  await source.set('s:text', 'plain ✓');
  await source.set(bin(0x6b, 0xff, 0x00), bin(0xde, 0xad, 0x00, 0xbe, 0xef));
  await source.set('s:empty', '');
  await source.set('s:big', Buffer.alloc(700 * 1024, 'xyz'));
  await source.set('s:ttl', 'expires', 'PX', 987_654_321);
  const fields: (string | Buffer)[] = [bin(0xff, 0x61), bin(0x00), '\\xffa', 'text'];
  for (let i = 0; i < 2500; i++) fields.push(`f${i}`, `v${i}`);
  await source.hset('h:big', ...fields);
  await source.rpush('l:items', bin(0xff), 'dup', 'dup', '', ...Array.from({ length: 2500 }, (_, i) => `i${i}`));
  await source.sadd('set:ints', 1, 2, 3, -5);
  await source.sadd('set:mixed', bin(0xc3, 0x28), 'text', ...Array.from({ length: 2500 }, (_, i) => `m${i}`));
  await source.zadd('z:scores', '+inf', 'top', '-inf', 'bottom', '0', 'zero', '0.1', 'tenth', '3.141592653589793', 'pi', '1e-300', 'tiny', '1.7976931348623157e308', 'huge', '-2.5', bin(0xff, 0xfe));
  await source.zadd('z:many', ...Array.from({ length: 2500 }, (_, i) => [String(i / 7), `zm${i}`]).flat());
  // A stream with gaps (deleted entries), a top id beyond its last entry, two groups, consumers with and without
  // pending entries, and deliveries counted more than once.
  for (let i = 1; i <= 1200; i++) await source.xadd('x:events', `${i}-1`, 'n', String(i), 'bin', bin(0xff, i % 256));
  await source.xadd('x:events', '5000-7', 'n', 'last');
  await source.xdel('x:events', '5000-7', '10-1');
  await source.xgroup('CREATE', 'x:events', 'workers', '0');
  await source.xgroup('CREATE', 'x:events', bin(0x67, 0xff), '100-1');
  await source.xreadgroup('GROUP', 'workers', 'alice', 'COUNT', 5, 'STREAMS', 'x:events', '>');
  await source.xreadgroup('GROUP', 'workers', 'bob', 'COUNT', 3, 'STREAMS', 'x:events', '>');
  await source.call('XCLAIM', 'x:events', 'workers', 'bob', 0, '1-1', 'RETRYCOUNT', 4);
  await source.call('XGROUP', 'CREATECONSUMER', 'x:events', 'workers', 'idle-carol');
  await source.xreadgroup('GROUP', bin(0x67, 0xff), 'dave', 'COUNT', 2, 'STREAMS', 'x:events', '>');
  await source.pexpire('x:events', 123_456_789);
  // An empty stream: created by its group, never added to.
  await source.xgroup('CREATE', 'x:empty', 'g', '$', 'MKSTREAM');
  return source.keysBuffer('*');
}

test('every type round-trips through export and import exactly: bytes, ±inf scores, stream ids, groups, pending entries, expiry in ms', async () => {
  const keys = await fillSource();
  assert.equal(keys.length, 13);
  const lines = await exportLines(SOURCE, '*');
  assert.ok(lines.length > keys.length * 2, 'big values are written in pages');
  assert.ok(lines.every((line) => line.length < 1_000_000), 'no line holds a whole big value');
  const result = await session.importLines(TARGET, feed(lines), false);
  assert.deepEqual({ ...result }, { written: keys.length, kept: 0, expired: 0, incomplete: 0, lostPending: 0, cancelled: false });
  for (const key of keys) assert.deepEqual(await snapshot(target, key), await snapshot(source, key), key.toString('latin1'));
  assert.deepEqual((await target.keys('switchboard:import:*')), [], 'no temporary key is left');
});

test('importing over existing keys replaces each in one step, or keeps it', async () => {
  await source.flushdb();
  await target.flushdb();
  await source.hset('both', 'from', 'source');
  await source.zadd('both:z', '+inf', 'a');
  const lines = await exportLines(SOURCE, '*');
  await target.rpush('both', 'target', 'list');
  await target.set('both:z', 'target string', 'EX', 1000);
  assert.deepEqual({ ...(await session.importLines(TARGET, feed(lines), false)) }, { written: 0, kept: 2, expired: 0, incomplete: 0, lostPending: 0, cancelled: false });
  assert.deepEqual(await target.lrange('both', 0, -1), ['target', 'list']);
  assert.equal((await session.importLines(TARGET, feed(lines), true)).written, 2);
  assert.deepEqual(await snapshot(target, Buffer.from('both')), await snapshot(source, Buffer.from('both')));
  assert.deepEqual(await snapshot(target, Buffer.from('both:z')), await snapshot(source, Buffer.from('both:z')), 'the target TTL went with the old value');
});

test('a server error during an import fails naming the key, which is left exactly as it was', async () => {
  await target.flushdb();
  await target.hset('victim', 'keep', 'me');
  await target.set('before', 'x');
  // An export line (of the earlier one-line-per-key format) whose stream ids go backwards: the server refuses the
  // second XADD, after the first was written.
  const lines = [
    JSON.stringify({ key: 'fine', type: 'string', ttl: -1, value: 'ok' }),
    JSON.stringify({ key: 'victim', type: 'stream', ttl: -1, value: [['2-0', [['f', 'a']]], ['1-0', [['f', 'b']]]] }),
    JSON.stringify({ key: 'after', type: 'string', ttl: -1, value: 'never' }),
  ];
  await assert.rejects(session.importLines(TARGET, feed(lines), true), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.match(error.message, /Importing "victim" failed: .*equal or smaller than the target stream top item.*"victim" was left as it was; 1 key before it/);
    return true;
  });
  assert.deepEqual(await target.hgetall('victim'), { keep: 'me' });
  assert.equal(await target.get('fine'), 'ok');
  assert.equal(await target.exists('after'), 0);
  assert.deepEqual(await target.keys('switchboard:import:*'), []);
});

test('a pending entry whose message was deleted is reported, an expired key is left out, a cut-short file fails', async () => {
  await source.flushdb();
  await target.flushdb();
  await source.xadd('x:gone', '1-1', 'f', 'v');
  await source.xadd('x:gone', '2-1', 'f', 'v');
  await source.xgroup('CREATE', 'x:gone', 'g', '0');
  await source.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 'x:gone', '>');
  await source.xdel('x:gone', '1-1');
  await source.set('soon', 'x', 'PX', 300);
  const lines = await exportLines(SOURCE, '*');
  // The import is given the export once the key it holds has expired (the server no longer has it).
  await eventually('"soon" to expire', async () => (await source.exists('soon')) === 0);
  const result = await session.importLines(TARGET, feed(lines), false);
  assert.equal(result.written, 1);
  assert.equal(result.expired, 1);
  assert.equal(result.lostPending, 1);
  assert.equal(await target.exists('soon'), 0);
  await target.flushdb();
  const inside = lines.findIndex((line) => line.startsWith('{"key":"x:gone"')) + 2;
  await assert.rejects(session.importLines(TARGET, feed(lines.slice(0, inside)), false), (e: unknown) => isDriverError(e) && /ends inside key "x:gone"/.test(e.message));
  assert.deepEqual(await target.keys('*'), []);
});

test('a Redis Cluster round-trips too: each key written beside itself in its own slot', async () => {
  const nodes = need('REDIS_CLUSTER').split(',');
  const [host, port] = nodes[0]!.split(':');
  const raw = new Cluster(nodes.map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })), { redisOptions: { password } });
  const cluster = await redisSession({ ...profile, id: 'rt-cluster', host: host!, port: Number(port), cluster: true }, options);
  const keys = ['rt:{a}:hash', 'rt:b}:zset', 'rt:{c:stream', 'rt:d:list', 'rt:e:set', 'rt:f:string'].map((k) => Buffer.from(k));
  try {
    await raw.hset(keys[0]!, 'f', 'v', Buffer.from([0xff]), Buffer.from([0x00]));
    await raw.zadd(keys[1]!, '-inf', 'low', '2.5', 'mid');
    await raw.xadd(keys[2]!, '1-1', 'f', 'v');
    await raw.xgroup('CREATE', keys[2]!, 'g', '0');
    await raw.xreadgroup('GROUP', 'g', 'c', 'STREAMS', keys[2]!, '>');
    await raw.rpush(keys[3]!, 'a', 'b');
    await raw.sadd(keys[4]!, 'x');
    await raw.set(keys[5]!, 'v', 'PX', 5_000_000);
    const before = await Promise.all(keys.map((k) => snapshot(raw, k)));
    const lines = await exportLines(0, 'rt:*', cluster);
    for (const k of keys) await raw.del(k);
    assert.equal((await cluster.importLines(0, feed(lines), false)).written, keys.length);
    assert.deepEqual(await Promise.all(keys.map((k) => snapshot(raw, k))), before);
  } finally {
    for (const k of keys) await raw.del(k);
    raw.disconnect();
    await cluster.close();
  }
});
