import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { isDriverError } from '../../src/drivers/errors';
import { KeyRow } from '../../src/drivers/redis/scan';
import { keyRef } from '../../src/drivers/redis/keys';
import { redisSession, suiteRedis } from './redisSuite';
import { eventually } from '../eventually';

const DB = 5;
const { profile, options, password } = suiteRedis({ id: 'rd', name: 'redis' });
let raw: Redis;
let session: RedisSession;

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password, db: DB });
  await raw.flushdb();
  const p = raw.pipeline();
  p.set('str:json', '{"a":1}');
  p.set(Buffer.from([0x62, 0x69, 0x6e, 0xff, 0x00]), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  p.set('<img src=x onerror=alert(1)>', 'html-looking key');
  p.set('ünïcode:键', 'värde', 'EX', 500);
  p.hset('h:user', 'name', 'Ada', 'email', 'ada@example.com');
  p.rpush('l:queue', 'a', 'b', 'c');
  p.sadd('s:tags', 'x', 'y');
  p.zadd('z:board', 3, 'ada', 1, 'bob');
  p.xadd('x:events', '1-1', 'kind', 'created');
  p.xadd('x:events', '2-1', 'kind', 'paid');
  p.xgroup('CREATE', 'x:events', 'workers', '0');
  for (let i = 0; i < 5000; i++) p.set(`bulk:${i}`, String(i));
  await p.exec();
  session = await redisSession(profile, options);
});

after(async () => {
  await raw.flushdb();
  raw.disconnect();
  await session.close();
});

/** The keys a scan finds, as rows; the type is the one asked for (a plain scan looks nothing up). */
async function scanAll(match: string, type?: string): Promise<KeyRow[]> {
  const rows: KeyRow[] = [];
  await session.scan(DB, { match, ...(type ? { type } : {}), onKeys: (batch) => rows.push(...batch.map((key) => ({ ...keyRef(key), type: type ?? '', ttl: -1 }))) });
  return rows;
}

test('SCAN streams every key; type, TTL and memory come for the rows asked; MATCH and TYPE filter', async () => {
  const all = await scanAll('*');
  assert.equal(all.length, 5009);
  assert.ok(all.every((r) => r.type === ''), 'a plain scan looks nothing up');
  const [uni] = await session.metadata(DB, [all.find((r) => r.text === 'ünïcode:键')!]);
  assert.equal(uni?.type, 'string');
  assert.ok(uni!.ttl > 0 && uni!.ttl <= 500_000);
  assert.ok((uni?.memory ?? 0) > 0);
  assert.equal((await scanAll('bulk:*')).length, 5000);
  assert.deepEqual((await scanAll('*', 'hash')).map((r) => r.text), ['h:user']);
  assert.deepEqual((await scanAll('*', 'stream')).map((r) => [r.text, r.type]), [['x:events', 'stream']], 'a TYPE-filtered scan knows the type');
});

test('an exact key name is looked up without SCAN; binary and HTML-looking keys stay exact', async () => {
  const exact = await scanAll('h:user');
  assert.deepEqual((await session.metadata(DB, exact)).map((r) => r.type), ['hash']);
  assert.deepEqual(await scanAll('h:user', 'string'), [], 'an exact name of another type is not found');
  assert.deepEqual(await scanAll('no-such-key'), []);
  const all = await scanAll('*');
  const binary = all.find((r) => r.base64 !== undefined)!;
  assert.equal(binary.text, 'bin\\xff\\x00');
  const page = await session.value(DB, binary, { limit: 100 });
  assert.equal(page.type, 'string');
  assert.equal(page.type === 'string' && page.value.text, '\\xde\\xad\\xbe\\xef');
  assert.ok(all.some((r) => r.text === '<img src=x onerror=alert(1)>' && r.base64 === undefined));
});

