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
