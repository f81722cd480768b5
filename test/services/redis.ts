import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { makeCertificates } from './tls';
import { createServer } from 'node:net';
import { freePort, run, RunningService, startDaemon, stopDaemon, waitListening, waitUntil } from './process';

export interface RedisService extends RunningService {
  readonly port: number;
  readonly password: string;
  readonly url: string;
  /** rediss:// on a TLS port of the same server, its certificate signed by a private CA. */
  readonly tlsUrl: string;
  readonly caFile: string;
  /** A Sentinel watching this server as master SENTINEL_MASTER. */
  readonly sentinel: string;
  /** Kills the server at once, as a crash would. */
  kill(): void;
}

export const SENTINEL_MASTER = 'switchboard';

export async function startRedis(root: string, password = 'redis-secret'): Promise<RedisService> {
  const dir = join(root, 'redis');
  mkdirSync(dir, { recursive: true });
  const [port, tlsPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  const tls = await makeCertificates(join(dir, 'tls'));
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir,
    '--logfile', join(dir, 'log'), '--enable-debug-command', 'local', '--requirepass', password,
    '--tls-port', String(tlsPort), '--tls-cert-file', tls.certFile, '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no'];
  const child: ChildProcess = startDaemon('redis', dir, '/usr/bin/redis-server', args);
  await waitListening('redis', port, child);
  // Sentinel rewrites its configuration file, so it gets one of its own.
  const sentinelConf = join(dir, 'sentinel.conf');
  writeFileSync(sentinelConf, [
    `port ${sentinelPort}`, 'bind 127.0.0.1', `dir ${dir}`, `logfile ${join(dir, 'sentinel.log')}`,
    `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${port} 1`, `sentinel auth-pass ${SENTINEL_MASTER} ${password}`, '',
  ].join('\n'));
  const sentinel: ChildProcess = startDaemon('redis-sentinel', dir, '/usr/bin/redis-server', [sentinelConf, '--sentinel']);
  await waitListening('redis-sentinel', sentinelPort, sentinel);
  return {
    name: 'redis',
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}/0`,
    tlsUrl: `rediss://:${password}@localhost:${tlsPort}/0`,
    caFile: tls.caFile,
    sentinel: `127.0.0.1:${sentinelPort}`,
    kill: () => child.kill('SIGKILL'),
    stop: async () => {
      await stopDaemon(sentinel);
      await stopDaemon(child);
    },
  };
}

export interface RedisClusterService extends RunningService {
  /** "host:port,host:port,host:port": the three masters. */
  readonly nodes: string;
  readonly password: string;
}

/** Three masters sharing the 16384 slots, created with redis-cli --cluster create, ready when cluster_state is ok. */
export async function startRedisCluster(root: string, password = 'redis-secret'): Promise<RedisClusterService> {
  const dir = join(root, 'redis-cluster');
  mkdirSync(dir, { recursive: true });
  const ports = [await clusterPort(), await clusterPort(), await clusterPort()];
  const children = ports.map((port) => {
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, `${port}.log`),
      '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--requirepass', password, '--masterauth', password];
    return startDaemon(`redis-cluster-${port}`, dir, '/usr/bin/redis-server', args);
  });
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => stopDaemon(c)));
  };
  try {
    await Promise.all(ports.map((port, i) => waitListening('redis-cluster', port, children[i]!)));
    await run('/usr/bin/redis-cli', ['-a', password, '--no-auth-warning', '--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitUntil('redis-cluster state ok', async () => (await run('/usr/bin/redis-cli', ['-p', String(ports[0]), '-a', password, '--no-auth-warning', 'cluster', 'info'])).includes('cluster_state:ok'), 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: 'redis-cluster', nodes: ports.map((p) => `127.0.0.1:${p}`).join(','), password, stop };
}

/** A free port whose cluster bus port (port + 10000) is free and valid too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 > 65_535) continue;
    const busFree = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port + 10_000, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (busFree) return port;
  }
}
