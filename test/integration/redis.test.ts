import { test } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { driver } from '../../src/drivers/redis';
import { isDriverError } from '../../src/drivers/errors';
import { need, refusedPort } from './env';
import { redisSession, suiteRedis } from './redisSuite';

const { profile, options, password } = suiteRedis({ id: 'r1', name: 'redis' });

test('redis: connects, describes the server and lists databases with key counts', async () => {
  const raw = new Redis({ host: profile.host, port: profile.port, password, db: 3 });
  await raw.set('switchboard:test:a', '1');
  await raw.set('switchboard:test:b', '2');
  const session = await driver.connect(profile, options);
  try {
    assert.match(await session.describe(), /^Redis \d+\.\d+/);
    const dbs = await session.children();
    const db3 = dbs.find((n) => n.label === 'db3');
    assert.ok(dbs.some((n) => n.label === 'db0'), 'the profile database is always listed');
    assert.equal(db3?.description, '2 keys');
  } finally {
    await session.close();
    await raw.flushdb();
    raw.disconnect();
  }
});

test('redis: a wrong password is an auth error naming the endpoint', async () => {
  await assert.rejects(driver.connect(profile, { ...options, secrets: { password: 'not-the-password' } }), (error: unknown) => {
    assert.ok(isDriverError(error));
    assert.equal(error.code, 'auth');
    assert.match(error.message, new RegExp(`${profile.host}:${profile.port}`));
    assert.doesNotMatch(error.message, /not-the-password/);
    return true;
  });
});

test('redis: no password where one is required says so', async () => {
  await assert.rejects(driver.connect(profile, { ...options, secrets: {} }), (error: unknown) => isDriverError(error) && error.code === 'auth' && /requires a password/.test(error.message));
});

test('redis: a refused port is reported as refused', async () => {
  const port = await refusedPort();
  await assert.rejects(driver.connect({ ...profile, port }, options), (error: unknown) => isDriverError(error) && error.code === 'refused' && error.message.includes(`:${port}`));
});

test('redis: pointed at memcached it says the server does not speak Redis', async () => {
  const [host, port] = need('MEMCACHED_SERVERS').split(',')[0]!.split(':');
  await assert.rejects(driver.connect({ ...profile, host: host!, port: Number(port) }, options), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.equal(error.code, 'protocol', error.message);
    return true;
  });
});

test('redis: rediss with the private CA connects; without it, or TLS against the plain port, the failure is explained', async () => {
  const tlsUrl = new URL(need('REDISS_URL'));
  const base = { ...profile, id: 'tls' };
  const tlsProfile = { ...base, host: tlsUrl.hostname, port: Number(tlsUrl.port), tls: true, caFile: need('REDIS_CA_FILE') };
  const session = await driver.connect(tlsProfile, options);
  try {
    assert.match(await session.describe(), /^Redis \d/);
  } finally {
    await session.close();
  }
  const { caFile: _none, ...untrusting } = tlsProfile;
  await assert.rejects(driver.connect(untrusting, options), (error: unknown) => isDriverError(error) && error.code === 'tls' && /not trusted .*CA certificate file/.test(error.message));
  await assert.rejects(driver.connect({ ...tlsProfile, port: base.port }, { ...options, timeoutMs: 1500 }), (error: unknown) => isDriverError(error) && error.code === 'tls' && /not speak TLS on this port/.test(error.message));
});

test('redis: Sentinel names the master; an unknown master name is explained', async () => {
  const base = { ...profile, id: 'sentinel' };
  // Host and port point nowhere: only the Sentinel knows where the master is.
  const viaSentinel = { ...base, host: '192.0.2.1', port: 1, sentinels: [need('REDIS_SENTINEL')], sentinelMaster: need('REDIS_SENTINEL_MASTER') };
  const session = await redisSession(viaSentinel, options);
  try {
    assert.match(await session.describe(), /via Sentinel \(master switchboard\)/);
    await session.deleteKeys(0, [{ text: 'sentinel:probe' }]);
    await session.create(0, { text: 'sentinel:probe' }, { type: 'string', value: 'found' });
    const value = await session.value(0, { text: 'sentinel:probe' }, { limit: 10 });
    assert.ok(value.type === 'string' && value.value.text === 'found', JSON.stringify(value));
    await session.deleteKeys(0, [{ text: 'sentinel:probe' }]);
  } finally {
    await session.close();
  }
  await assert.rejects(driver.connect({ ...viaSentinel, sentinelMaster: 'nope' }, options), (error: unknown) => isDriverError(error) && /could not name a master|nope/.test(error.message));
});
