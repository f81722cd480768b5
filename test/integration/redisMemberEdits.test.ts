import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { isDriverError } from '../../src/drivers/errors';
import { redisSession, suiteRedis } from './redisSuite';

/**
 * Member edits address exactly what the user was shown: members by their bytes (as the page carried them), list
 * items by index and the bytes read there, checked on the server in the same step as the change.
 */

const DB = 7;
const { profile, options, password } = suiteRedis({ id: 'rm', name: 'members' });
let raw: Redis;
let session: RedisSession;

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password, db: DB });
  await raw.flushdb();
  session = await redisSession(profile, options);
});

after(async () => {
  await raw.flushdb();
  raw.disconnect();
  await session.close();
});

/** The first page of a list, as the key browser shows it. */
async function listPage(key: string): Promise<{ index: number; text: string; base64: string }[]> {
  const page = await session.value(DB, { text: key }, { limit: 100 });
  assert.equal(page.type, 'list');
  return page.type === 'list' ? page.items.map((item, i) => ({ index: page.offset + i, text: item.text, base64: item.base64 })) : [];
}

test('removing list items from one page read: each removal hits the item chosen, a stale index is refused', async () => {
  await raw.rpush('l:page', 'a', 'b', 'c', 'd', 'e');
  const shown = await listPage('l:page');
  const remove = (row: { index: number; base64: string }) => session.edit(DB, { text: 'l:page' }, { type: 'list', op: 'delete', index: row.index, expected: { base64: row.base64 } });
  assert.deepEqual(await remove(shown[1]!), { changed: 1 });
  assert.deepEqual(await raw.lrange('l:page', 0, -1), ['a', 'c', 'd', 'e']);
  // The page still says "c" is at index 2; it is at 1 now, and index 2 holds "d". Nothing is removed.
  assert.deepEqual(await remove(shown[2]!), { moved: true });
  assert.deepEqual(await raw.lrange('l:page', 0, -1), ['a', 'c', 'd', 'e']);
  // Past the end (the list shrank) is refused the same way.
  assert.deepEqual(await remove(shown[4]!), { moved: true });
  // With the index it holds now, it goes.
  assert.deepEqual(await remove({ index: 1, base64: shown[2]!.base64 }), { changed: 1 });
  assert.deepEqual(await raw.lrange('l:page', 0, -1), ['a', 'd', 'e']);
});

test('a list item changed or moved by someone else meanwhile is not removed or overwritten', async () => {
  await raw.rpush('l:busy', 'job-1', 'job-2', 'job-3');
  const shown = await listPage('l:busy');
  await raw.lset('l:busy', 1, 'job-2-retried');
  assert.deepEqual(await session.edit(DB, { text: 'l:busy' }, { type: 'list', op: 'delete', index: 1, expected: { base64: shown[1]!.base64 } }), { moved: true });
  assert.deepEqual(await session.edit(DB, { text: 'l:busy' }, { type: 'list', op: 'set', index: 1, expected: { base64: shown[1]!.base64 }, value: 'mine' }), { moved: true });
  await raw.lpush('l:busy', 'job-0');
  assert.deepEqual(await session.edit(DB, { text: 'l:busy' }, { type: 'list', op: 'delete', index: 2, expected: { base64: shown[2]!.base64 } }), { moved: true });
  assert.deepEqual(await raw.lrange('l:busy', 0, -1), ['job-0', 'job-1', 'job-2-retried', 'job-3']);
  // Equal items elsewhere are not the one chosen: only the item at the index goes.
  await raw.rpush('l:same', 'x', 'y', 'x', 'x');
  const same = await listPage('l:same');
  assert.deepEqual(await session.edit(DB, { text: 'l:same' }, { type: 'list', op: 'delete', index: 2, expected: { base64: same[2]!.base64 } }), { changed: 1 });
  assert.deepEqual(await raw.lrange('l:same', 0, -1), ['x', 'y', 'x']);
});