test('scan progress reaches DBSIZE, and a cancelled scan stops', async () => {
  let last = { scanned: 0, total: 0, done: false };
  await session.scan(DB, { match: '*', count: 100, onKeys: () => undefined, onProgress: (p) => (last = p) });
  assert.equal(last.done, true);
  assert.equal(last.total, 5009);
  const controller = new AbortController();
  let batches = 0;
  await session.scan(DB, { match: '*', count: 100, signal: controller.signal, onKeys: () => (++batches === 2 ? controller.abort() : undefined) });
  assert.equal(batches, 2);
});

test('values of every type are read in pages', async () => {
  const ref = (text: string) => ({ text });
  const str = await session.value(DB, ref('str:json'), { limit: 100 });
  assert.ok(str.type === 'string' && str.json && str.value.text === '{"a":1}');
  const small = await redisSession(profile, { ...options, maxShownBytes: 3 });
  const cut = await small.value(DB, ref('str:json'), { limit: 100 }).finally(() => small.close());
  assert.ok(cut.type === 'string' && cut.truncated && cut.length === 7 && cut.value.text === '{"a');
  const hash = await session.value(DB, ref('h:user'), { limit: 10 });
  assert.ok(hash.type === 'hash' && hash.total === 2 && hash.entries.some(([f, v]) => f.text === 'name' && v.text === 'Ada'));
  const list = await session.value(DB, ref('l:queue'), { offset: 1, limit: 1 });
  assert.ok(list.type === 'list' && list.total === 3 && list.items[0]?.text === 'b');
  const set = await session.value(DB, ref('s:tags'), { limit: 10 });
  assert.ok(set.type === 'set' && set.total === 2);
  const zset = await session.value(DB, ref('z:board'), { limit: 10 });
  assert.ok(zset.type === 'zset' && zset.entries[0]?.[0].text === 'bob' && zset.entries[0]?.[1] === '1');
  const stream = await session.value(DB, ref('x:events'), { limit: 1 });
  assert.ok(stream.type === 'stream' && stream.total === 2 && stream.entries[0]?.id === '1-1' && stream.next === '1-1');
  assert.equal(stream.type === 'stream' && stream.groups[0]?.name, 'workers');
  const rest = await session.value(DB, ref('x:events'), { cursor: '1-1', limit: 1 });
  assert.ok(rest.type === 'stream' && rest.entries[0]?.id === '2-1');
});

test('the first page of a 200,000-field hash comes back without reading the rest', async () => {
  for (let start = 0; start < 200_000; start += 20_000) {
    const fields: string[] = [];
    for (let i = start; i < start + 20_000; i++) fields.push(`f${i}`, `v${i}`);
    await raw.hset('h:big', ...fields);
  }
  const page = await session.value(DB, { text: 'h:big' }, { limit: 200 });
  assert.ok(page.type === 'hash' && page.total === 200_000 && page.entries.length < 1000 && page.cursor !== '0');
  await raw.del('h:big');
});

test('saving a string checks nobody changed it meanwhile', async () => {
  const key = { text: 'str:edit' };
  await raw.set('str:edit', 'one', 'EX', 1000);
  assert.equal(await session.saveString(DB, key, Buffer.from('two'), Buffer.from('one')), 'saved');
  assert.equal(await raw.get('str:edit'), 'two');
  assert.ok((await raw.ttl('str:edit')) > 900, 'the TTL is kept');
  await raw.set('str:edit', 'someone else');
  assert.equal(await session.saveString(DB, key, Buffer.from('three'), Buffer.from('two')), 'conflict');
  assert.equal(await raw.get('str:edit'), 'someone else', 'their write survives');
});

