import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConnectionUrl, profileFromValues, valuesFromProfile } from '../../src/drivers/kinds';

test('redis and rediss URLs fill host, port, user, password, db and TLS', () => {
  assert.deepEqual(parseConnectionUrl('redis://alice:p%40ss@cache.local:6380/4'), {
    kind: 'redis', values: { host: 'cache.local', port: '6380', username: 'alice', password: 'p@ss', db: '4', tls: false },
  });
  const tls = parseConnectionUrl('rediss://:secret@[::1]');
  assert.equal(tls?.kind, 'redis');
  assert.equal(tls?.values['host'], '::1');
  assert.equal(tls?.values['port'], '6379');
  assert.equal(tls?.values['tls'], true);
});

test('amqp URLs decode the vhost and default it to "/"', () => {
  assert.equal(parseConnectionUrl('amqp://guest:guest@mq:5672/%2F')?.values['vhost'], '/');
  assert.equal(parseConnectionUrl('amqp://guest:guest@mq')?.values['vhost'], '/');
  const parsed = parseConnectionUrl('amqps://u:p@mq.example/orders');
  assert.deepEqual(parsed, { kind: 'rabbitmq', values: { host: 'mq.example', port: '5671', username: 'u', password: 'p', vhost: 'orders', tls: true } });
});

test('mysql and mariadb URLs fill the database', () => {
  assert.deepEqual(parseConnectionUrl('mysql://root:pw@db:3307/shop'), { kind: 'mysql', values: { host: 'db', port: '3307', username: 'root', password: 'pw', database: 'shop', tls: false } });
  assert.equal(parseConnectionUrl('mariadb://root@db/app?ssl=true')?.values['tls'], true);
});

test('user@host:port is SSH, host:port lists are Memcached pools', () => {
  assert.deepEqual(parseConnectionUrl('deploy@bastion.example:2222'), { kind: 'ssh', values: { username: 'deploy', host: 'bastion.example', port: '2222' } });
  assert.deepEqual(parseConnectionUrl('ssh://ops@10.0.0.5'), { kind: 'ssh', values: { username: 'ops', host: '10.0.0.5', port: '22' } });
  assert.deepEqual(parseConnectionUrl('10.0.0.1:11211,10.0.0.2:11212'), { kind: 'memcached', values: { servers: '10.0.0.1:11211\n10.0.0.2:11212' } });
  assert.deepEqual(parseConnectionUrl('memcached://m1:11211 3'), { kind: 'memcached', values: { servers: 'm1:11211 3' } });
});

test('anything else is not a connection address', () => {
  for (const text of ['', '   ', 'hello', 'http://example.com', 'redis://', 'postgres://u@h/db', 'a b c']) {
    assert.equal(parseConnectionUrl(text), undefined, text);
  }
});

test('form values become a profile, with field errors for bad input', () => {
  const ok = profileFromValues('redis', 'id1', { name: 'cache', host: 'h', port: '6380', db: '2', tls: true, readOnly: true, group: 'prod' });
  assert.deepEqual(ok.profile, { id: 'id1', name: 'cache', readOnly: true, group: 'prod', kind: 'redis', host: 'h', port: 6380, db: 2, tls: true });
  const bad = profileFromValues('redis', 'id2', { name: '', host: '', port: '70000', db: '-1' });
  assert.equal(bad.profile, undefined);
  assert.deepEqual(Object.keys(bad.errors).sort(), ['db', 'host', 'name', 'port']);
  const pool = profileFromValues('memcached', 'id3', { name: 'pool', servers: 'a:1 2\nb' });
  assert.deepEqual(pool.profile?.kind === 'memcached' && pool.profile.servers, [{ host: 'a', port: 1, weight: 2 }, { host: 'b', port: 11211, weight: 1 }]);
  assert.match(profileFromValues('memcached', 'id4', { name: 'pool', servers: 'a:1 0' }).errors['servers'] ?? '', /weight/);
});

test('a profile round-trips through its form values', () => {
  const { profile } = profileFromValues('ssh', 'id5', { name: 'bastion', host: 'b', port: '2200', username: 'ops', keyFile: '/k', useAgent: true, jumpHost: 'id9' });
  assert.ok(profile);
  const again = profileFromValues('ssh', 'id5', valuesFromProfile(profile));
  assert.deepEqual(again.profile, profile);
});

test('the host field takes a name or an address, and says what is wrong with a URL, spaces, a port or a bad name', () => {
  const hostError = (host: string): string | undefined => profileFromValues('redis', 'h', { name: 'n', host }).errors['host'];
  for (const good of ['cache.local', 'localhost', 'redis-1.internal.', 'my_host', '10.0.0.1', '::1', '[fe80::1]', 'xn--fsq.example']) assert.equal(hostError(good), undefined, good);
  assert.match(hostError('http://foo bar') ?? '', /not a URL: paste the URL into the Address box/);
  assert.match(hostError('redis://cache:6379') ?? '', /not a URL/);
  assert.match(hostError('foo bar') ?? '', /cannot contain spaces/);
  assert.match(hostError('cache.local:6380') ?? '', /put the port in the Port field/);
  for (const bad of ['-cache', 'cache-', 'a..b', 'caché', 'a/b', 'a'.repeat(64), `${'a.'.repeat(127)}a`]) assert.match(hostError(bad) ?? '', /is not a host name or an IP address/, bad);
  for (const kind of ['mysql', 'rabbitmq', 'ssh'] as const) assert.match(profileFromValues(kind, 'h', { name: 'n', host: 'http://x' }).errors['host'] ?? '', /not a URL/, kind);
  assert.ok(profileFromValues('redis', 'h', { name: 'n', host: '[::1]' }).profile, 'a bracketed IPv6 address is taken');
});

test('redis TLS client certificate, key and server name: each asks for what it needs, and round-trips', () => {
  const base = { name: 'cache', host: '10.0.0.5', port: '6380', db: '0' };
  const errors = (values: Record<string, string | boolean>): string[] => Object.keys(profileFromValues('redis', 'r', { ...base, ...values }).errors).sort();
  assert.deepEqual(errors({ tls: false, certFile: '/c.pem', keyFile: '/c.key' }), ['certFile']);
  assert.deepEqual(errors({ tls: true, certFile: '/c.pem' }), ['keyFile']);
  assert.deepEqual(errors({ tls: true, keyFile: '/c.key' }), ['certFile']);
  assert.deepEqual(errors({ tls: false, servername: 'redis.internal' }), ['servername']);
  assert.match(profileFromValues('redis', 'r', { ...base, tls: true, servername: 'bad name\u202e' }).errors['servername'] ?? '', /is not a host name/);
  const { profile } = profileFromValues('redis', 'r', { ...base, tls: true, certFile: '/c.pem', keyFile: '/c.key', servername: 'redis.internal', sentinels: 's1:26379', sentinelMaster: 'main' });
  assert.ok(profile?.kind === 'redis');
  assert.deepEqual([profile.certFile, profile.keyFile, profile.servername], ['/c.pem', '/c.key', 'redis.internal']);
  assert.deepEqual(profileFromValues('redis', 'r', valuesFromProfile(profile)).profile, profile);
});
