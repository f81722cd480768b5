import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { driver, MemcachedSession } from '../../src/drivers/memcached';
import { MemcachedProfile } from '../../src/drivers/types';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

const [host, port] = need('MEMCACHED_SERVERS').split(',')[0]!.split(':');
const profile: MemcachedProfile = { id: 'ttl', name: 'cache', kind: 'memcached', servers: [{ host: host!, port: Number(port), weight: 1 }], readOnly: false };
const prefix = `ttl${process.pid}:`;
let session: MemcachedSession;

before(async () => {
  const connected = await driver.connect(profile, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
  assert.ok(connected instanceof MemcachedSession);
  session = connected;
});
after(() => session.close());

test('an item read says how long it has left and how big it is, as the server counts them, and follows a touch', async () => {
  await session.store('set', `${prefix}short`, Buffer.from('v'), { ttl: 300 });
  await session.store('set', `${prefix}forever`, Buffer.from('v'), { ttl: 0 });
  const short = await session.get(`${prefix}short`);
  assert.ok(short?.ttl !== undefined && short.ttl > 290 && short.ttl <= 300, `ttl ${short?.ttl}`);
  assert.equal((await session.get(`${prefix}forever`))?.ttl, -1);
  assert.equal(await session.touch(`${prefix}forever`, 7200), true);
  const touched = (await session.get(`${prefix}forever`))?.ttl ?? 0;
  assert.ok(touched > 7190 && touched <= 7200, `ttl after touch ${touched}`);
  assert.equal(await session.get(`${prefix}gone`), undefined);
  // The item's size as a listing counts it: what a key browser shows for it after a write.
  const listed: number[] = [];
  await session.listKeys((keys) => listed.push(...keys.filter((k) => k.key === `${prefix}short`).map((k) => k.size)), { cap: 1_000_000 });
  assert.deepEqual(listed, [short.itemSize]);
  // The meta request shares the connection with what follows: the next read is not thrown off by it.
  assert.equal((await session.get(`${prefix}short`))?.data.toString(), 'v');
});

test('a cas-checked save keeps the item\'s expiry, short or past 30 days, and an item without one stays without', async () => {
  const month = 40 * 24 * 3600;
  for (const [name, ttl] of [['save-short', 300], ['save-long', month], ['save-forever', 0]] as const) {
    const key = `${prefix}${name}`;
    await session.store('set', key, Buffer.from('before'), { ttl: ttl > 30 * 24 * 3600 ? Math.floor(Date.now() / 1000) + ttl : ttl });
    const read = await session.get(key);
    assert.ok(read);
    // Saved three times: an expiry moved by each save (a Unix time from a clock other than the server's) adds up.
    for (const value of ['one', 'two', 'three']) {
      const current = await session.get(key);
      assert.ok(current);
      assert.equal(await session.compareAndSet(current, Buffer.from(value)), 'saved');
    }
    const saved = await session.get(key);
    assert.equal(saved?.data.toString(), 'three');
    if (ttl === 0) assert.equal(saved?.ttl, -1, 'an item without expiry stays without');
    else assert.ok(saved?.ttl !== undefined && read.ttl !== undefined && saved.ttl > read.ttl - 5 && saved.ttl <= read.ttl, `${name}: ttl ${saved?.ttl} after the saves, ${read.ttl} before`);
  }
});