test('rename asks before overwriting, TTL set and removed, delete', async () => {
  await raw.set('r:a', '1');
  await raw.set('r:b', '2');
  assert.equal(await session.rename(DB, { text: 'r:a' }, { text: 'r:b' }, false), false);
  assert.equal(await raw.get('r:b'), '2');
  assert.equal(await session.rename(DB, { text: 'r:a' }, { text: 'r:b' }, true), true);
  assert.equal(await raw.get('r:b'), '1');
  assert.equal(await session.expire(DB, { text: 'r:b' }, 100), true);
  assert.ok((await raw.ttl('r:b')) > 0);
  assert.equal(await session.persist(DB, { text: 'r:b' }), true);
  assert.equal(await raw.ttl('r:b'), -1);
  assert.equal(await session.deleteKeys(DB, [{ text: 'r:b' }, { text: 'missing' }]), 1);
});

test('the console runs commands on its own connection and refuses writes when read-only', async () => {
  const { parseCommandLine } = await import('../../src/drivers/redis/cli');
  const run = (c: ReturnType<RedisSession['console']>, line: string) => c.run(parseCommandLine(line));
  const writer = session.console();
  assert.deepEqual(await run(writer, `SELECT ${DB}`), Buffer.from('OK'));
  assert.deepEqual(await run(writer, 'SET cli:k "v 1"'), Buffer.from('OK'));
  assert.deepEqual(await run(writer, 'GET cli:k'), Buffer.from('v 1'));
  await assert.rejects(run(writer, 'SUBSCRIBE ch'), (e: unknown) => isDriverError(e) && /not available/.test(e.message));
  // The names Tab completes come from the server, and asking for them leaves the connection in its database.
  const names = await writer.commandNames();
  assert.ok(names.includes('HGETALL') && names.includes('SET') && !names.some((name) => name.includes('|')), names.slice(0, 20).join(' '));
  assert.deepEqual(await run(writer, 'GET cli:k'), Buffer.from('v 1'));
  // Typed in lower case, a hash's fields come back as the server sends them, not made into an object by the library.
  await raw.hset('cli:h', 'f', 'v');
  assert.deepEqual(await run(writer, 'hgetall cli:h'), [Buffer.from('f'), Buffer.from('v')]);
  assert.deepEqual(await run(writer, 'hgetall cli:none'), []);
  writer.close();
  const readOnly = await redisSession({ ...profile, readOnly: true }, options);
  const reader = readOnly.console();
  await run(reader, `SELECT ${DB}`);
  assert.deepEqual(await run(reader, 'GET cli:k'), Buffer.from('v 1'));
  for (const line of ['SET cli:k x', 'DEL cli:k', 'HSET h f v', 'FLUSHDB', 'CONFIG SET maxmemory 1', 'EXPIRE cli:k 1']) {
    await assert.rejects(run(reader, line), (e: unknown) => isDriverError(e) && e.code === 'readOnly', line);
  }
  assert.equal(await raw.get('cli:k'), 'v 1');
  assert.ok((await reader.commandNames()).includes('GET'), 'a read-only console completes too');
  reader.close();
  await readOnly.close();
});

test('a WRONGTYPE reply is explained with the endpoint; the console shows it as redis-cli does; nothing changes', async () => {
  await raw.set('wrongtype:str', 'text');
  await assert.rejects(session.edit(DB, { text: 'wrongtype:str' }, { type: 'hash', op: 'set', field: 'f', value: '1' }), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.match(error.message, new RegExp(`Redis at ${profile.host}:${profile.port}: WRONGTYPE .* refresh it`));
    return true;
  });
  const { parseCommandLine } = await import('../../src/drivers/redis/cli');
  const cli = session.console();
  await assert.rejects(cli.run(parseCommandLine(`SELECT ${DB}`)).then(() => cli.run(parseCommandLine('LPUSH wrongtype:str x'))), /WRONGTYPE/);
  cli.close();
  assert.equal(await raw.get('wrongtype:str'), 'text');
  await raw.del('wrongtype:str');
});

