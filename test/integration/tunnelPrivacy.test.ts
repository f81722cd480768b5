import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { driver as ssh } from '../../src/drivers/ssh';
import { driver as redis } from '../../src/drivers/redis';
import { driver as memcached } from '../../src/drivers/memcached';
import { driver as rabbitmq } from '../../src/drivers/rabbitmq';
import { driver as mysql } from '../../src/drivers/mysql';
import { Session, SshProfile, Tunnel } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { knownHostsLine } from '../../src/drivers/ssh/knownHosts';
import { knownHostsVerifier, need, TIMEOUT_MS } from './env';
import { ownTcpListeners } from '../services/procfs';

const host = need('SSH_HOST');
const target: SshProfile = { id: 't', name: 'target', kind: 'ssh', host, port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false };
const jump: SshProfile = { ...target, id: 'j', name: 'jump', port: Number(need('SSH_JUMP_PORT')) };
const keyOf = (line: string): Buffer => Buffer.from(line.split(' ')[1] ?? '', 'base64');
const knownHosts = [knownHostsLine(host, target.port, keyOf(need('SSH_HOST_KEY'))), knownHostsLine(host, jump.port, keyOf(need('SSH_JUMP_HOST_KEY')))].join('\n');
const options = { secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: knownHostsVerifier(knownHosts) };

test('a connection of every kind through SSH works while this process listens on no new TCP port', async () => {
  const carrier = await ssh.connect(jump, options);
  const before = ownTcpListeners();
  const opened: Session[] = [];
  const tunnels: Tunnel[] = [];
  const through = (h: string, p: number): Tunnel => {
    const tunnel = carrier.openTunnel(h, p);
    tunnels.push(tunnel);
    return tunnel;
  };
  try {
    const r = new URL(need('REDIS_URL'));
    const redisTunnel = through(r.hostname, Number(r.port));
    const redisSession = await redis.connect({ id: 'r', name: 'r', kind: 'redis', host: r.hostname, port: Number(r.port), db: 0, tls: false, readOnly: false }, { ...options, tunnel: redisTunnel, secrets: { password: decodeURIComponent(r.password) } });
    opened.push(redisSession);
    assert.ok((await redisSession.children()).some((n) => n.label === 'db0'));

    const [mHost = '', mPort] = need('MEMCACHED_SERVERS').split(':');
    const memcachedSession = await memcached.connect({ id: 'm', name: 'm', kind: 'memcached', servers: [{ host: mHost, port: Number(mPort), weight: 1 }], readOnly: false }, { ...options, tunnel: through(mHost, Number(mPort)), secrets: {} });
    opened.push(memcachedSession);
    assert.equal((await memcachedSession.children()).length, 1);

    const a = new URL(need('AMQP_URL'));
    const rabbitTunnel = through(a.hostname, Number(a.port));
    const rabbitSession = await rabbitmq.connect({ id: 'a', name: 'a', kind: 'rabbitmq', host: a.hostname, port: Number(a.port), username: decodeURIComponent(a.username), vhost: '/', tls: false, readOnly: false }, { ...options, tunnel: rabbitTunnel, secrets: { password: decodeURIComponent(a.password) } });
    opened.push(rabbitSession);
    assert.match(await rabbitSession.describe(), /RabbitMQ/);

    const my = new URL(need('MYSQL_URL'));
    const mysqlSession = await mysql.connect({ id: 's', name: 's', kind: 'mysql', host: my.hostname, port: Number(my.port), username: decodeURIComponent(my.username), database: 'demo', tls: false, readOnly: false }, { ...options, tunnel: through(my.hostname, Number(my.port)), secrets: { password: decodeURIComponent(my.password) } });
    opened.push(mysqlSession);
    assert.ok((await mysqlSession.children()).some((n) => n.label === 'demo'));
    // Sequelize opens connections of its own: they ride the tunnel too.
    const models = await mysqlSession.models('demo');
    assert.deepEqual(await models.sequelize.query('SELECT 6 * 7 AS answer', { plain: true }), { answer: 42 });
    // The scratchpad's worker thread cannot take an SSH channel: it dials the tunnel's private socket instead.
    const snippet = await mysqlSession.scratchpad('demo', "return (await sequelize.query('SELECT 6 * 7 AS answer', { plain: true })).answer;", { language: 'javascript', timeoutMs: 20_000, commit: false, print: () => undefined });
    assert.equal(Number(snippet.value), 42);

    const hop = await ssh.connect(target, { ...options, tunnel: through(host, target.port) });
    opened.push(hop);
    assert.match(await hop.describe(), /^Linux /);

    assert.deepEqual(ownTcpListeners(), before, 'no TCP listener was opened for any tunnel');
    // Only the libraries that dial addresses (ioredis, amqplib) got a Unix socket, in a directory only this user enters.
    for (const tunnel of [redisTunnel, rabbitTunnel]) {
      const dir = statSync(dirname(await tunnel.socketPath()));
      assert.equal(dir.mode & 0o777, 0o700);
      assert.equal(dir.uid, process.getuid?.());
    }
  } finally {
    for (const session of opened.reverse()) await session.close();
    for (const tunnel of tunnels) tunnel.close();
    await carrier.close();
  }
});

