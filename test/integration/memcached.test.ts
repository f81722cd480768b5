import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { driver } from '../../src/drivers/memcached';
import { MemcachedProfile, MemcachedServer } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, refusedPort, TIMEOUT_MS } from './env';

const parseServers = (list: string): MemcachedServer[] =>
  list.split(',').map((entry) => {
    const [host, port] = entry.split(':');
    return { host: host!, port: Number(port), weight: 1 };
  });
const profile: MemcachedProfile = { id: 'm1', name: 'memcached', kind: 'memcached', servers: parseServers(need('MEMCACHED_SERVERS')), readOnly: false };
const options = { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };

function rawSet(server: MemcachedServer, key: string, value: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, server.host, () => socket.write(`set ${key} 0 0 ${value.length}\r\n${value}\r\n`));
    socket.once('data', (reply) => {
      socket.destroy();
      reply.toString().startsWith('STORED') ? resolve() : reject(new Error(reply.toString()));
    });
  });
}

test('memcached: connects and lists its servers with version, uptime and items', async () => {
  const server = profile.servers[0]!;
  await rawSet(server, 'switchboard:test:item', 'hello');
  const session = await driver.connect(profile, options);
  try {
    assert.match(await session.describe(), /^memcached 1\.\d+/);
    const [node] = await session.children();
    assert.equal(node?.label, `${server.host}:${server.port}`);
    assert.match(node?.description ?? '', /^[1-9]\d* items? · v1\.\d+\.\d+ · up \d+[dhms]( \d+[hms])?$/);
  } finally {
    await session.close();
  }
});

test('memcached: authenticates against a server with an auth file, and names a wrong password', async () => {
  const authProfile: MemcachedProfile = { ...profile, servers: parseServers(need('MEMCACHED_AUTH_SERVERS')), username: need('MEMCACHED_AUTH_USER') };
  const session = await driver.connect(authProfile, { ...options, secrets: { password: need('MEMCACHED_AUTH_PASSWORD') } });
  assert.equal((await session.children()).length, 1);
  await session.close();
  await assert.rejects(driver.connect(authProfile, { ...options, secrets: { password: 'wrong' } }), (error: unknown) => isDriverError(error) && error.code === 'auth' && error.message.includes(need('MEMCACHED_AUTH_SERVERS')));
  const { username: _ignored, ...anonymous } = authProfile;
  await assert.rejects(driver.connect(anonymous, options), (error: unknown) => isDriverError(error) && error.code === 'auth');
});

test('memcached: a refused port is reported as refused', async () => {
  const port = await refusedPort();
  await assert.rejects(driver.connect({ ...profile, servers: [{ host: '127.0.0.1', port, weight: 1 }] }, options), (error: unknown) => isDriverError(error) && error.code === 'refused');
});

test('memcached: pointed at Redis it says the server does not speak memcached', async () => {
  const redis = new URL(need('REDIS_URL'));
  await assert.rejects(driver.connect({ ...profile, servers: [{ host: redis.hostname, port: Number(redis.port), weight: 1 }] }, options), (error: unknown) => {
    assert.ok(isDriverError(error));
    assert.equal(error.code, 'protocol', error.message);
    return true;
  });
});