test('create a key of each type, then add, change and remove members', async () => {
  const k = (t: string) => ({ text: `new:${t}` });
  await session.create(DB, k('string'), { type: 'string', value: 'v' });
  await session.create(DB, k('hash'), { type: 'hash', op: 'set', field: 'f', value: '1' });
  await session.create(DB, k('list'), { type: 'list', op: 'push', value: 'a' });
  await session.create(DB, k('set'), { type: 'set', op: 'add', member: 'm' });
  await session.create(DB, k('zset'), { type: 'zset', op: 'add', member: 'm', score: 2.5 });
  await session.create(DB, k('stream'), { type: 'stream', op: 'add', fields: [['kind', 'created']] });
  for (const t of ['string', 'hash', 'list', 'set', 'zset', 'stream']) assert.equal(await raw.type(`new:${t}`), t);
  await assert.rejects(session.create(DB, k('hash'), { type: 'hash', op: 'set', field: 'x', value: '1' }), (e: unknown) => isDriverError(e) && /already exists/.test(e.message));
  await session.edit(DB, k('hash'), { type: 'hash', op: 'set', field: 'g', value: '2' });
  await session.edit(DB, k('hash'), { type: 'hash', op: 'delete', field: { base64: Buffer.from('f').toString('base64') } });
  assert.deepEqual(await raw.hgetall('new:hash'), { g: '2' });
  await session.edit(DB, k('list'), { type: 'list', op: 'push', value: 'b' });
  await session.edit(DB, k('list'), { type: 'list', op: 'set', index: 0, expected: { base64: Buffer.from('a').toString('base64') }, value: 'A' });
  await session.edit(DB, k('list'), { type: 'list', op: 'push', value: 'A' });
  assert.deepEqual(await session.edit(DB, k('list'), { type: 'list', op: 'delete', index: 2, expected: { base64: Buffer.from('A').toString('base64') } }), { changed: 1 });
  assert.deepEqual(await raw.lrange('new:list', 0, -1), ['A', 'b'], 'the item at that index goes, not an equal one elsewhere');
  await session.edit(DB, k('set'), { type: 'set', op: 'delete', member: { base64: Buffer.from('m').toString('base64') } });
  assert.equal(await raw.exists('new:set'), 0);
  await session.edit(DB, k('zset'), { type: 'zset', op: 'add', member: 'm', score: 7 });
  assert.equal(await raw.zscore('new:zset', 'm'), '7');
  await assert.rejects(session.edit(DB, k('zset'), { type: 'zset', op: 'add', member: 'n', score: Number.NaN }), (e: unknown) => isDriverError(e) && /numeric score/.test(e.message));
  const id = (await raw.xrange('new:stream', '-', '+'))[0]?.[0] ?? '';
  assert.deepEqual(await session.edit(DB, k('stream'), { type: 'stream', op: 'delete', id }), { changed: 1 });
});

