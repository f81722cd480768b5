import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureServerPackages } from './packages';
import { RunningService } from './process';
import { SENTINEL_MASTER, startRedis, startRedisCluster } from './redis';
import { startMemcached } from './memcached';
import { startMariaDb } from './mariadb';
import { startRabbitMq } from './rabbitmq';
import { startOpenSsh } from './openssh';

const SERVICE_VARS = /^(REDIS_URL|REDISS_URL|REDIS_CA_FILE|REDIS_SENTINEL|REDIS_CLUSTER|MEMCACHED_|AMQP_URL|AMQPS_URL|AMQP_CA_FILE|RABBITMQ_MGMT_URL|MYSQL_|SSH_)/;

/** Where the suites find their servers: the variables the test code reads. */
export type ServiceEnv = Record<string, string>;

export interface Services {
  readonly env: ServiceEnv;
  readonly root: string;
  stop(): Promise<void>;
}

/**
 * Starts private throwaway servers for every kind not already given by environment variables
 * (REDIS_URL, MEMCACHED_SERVERS, AMQP_URL + RABBITMQ_MGMT_URL, MYSQL_URL, SSH_HOST/SSH_PORT/SSH_USER/...).
 */
export async function startServices(log: (line: string) => void = console.log): Promise<Services> {
  const given = process.env;
  const need = {
    redis: !given['REDIS_URL'],
    memcached: !given['MEMCACHED_SERVERS'],
    rabbitmq: !given['AMQP_URL'],
    mysql: !given['MYSQL_URL'],
    ssh: !given['SSH_PORT'],
  };
  if (Object.values(need).some(Boolean)) await ensureServerPackages(log);
  const root = mkdtempSync(join(tmpdir(), 'switchboard-services-'));
  // sshd reads the authorized keys as the test user, so the tree must be traversable.
  chmodSync(root, 0o755);
  const running: RunningService[] = [];
  // Servers the developer named are passed on as they are.
  const env: ServiceEnv = Object.fromEntries(Object.entries(given).filter((e): e is [string, string] => SERVICE_VARS.test(e[0]) && e[1] !== undefined));
  const started = Date.now();
  const track = <T extends RunningService>(service: T): T => {
    running.push(service);
    log(`${service.name} ready after ${Date.now() - started} ms`);
    return service;
  };
  const stop = async (): Promise<void> => {
    await Promise.allSettled(running.map((s) => s.stop()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // RabbitMQ is by far the slowest to start, so everything starts at once.
    await Promise.all([
      need.rabbitmq && startRabbitMq(root).then(track).then((s) => {
        env['AMQP_URL'] = s.url;
        env['RABBITMQ_MGMT_URL'] = s.managementUrl;
        env['AMQPS_URL'] = s.tlsUrl;
        env['AMQP_CA_FILE'] = s.caFile;
      }),
      need.redis && startRedis(root).then(track).then((s) => {
        Object.assign(env, { REDIS_URL: s.url, REDISS_URL: s.tlsUrl, REDIS_CA_FILE: s.caFile, REDIS_SENTINEL: s.sentinel, REDIS_SENTINEL_MASTER: SENTINEL_MASTER });
      }),
      need.redis && startRedisCluster(root).then(track).then((s) => (env['REDIS_CLUSTER'] = s.nodes)),
      need.memcached && startMemcached(root).then(track).then((s) => (env['MEMCACHED_SERVERS'] = s.servers)),
      // A pool of three, for key mapping tests.
      need.memcached && Promise.all([1, 2, 3].map((n) => startMemcached(root, `memcached-pool-${n}`).then(track))).then((pool) => {
        env['MEMCACHED_POOL'] = pool.map((s) => s.servers).join(',');
      }),
      need.memcached && startMemcached(root, 'memcached-auth', { user: 'switchboard', password: 'memcached-secret' }).then(track).then((s) => {
        Object.assign(env, { MEMCACHED_AUTH_SERVERS: s.servers, MEMCACHED_AUTH_USER: 'switchboard', MEMCACHED_AUTH_PASSWORD: 'memcached-secret' });
      }),
      need.mysql && startMariaDb(root).then(track).then((s) => {
        Object.assign(env, { MYSQL_URL: s.url, MYSQL_CA_FILE: s.caFile, MYSQL_CLIENT_CERT: s.client.certFile, MYSQL_CLIENT_KEY: s.client.keyFile });
      }),
      // The jump host starts second: both share the test user, which the first one creates.
      need.ssh && startOpenSsh(root).then(track).then(async (s) => {
        Object.assign(env, {
          SSH_HOST: '127.0.0.1', SSH_PORT: String(s.port), SSH_USER: s.user, SSH_PASSWORD: s.password,
          SSH_KEY_FILE: s.privateKeyPath, SSH_HOST_KEY: s.hostPublicKey, SSH_AUTHORIZED_KEYS: s.authorizedKeysFile,
        });
        const jump = track(await startOpenSsh(root, 'sshd-jump'));
        Object.assign(env, { SSH_JUMP_PORT: String(jump.port), SSH_JUMP_HOST_KEY: jump.hostPublicKey });
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, root, stop };
}
