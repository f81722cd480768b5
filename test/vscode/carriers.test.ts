import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile, Session } from '../../src/drivers/types';
import type { ConnectionState } from '../../src/core/sessionManager';
import { OpenSshService, startOpenSsh } from '../services/openssh';
import { env, eventually, extension, storePassword } from './api';

const CARRIER = 'rc-carrier';

describe('connections through SSH follow their carrier', () => {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-carriers-'));
  let sshd: OpenSshService;
  let riders: Profile[] = [];
  const seen: { id: string; state: ConnectionState }[] = [];

  before(async () => {
    const api = await extension();
    sshd = await startOpenSsh(root, 'sshd-carrier');
    const blob = (line: string): Buffer => Buffer.from(line.split(' ')[1] ?? '', 'base64');
    await api.hostKeys.remember('127.0.0.1', sshd.port, blob(sshd.hostPublicKey));
    await api.hostKeys.remember(env('SSH_HOST'), Number(env('SSH_PORT')), blob(env('SSH_HOST_KEY')));
    const redis = new URL(env('REDIS_URL'));
    const mysql = new URL(env('MYSQL_URL'));
    const amqp = new URL(env('AMQP_URL'));
    const [memcachedHost = '', memcachedPort] = env('MEMCACHED_SERVERS').split(':');
    riders = [
      { id: 'rc-redis', name: 'Redis via carrier', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: false, viaSsh: CARRIER },
      { id: 'rc-mysql', name: 'MySQL via carrier', kind: 'mysql', host: mysql.hostname, port: Number(mysql.port), username: decodeURIComponent(mysql.username), database: 'demo', tls: false, readOnly: false, viaSsh: CARRIER },
      { id: 'rc-memcached', name: 'Memcached via carrier', kind: 'memcached', servers: [{ host: memcachedHost, port: Number(memcachedPort), weight: 1 }], readOnly: false, viaSsh: CARRIER },
      { id: 'rc-rabbit', name: 'RabbitMQ via carrier', kind: 'rabbitmq', host: amqp.hostname, port: Number(amqp.port), username: decodeURIComponent(amqp.username), vhost: '/', tls: false, readOnly: false, viaSsh: CARRIER },
      { id: 'rc-behind', name: 'SSH behind the carrier', kind: 'ssh', host: env('SSH_HOST'), port: Number(env('SSH_PORT')), username: env('SSH_USER'), useAgent: false, readOnly: false, jumpHost: CARRIER },
      // A rider of a rider: Redis through the host behind the jump host.
      { id: 'rc-deep-redis', name: 'Redis two hops away', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: false, viaSsh: 'rc-behind' },
    ];
    await api.profiles.saveMany([{ id: CARRIER, name: 'Carrier', kind: 'ssh', host: '127.0.0.1', port: sshd.port, username: sshd.user, useAgent: false, readOnly: false }, ...riders]);
    await storePassword(api, CARRIER, sshd.password);
    await storePassword(api, 'rc-redis', decodeURIComponent(redis.password));
    await storePassword(api, 'rc-deep-redis', decodeURIComponent(redis.password));
    await storePassword(api, 'rc-mysql', decodeURIComponent(mysql.password));
    await storePassword(api, 'rc-rabbit', decodeURIComponent(amqp.password));
    await storePassword(api, 'rc-behind', env('SSH_PASSWORD'));
    api.sessions.onDidChange((id) => seen.push({ id, state: api.sessions.state(id) }));
  });

  after(async () => {
    const api = await extension();
    await api.sessions.disconnect(CARRIER);
    await sshd?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Every rider answers, through sessions as the panels get them. */
  async function ridersWork(): Promise<Session[]> {
    const api = await extension();
    const sessions = await Promise.all(riders.map((profile) => api.sessions.session(profile)));
    for (const [i, session] of sessions.entries()) assert.ok((await session.describe()).length > 0, riders[i]?.name);
    return sessions;
  }

  const allConnected = async (except?: string): Promise<true | undefined> => {
    const api = await extension();
    return [CARRIER, ...riders.map((r) => r.id)].filter((id) => id !== except).every((id) => api.sessions.state(id).status === 'connected') || undefined;
  };

  it('a dropped SSH connection takes its riders with it, and each comes back through a new one', async () => {
    const api = await extension();
    const before = await ridersWork();
    const carrierBefore = await api.sessions.session(api.profiles.get(CARRIER)!);
    seen.length = 0;
    sshd.dropConnections();
    await eventually('every rider to show the lost carrier', () => riders.every((rider) => seen.some((e) => e.id === rider.id && e.state.status === 'reconnecting' && /the SSH connection it goes through, was lost|was closed/.test(e.state.reason ?? ''))) || undefined);
    await eventually('every connection to be back', () => allConnected(), 30_000);
    const after = await ridersWork();
    assert.notEqual(await api.sessions.session(api.profiles.get(CARRIER)!), carrierBefore, 'a new carrier');
    for (const [i, session] of after.entries()) assert.notEqual(session, before[i], `${riders[i]?.name} rides the new carrier`);
  });

  it('when the SSH server is down for a while, riders keep trying and come back once it is up again; one the user disconnects stays so', async () => {
    const api = await extension();
    await ridersWork();
    seen.length = 0;
    sshd.kill();
    // An attempt made while the server is down fails and says so; then the server comes back.
    await eventually('an attempt to fail while the server is down', () => seen.some((e) => e.state.status === 'reconnecting' && /still reconnecting/.test(e.state.reason ?? '')) || undefined);
    await api.sessions.disconnect('rc-memcached');
    await sshd.restart();
    await eventually('every other connection to be back', () => allConnected('rc-memcached'), 30_000);
    assert.equal(api.sessions.state('rc-memcached').status, 'disconnected', 'a rider the user disconnected does not come back by itself');
    assert.equal(api.sessions.isOpen('rc-memcached'), false);
    await ridersWork();
  });
});