test('delete by pattern: a preview count, then UNLINK in batches', async () => {
  const p = raw.pipeline();
  for (let i = 0; i < 3000; i++) p.set(`gone:${i}`, '1');
  await p.exec();
  assert.equal(await session.deleteMatching(DB, 'gone:*', { dryRun: true }), 3000);
  assert.equal(await raw.exists('gone:0'), 1, 'a preview deletes nothing');
  let progress = 0;
  assert.equal(await session.deleteMatching(DB, 'gone:*', { dryRun: false, onProgress: (n) => (progress = n) }), 3000);
  assert.equal(progress, 3000);
  assert.equal((await raw.keys('gone:*')).length, 0);
  await assert.rejects(session.deleteMatching(DB, '', { dryRun: false }), (e: unknown) => isDriverError(e) && /FLUSHDB/.test(e.message));
  const readOnly = await redisSession({ ...profile, readOnly: true }, options);
  await assert.rejects(readOnly.deleteMatching(DB, 'str:*', { dryRun: false }), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  assert.equal(await readOnly.deleteMatching(DB, 'str:*', { dryRun: true }), 2, 'counting is allowed read-only');
  await assert.rejects(readOnly.edit(DB, { text: 'h:user' }, { type: 'hash', op: 'delete', field: { base64: Buffer.from('name').toString('base64') } }), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  await assert.rejects(readOnly.create(DB, { text: 'ro:new' }, { type: 'string', value: 'x' }), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  await readOnly.close();
});

test('server views: INFO sections, slow log, clients and memory stats below the connection', async () => {
  const top = await session.children();
  const server = top.find((n) => n.label === 'Server');
  assert.ok(server);
  const views = await session.children(server);
  assert.deepEqual(views.map((v) => v.label), ['Info', 'Slow log', 'Clients', 'Memory stats']);
  const sections = await session.children(views[0]);
  const serverSection = sections.find((s) => s.label === 'Server');
  assert.ok((await session.children(serverSection)).some((f) => f.label === 'redis_version'));
  await raw.call('SLOWLOG', 'RESET');
  assert.equal((await session.children(views[1]))[0]?.label, 'No slow commands logged');
  assert.ok((await session.children(views[2])).length >= 2, 'this test and the session are clients');
  assert.ok((await session.children(views[3])).some((m) => m.label === 'peak.allocated'));
});

test('export to JSON lines and import back: every type, TTLs and binary bytes', async () => {
  const source = await redisSession({ ...profile, db: 0 }, options);
  const lines: string[] = [];
  const { exported } = await session.exportKeys(DB, '*:*', async (line) => void lines.push(line));
  assert.ok(exported >= 8, String(exported));
  const headers = new Map(lines.map((l) => JSON.parse(l) as { key?: unknown; type?: string; expireAt?: number }).filter((r) => r.key !== undefined).map((r) => [JSON.stringify(r.key), r]));
  assert.equal(headers.get('"h:user"')?.type, 'hash');
  assert.ok((headers.get('"ünïcode:键"')?.expireAt ?? 0) > Date.now());
  const target = new Redis({ host: profile.host, port: profile.port, password, db: 9 });
  await target.flushdb();
  async function* feed(): AsyncIterable<string> {
    yield* lines;
  }
  const result = await source.importLines(9, feed(), false);
  assert.equal(result.written, exported);
  for (const key of ['h:user', 'l:queue', 's:tags', 'z:board', 'x:events', 'str:json']) assert.equal(await target.type(key), await raw.type(key), key);
  assert.deepEqual(await target.hgetall('h:user'), await raw.hgetall('h:user'));
  assert.deepEqual(await target.lrange('l:queue', 0, -1), await raw.lrange('l:queue', 0, -1));
  assert.deepEqual(await target.zrange('z:board', '0', '-1', 'WITHSCORES'), await raw.zrange('z:board', '0', '-1', 'WITHSCORES'));
  assert.deepEqual(await target.xrange('x:events', '-', '+'), await raw.xrange('x:events', '-', '+'));
  assert.ok((await target.pttl('ünïcode:键')) > 0, 'TTL restored');
  await target.set('h:user', 'kept');
  const again = await source.importLines(9, feed(), false);
  assert.equal(again.kept, exported, 'existing keys are kept without replace');
  assert.equal(await target.get('h:user'), 'kept');
  await target.flushdb();
  target.disconnect();
  await source.close();
});

test('pub/sub: channel and pattern subscriptions receive what is published; read-only may not publish', async () => {
  const got: { channel: string; pattern?: string; message: string }[] = [];
  const subscription = await session.subscribe(['orders'], ['events.*'], (m) => got.push(m));
  assert.equal(await session.publish('orders', 'order 1 ✓'), 1);
  assert.equal(await session.publish('events.paid', 'paid'), 1);
  assert.equal(await session.publish('elsewhere', 'x'), 0);
  await eventually('the two matching messages to arrive', () => got.length >= 2);
  assert.deepEqual(got.map((m) => [m.channel, m.pattern, m.message]), [['orders', undefined, 'order 1 ✓'], ['events.paid', 'events.*', 'paid']]);
  subscription.close();
  const readOnly = await redisSession({ ...profile, readOnly: true }, options);
  await assert.rejects(readOnly.publish('orders', 'x'), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  await readOnly.close();
});
