import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { driver } from '../../src/drivers/redis';
import { driver as ssh } from '../../src/drivers/ssh';
import { ConnectOptions, RedisProfile, SshProfile, Tunnel } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { knownHostsLine } from '../../src/drivers/ssh/knownHosts';
import { ClientCertificates, makeCertificates, makeClientCertificate, TestCertificates } from '../services/tls';
import { MutualTlsRedis, SentinelService, startMutualTlsRedis, startSecuredSentinel } from '../services/redisSecured';
import { knownHostsVerifier, need, TIMEOUT_MS } from './env';
import { redisSession } from './redisSuite';
import { ownTcpPeerPorts } from '../services/procfs';

/* Transport: client certificates and SNI, Sentinels with a password of their own (plain and TLS), and a Cluster and
 * Sentinels reached through SSH. */

const master = new URL(need('REDIS_URL'));
const masterPassword = decodeURIComponent(master.password);
const masterTls = new URL(need('REDISS_URL'));
const caFile = need('REDIS_CA_FILE');
// The services' server certificate and key (beside its CA), for a TLS Sentinel that trusts the same CA.
const servicesTls: TestCertificates = { caFile, certFile: join(dirname(caFile), 'server.pem'), keyFile: join(dirname(caFile), 'server.key') };
const SENTINEL_PASSWORD = 'sentinel-only-secret';
const base: RedisProfile = { id: 'transport', name: 'transport', kind: 'redis', host: '192.0.2.1', port: 1, db: 0, tls: false, readOnly: false };
const options = (secrets: ConnectOptions['secrets'], extra: Partial<ConnectOptions> = {}): ConnectOptions => ({ secrets, timeoutMs: TIMEOUT_MS, hostKeys: knownHostsVerifier(''), ...extra });

let root = '';
let plainSentinel: SentinelService;
let tlsSentinel: SentinelService;
let mtls: MutualTlsRedis;
let mtlsCerts: TestCertificates;
let client: ClientCertificates;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'switchboard-transport-'));
  mtlsCerts = await makeCertificates(join(root, 'mtls-certs'), 'DNS:redis.internal');
  client = await makeClientCertificate(join(root, 'mtls-certs'));
  [plainSentinel, tlsSentinel, mtls] = await Promise.all([
    startSecuredSentinel(root, 'sentinel-plain', { master: 'guarded', masterPort: Number(master.port), masterPassword, password: SENTINEL_PASSWORD }),
    startSecuredSentinel(root, 'sentinel-tls', { master: 'guarded-tls', masterPort: Number(masterTls.port), masterPassword, password: SENTINEL_PASSWORD, tls: servicesTls }),
    startMutualTlsRedis(root, mtlsCerts, masterPassword),
  ]);
});