test('a tunnel to a port nobody listens on fails with a message naming it', async () => {
  const carrier = await ssh.connect(jump, options);
  try {
    const { freePort } = await import('../services/process');
    const port = await freePort();
    await assert.rejects(carrier.openTunnel('127.0.0.1', port).open(), (e: unknown) => isDriverError(e) && e.code === 'refused' && e.message.includes(`127.0.0.1:${port} could not be reached through SSH`));
  } finally {
    await carrier.close();
  }
});

test('TLS runs over a tunnel as it does over TCP: the certificate is checked against the profile\'s host name', async () => {
  const carrier = await ssh.connect(jump, options);
  const tunnels: Tunnel[] = [];
  const through = (h: string, p: number): Tunnel => {
    const tunnel = carrier.openTunnel(h, p);
    tunnels.push(tunnel);
    return tunnel;
  };
  try {
    const r = new URL(need('REDISS_URL'));
    const redisProfile = { id: 'rt', name: 'rt', kind: 'redis' as const, host: r.hostname, port: Number(r.port), db: 0, tls: true, caFile: need('REDIS_CA_FILE'), readOnly: false };
    const redisSession = await redis.connect(redisProfile, { ...options, tunnel: through(r.hostname, Number(r.port)), secrets: { password: decodeURIComponent(r.password) } });
    assert.match(await redisSession.describe(), /^Redis \d/);
    await redisSession.close();
    const { caFile: _none, ...untrusting } = redisProfile;
    await assert.rejects(redis.connect(untrusting, { ...options, tunnel: through(r.hostname, Number(r.port)), secrets: { password: decodeURIComponent(r.password) } }), (e: unknown) => isDriverError(e) && e.code === 'tls');
    const a = new URL(need('AMQPS_URL'));
    const rabbitSession = await rabbitmq.connect({ id: 'at', name: 'at', kind: 'rabbitmq', host: a.hostname, port: Number(a.port), username: decodeURIComponent(a.username), vhost: '/', tls: true, caFile: need('AMQP_CA_FILE'), readOnly: false }, { ...options, tunnel: through(a.hostname, Number(a.port)), secrets: { password: decodeURIComponent(a.password) } });
    assert.match(await rabbitSession.describe(), /^RabbitMQ \d+/);
    await rabbitSession.close();
  } finally {
    for (const tunnel of tunnels) tunnel.close();
    await carrier.close();
  }
});

test('a jump host that never answers a channel open fails the hop within the connect timeout', async () => {
  const { startLyingSftpServer } = await import('./lyingSftpServer');
  const stalled = await startLyingSftpServer({}, { stallForwarding: true });
  const carrier = await ssh.connect({ ...jump, port: stalled.port }, { ...options, hostKeys: knownHostsVerifier(stalled.knownHosts) });
  try {
    const started = Date.now();
    await assert.rejects(ssh.connect(target, { ...options, timeoutMs: 1000, tunnel: carrier.openTunnel(host, target.port) }), (e: unknown) => isDriverError(e) && e.code === 'timeout' && /channel through the jump host/.test(e.message));
    assert.ok(Date.now() - started < 5000);
  } finally {
    await carrier.close();
    await stalled.close();
  }
});