test('a binary hash field, set member and sorted-set member are removed by their bytes, not a look-alike text', async () => {
  const binary = Buffer.from([0xff, 0x61]);
  const lookalike = '\\xffa';
  await raw.hset('h:bin', binary, 'binary', lookalike, 'text');
  await raw.sadd('s:bin', binary, lookalike);
  await raw.zadd('z:bin', 1, binary, 2, lookalike);
  const hash = await session.value(DB, { text: 'h:bin' }, { limit: 10 });
  const set = await session.value(DB, { text: 's:bin' }, { limit: 10 });
  const zset = await session.value(DB, { text: 'z:bin' }, { limit: 10 });
  assert.ok(hash.type === 'hash' && set.type === 'set' && zset.type === 'zset');
  const fieldShown = hash.entries.find(([f]) => !f.exact)![0];
  assert.equal(fieldShown.text, lookalike, 'both read the same on screen');
  assert.deepEqual(await session.edit(DB, { text: 'h:bin' }, { type: 'hash', op: 'delete', field: { base64: fieldShown.base64 } }), { changed: 1 });
  assert.deepEqual(await raw.hgetall('h:bin'), { [lookalike]: 'text' });
  const memberShown = set.members.find((m) => !m.exact)!;
  assert.deepEqual(await session.edit(DB, { text: 's:bin' }, { type: 'set', op: 'delete', member: { base64: memberShown.base64 } }), { changed: 1 });
  assert.deepEqual(await raw.smembers('s:bin'), [lookalike]);
  const zShown = zset.entries.find(([m]) => !m.exact)![0];
  assert.deepEqual(await session.edit(DB, { text: 'z:bin' }, { type: 'zset', op: 'delete', member: { base64: zShown.base64 } }), { changed: 1 });
  assert.deepEqual(await raw.zrange('z:bin', '0', '-1'), [lookalike]);
  // The text one is named by its own bytes.
  const textField = { base64: Buffer.from(lookalike).toString('base64') };
  assert.deepEqual(await session.edit(DB, { text: 'h:bin' }, { type: 'hash', op: 'delete', field: textField }), { changed: 1 });
  await assert.rejects(session.edit(DB, { text: 's:bin' }, { type: 'set', op: 'delete', member: { base64: '\\xffa' } }), (e: unknown) => isDriverError(e) && /base64/.test(e.message));
  assert.deepEqual(await raw.smembers('s:bin'), [lookalike], 'a member named by anything but its bytes removes nothing');
});

test('a hash field opened as a document is read and saved by its bytes', async () => {
  const binary = Buffer.from([0xff, 0x62]);
  await raw.hset('h:doc', binary, 'binary', '\\xffb', 'text');
  assert.deepEqual(await session.readWhole(DB, { text: 'h:doc' }, binary, 1000), Buffer.from('binary'));
  assert.equal(await session.saveHashField(DB, { text: 'h:doc' }, binary, Buffer.from('saved'), Buffer.from('binary')), 'saved');
  assert.deepEqual(await raw.hgetBuffer('h:doc', binary), Buffer.from('saved'));
  assert.equal(await raw.hget('h:doc', '\\xffb'), 'text');
});

test('a TTL of 0 or less is not a TTL: it is refused, and the key stays; removing a TTL is its own operation', async () => {
  await raw.set('t:k', 'v', 'EX', 1000);
  for (const seconds of [0, -1, -5, 1.5, Number.NaN]) {
    await assert.rejects(session.expire(DB, { text: 't:k' }, seconds), (e: unknown) => isDriverError(e) && e.code === 'config' && /deletes the key/.test(e.message), String(seconds));
  }
  assert.equal(await raw.get('t:k'), 'v');
  assert.ok((await raw.ttl('t:k')) > 900);
  assert.equal(await session.expire(DB, { text: 't:k' }, 60), true);
  assert.ok((await raw.ttl('t:k')) <= 60);
  assert.equal(await session.persist(DB, { text: 't:k' }), true);
  assert.equal(await raw.ttl('t:k'), -1);
});