after(async () => {
  await Promise.allSettled([plainSentinel?.stop(), tlsSentinel?.stop(), mtls?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

/** Connects, writes a key and reads it back, and closes. */
async function roundTrip(profile: RedisProfile, connect: ConnectOptions, key = `transport:${profile.id}`): Promise<void> {
  const session = await redisSession(profile, connect);
  try {
    await session.deleteKeys(0, [{ text: key }]);
    await session.create(0, { text: key }, { type: 'string', value: 'through' });
    const value = await session.value(0, { text: key }, { limit: 10 });
    assert.ok(value.type === 'string' && value.value.text === 'through', JSON.stringify(value));
    await session.deleteKeys(0, [{ text: key }]);
  } finally {
    await session.close();
  }
}

const rejectsWith = (code: string, pattern: RegExp, ...secrets: string[]) => (error: unknown): boolean => {
  assert.ok(isDriverError(error), String(error));
  assert.equal(error.code, code, error.message);
  assert.match(error.message, pattern);
  for (const secret of secrets) assert.ok(!error.message.includes(secret) && !(error.hint ?? '').includes(secret), `the message shows a secret: ${error.message}`);
  return true;
};

test('redis mTLS: a client certificate gets in; none, an encrypted key without its passphrase, or another key are each explained', async () => {
  const mtlsProfile: RedisProfile = { ...base, id: 'mtls', host: '127.0.0.1', port: mtls.port, tls: true, caFile: mtlsCerts.caFile, servername: 'redis.internal' };
  await roundTrip({ ...mtlsProfile, certFile: client.certFile, keyFile: client.keyFile }, options({ password: masterPassword }));
  await roundTrip({ ...mtlsProfile, certFile: client.certFile, keyFile: client.encryptedKeyFile }, options({ password: masterPassword, passphrase: client.passphrase }));
  await assert.rejects(driver.connect(mtlsProfile, options({ password: masterPassword })), rejectsWith('tls', /127\.0\.0\.1:\d+.*(requires|may require) a client certificate/, masterPassword));
  // A certificate of another CA: the server's refusal is said as such.
  await makeCertificates(join(root, 'stranger-certs'));
  const strangerClient = await makeClientCertificate(join(root, 'stranger-certs'));
  await assert.rejects(driver.connect({ ...mtlsProfile, certFile: strangerClient.certFile, keyFile: strangerClient.keyFile }, options({ password: masterPassword })),
    rejectsWith('tls', /(did not|may not) accept the client certificate/, masterPassword));
  await assert.rejects(driver.connect({ ...mtlsProfile, certFile: client.certFile, keyFile: client.encryptedKeyFile }, options({ password: masterPassword })),
    rejectsWith('config', /the key is encrypted and no passphrase was given/));
  await assert.rejects(driver.connect({ ...mtlsProfile, certFile: client.certFile, keyFile: client.encryptedKeyFile }, options({ password: masterPassword, passphrase: 'not-it' })),
    rejectsWith('config', /the key passphrase is wrong/, 'not-it'));
  await assert.rejects(driver.connect({ ...mtlsProfile, certFile: client.certFile, keyFile: client.otherKeyFile }, options({ password: masterPassword })),
    rejectsWith('config', /the key is not the one of this certificate/));
  await assert.rejects(driver.connect({ ...mtlsProfile, certFile: join(root, 'missing.pem'), keyFile: client.keyFile }, options({ password: masterPassword })),
    rejectsWith('config', /missing\.pem could not be read/));
});

test('redis TLS server name: a certificate for another name than the address dialled is accepted only under that name', async () => {
  const dialled: RedisProfile = { ...base, id: 'sni', host: '127.0.0.1', port: mtls.port, tls: true, caFile: mtlsCerts.caFile, certFile: client.certFile, keyFile: client.keyFile };
  await assert.rejects(driver.connect(dialled, options({ password: masterPassword })), rejectsWith('tls', /127\.0\.0\.1/));
  await assert.rejects(driver.connect({ ...dialled, servername: 'other.internal' }, options({ password: masterPassword })), rejectsWith('tls', /127\.0\.0\.1/));
  await roundTrip({ ...dialled, servername: 'redis.internal' }, options({ password: masterPassword }));
});

test('redis Sentinel with a password of its own: found with it; without it or with a wrong one the Sentinel is named', async () => {
  const profile: RedisProfile = { ...base, id: 'sentinel-pw', sentinels: [plainSentinel.address], sentinelMaster: 'guarded' };
  await roundTrip(profile, options({ password: masterPassword, sentinelPassword: SENTINEL_PASSWORD }));
  await assert.rejects(driver.connect(profile, options({ password: masterPassword })), rejectsWith('auth', new RegExp(`Sentinel ${plainSentinel.address}.*the Sentinels require a password of their own`), masterPassword));
  await assert.rejects(driver.connect(profile, options({ password: masterPassword, sentinelPassword: 'wrong-sentinel-pw' })),
    rejectsWith('auth', new RegExp(`Sentinel ${plainSentinel.address}.*the Sentinels rejected the Sentinel password`), masterPassword, 'wrong-sentinel-pw'));
  // The Sentinel password is right and the master's is wrong: the master is the one named.
  await assert.rejects(driver.connect(profile, options({ password: 'wrong-master-pw', sentinelPassword: SENTINEL_PASSWORD })), (error: unknown) => {
    rejectsWith('auth', /rejected the user name or password/, SENTINEL_PASSWORD, 'wrong-master-pw')(error);
    assert.ok(isDriverError(error) && !/Sentinel password/.test(error.message), error instanceof Error ? error.message : String(error));
    return true;
  });
});

test('redis Sentinel over TLS: the Sentinels and the master they name both speak TLS, checked against the CA', async () => {
  const profile: RedisProfile = { ...base, id: 'sentinel-tls', tls: true, caFile, sentinels: [tlsSentinel.address], sentinelMaster: 'guarded-tls' };
  await roundTrip(profile, options({ password: masterPassword, sentinelPassword: SENTINEL_PASSWORD }));
  // ioredis does not pass on why a Sentinel connection failed, so a certificate of another CA reads as no Sentinel answering.
  await assert.rejects(driver.connect({ ...profile, caFile: mtlsCerts.caFile }, options({ password: masterPassword, sentinelPassword: SENTINEL_PASSWORD })), rejectsWith('config', /could not name a master/, SENTINEL_PASSWORD));
});

const sshProfile: SshProfile = { id: 'carrier', name: 'carrier', kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false };
const sshOptions = { secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: knownHostsVerifier(knownHostsLine(sshProfile.host, sshProfile.port, Buffer.from(need('SSH_HOST_KEY').split(' ')[1] ?? '', 'base64'))) };

/** Runs `work` with a tunnel of an SSH session to host:port, as the session manager makes one. */
async function throughSsh(host: string, port: number, work: (tunnel: Tunnel) => Promise<void>): Promise<void> {
  const carrier = await ssh.connect(sshProfile, sshOptions);
  const tunnel = carrier.openTunnel(host, port);
  try {
    await work(tunnel);
  } finally {
    tunnel.close();
    await carrier.close();
  }
}

test('redis Sentinels through SSH: the Sentinel and the master it names are both reached over SSH, never dialled from here', async () => {
  for (const [sentinel, name, tls] of [[plainSentinel, 'guarded', false], [tlsSentinel, 'guarded-tls', true]] as const) {
    const profile: RedisProfile = { ...base, id: `sentinel-ssh-${name}`, host: '127.0.0.1', port: Number(master.port), tls, ...(tls ? { caFile } : {}), sentinels: [sentinel.address], sentinelMaster: name };
    await throughSsh(profile.host, profile.port, async (tunnel) => {
      const session = await redisSession(profile, options({ password: masterPassword, sentinelPassword: SENTINEL_PASSWORD }, { tunnel }));
      try {
        await session.create(0, { text: 'transport:ssh-sentinel' }, { type: 'string', value: name });
        const value = await session.value(0, { text: 'transport:ssh-sentinel' }, { limit: 10 });
        assert.ok(value.type === 'string' && value.value.text === name);
        const peers = ownTcpPeerPorts();
        for (const port of [sentinel.port, Number(master.port), Number(masterTls.port)]) assert.ok(!peers.includes(port), `a TCP connection to ${port} was dialled from here: ${peers.join(', ')}`);
        await session.deleteKeys(0, [{ text: 'transport:ssh-sentinel' }]);
      } finally {
        await session.close();
      }
      await assert.rejects(driver.connect(profile, options({ password: masterPassword, sentinelPassword: 'wrong-sentinel-pw' }, { tunnel })), rejectsWith('auth', /the Sentinels rejected the Sentinel password/, 'wrong-sentinel-pw'));
      await assert.rejects(driver.connect(profile, options({ password: masterPassword }, { tunnel })), rejectsWith('auth', /the Sentinels require a password of their own/, masterPassword));
    });
  }
});

test('redis Cluster through SSH: every master the cluster announces is reached over SSH, keys land on all of them, and Pub/Sub works', async () => {
  const nodes = need('REDIS_CLUSTER').split(',');
  const ports = nodes.map((node) => Number(node.split(':')[1]));
  const [host = '', port] = nodes[0]!.split(':');
  const profile: RedisProfile = { ...base, id: 'cluster-ssh', host, port: Number(port), cluster: true };
  await throughSsh(host, Number(port), async (tunnel) => {
    const session = await redisSession(profile, options({ password: masterPassword }, { tunnel }));
    try {
      const keys = Array.from({ length: 30 }, (_, i) => `transport:cluster:{${i}}`);
      await session.deleteKeys(0, keys.map((text) => ({ text })));
      for (const key of keys) await session.create(0, { text: key }, { type: 'string', value: key });
      for (const key of keys) {
        const value = await session.value(0, { text: key }, { limit: 10 });
        assert.ok(value.type === 'string' && value.value.text === key);
      }
      const shown = await session.children({ place: { kind: 'redis', of: 'cluster' }, label: 'Cluster', type: 'clusterNodes', icon: 'type-hierarchy', expandable: true });
      assert.deepEqual(shown.map((n) => n.label).sort(), [...nodes].sort(), 'nodes are shown by the addresses the cluster gives them');
      for (const node of shown) assert.match(node.description ?? '', /master · slots .* · \d+ keys/);
      const counts = shown.map((n) => Number(/(\d+) keys/.exec(n.description ?? '')?.[1] ?? 0));
      assert.ok(counts.every((count) => count > 0), `keys on every master: ${counts.join(', ')}`);
      // Pub/Sub rides the tunnel too.
      let heard: (message: string) => void = () => undefined;
      const arrived = new Promise<string>((resolve) => (heard = resolve));
      const subscription = await session.subscribe(['transport:news'], [], (message) => heard(message.message));
      try {
        // PUBLISH counts only the subscribers of the node it lands on; the cluster bus carries it to the others.
        await session.publish('transport:news', 'over ssh');
        assert.equal(await arrived, 'over ssh');
      } finally {
        subscription.close();
      }
      const peers = ownTcpPeerPorts();
      for (const p of ports) assert.ok(!peers.includes(p), `a TCP connection to cluster node ${p} was dialled from here: ${peers.join(', ')}`);
      await session.deleteKeys(0, keys.map((text) => ({ text })));
    } finally {
      await session.close();
    }
  });
});
