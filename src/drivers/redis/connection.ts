import Redis, { Cluster } from 'ioredis';
import type { RedisClient } from './client';
import { ConnectOptions, RedisProfile } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, tlsError } from '../errors';
import { hostPort } from '../form';
import { trustedCa } from '../trustedCa';

/* How a Redis profile becomes an ioredis client, and how that client's failures read to the user. */

/** Maps what ioredis reports during connect to a message naming the endpoint and the fix. */
export function connectError(error: unknown, endpoint: string, options: ConnectOptions, usesTls: boolean): Error {
  if (isDriverError(error)) return error;
  // A plain server answers nothing to a TLS ClientHello, so TLS against a plain port shows up as a timeout.
  if (usesTls && typeof error === 'object' && error !== null && 'code' in error && error.code === 'ETIMEDOUT') {
    return new DriverError('tls', `TLS to Redis at ${endpoint}: no TLS handshake within ${options.timeoutMs / 1000} s — the server may not speak TLS on this port.`, 'Use the server\'s TLS port, or clear TLS for a plain port.');
  }
  const tls = tlsError(error, 'Redis', endpoint, 'Set the CA certificate file in the connection to the CA that signed it.', 'Clear TLS, or use the server\'s TLS port.');
  if (tls) return tls;
  const net = networkError(error, 'Redis', endpoint);
  if (net) return net;
  const text = redact(messageOf(error), [options.secrets.password]);
  if (/WRONGPASS|invalid password|invalid username-password/i.test(text)) {
    return new DriverError('auth', `Redis at ${endpoint} rejected the user name or password.`, 'Edit the connection and enter the right credentials.');
  }
  if (/NOAUTH|Authentication required/i.test(text)) {
    return new DriverError('auth', `Redis at ${endpoint} requires a password.`, 'Edit the connection and enter its password.');
  }
  if (/Protocol error|Unknown RESP type|unknown.*reply|ParserError/i.test(text) || (error instanceof Error && error.name === 'ParserError')) {
    return new DriverError('protocol', `The server at ${endpoint} does not speak the Redis protocol (${text.slice(0, 80)}).`, 'Check the port: is this really Redis?');
  }
  if (/slots cache|CLUSTERDOWN|cluster support disabled/i.test(text)) {
    return new DriverError('config', `The server at ${endpoint} did not answer as part of a Redis Cluster (${text.slice(0, 100)}).`, 'Clear "Redis Cluster" for a standalone server, or check the cluster is up (CLUSTER INFO).');
  }
  if (/No such master|sentinel/i.test(text)) {
    return new DriverError('config', `The Sentinels at ${endpoint} could not name a master (${text.slice(0, 120)}).`, 'Check the Sentinel addresses and the master name they monitor.');
  }
  if (/wrong version number|SSL|TLS|certificate/i.test(text)) {
    return new DriverError('tls', `TLS to Redis at ${endpoint} failed: ${text}.`, 'Check whether the server expects TLS (rediss://) or not.');
  }
  return new DriverError('server', `Redis at ${endpoint}: ${text}`, undefined, { cause: error });
}

/** A connection of the session's own: its errors reach the caller through the commands that fail, not as events. */
export function quiet<C extends Redis>(client: C): C {
  client.on('error', () => undefined);
  return client;
}

const LOST = /max retries per request|Connection is closed|Stream isn't writeable|ECONNRESET|ECONNREFUSED|EPIPE/;

/**
 * The errors a user meets mid-session, said plainly with the endpoint: ioredis' ways of saying the server went away,
 * and a WRONGTYPE reply. Undefined for any other error, which passes on as the server worded it.
 */
export function sessionError(error: unknown, endpoint: string): DriverError | undefined {
  if (isDriverError(error)) return undefined;
  const text = messageOf(error);
  if (LOST.test(text)) {
    return new DriverError('closed', `Redis at ${endpoint}: the connection was lost before the command completed, so it may not have run.`,
      'The connection is dialled again by itself; try again once it shows as connected.', { cause: error });
  }
  if (text.startsWith('WRONGTYPE')) {
    return new DriverError('server', `Redis at ${endpoint}: ${text} (WRONGTYPE).`, 'The key now holds another type, perhaps replaced meanwhile: refresh it and try again.', { cause: error });
  }
  return undefined;
}

/** The connection options every server of a profile gets: auth, TLS, timeouts, and no retry before the first success. */
function serverOptions(profile: RedisProfile, options: ConnectOptions, established: () => boolean) {
  return {
    connectTimeout: options.timeoutMs,
    maxRetriesPerRequest: 2,
    // No retries until the first connection succeeds, so a wrong endpoint fails at once; then back off up to 5 s.
    retryStrategy: (times: number) => (established() ? Math.min(times * 200, 5000) : null),
    connectionName: 'switchboard',
    ...(profile.username ? { username: profile.username } : {}),
    ...(options.secrets.password ? { password: options.secrets.password } : {}),
    ...(profile.tls ? { tls: { servername: profile.host, ...trustedCa(profile.tls, profile.caFile) } } : {}),
  };
}

/** A client for the profile: the server itself, the master its Sentinels name, or a cluster found from one node. */
export function createClient(profile: RedisProfile, options: ConnectOptions, established: () => boolean): RedisClient {
  const sentinels = (profile.sentinels ?? []).map((entry) => hostPort(entry, 26379));
  if ((sentinels.length || profile.cluster) && options.endpoint) {
    throw new DriverError('config', `${profile.cluster ? 'A Redis Cluster' : 'Sentinel'} through an SSH tunnel is not supported: the servers announce addresses the tunnel does not reach.`, 'Connect without SSH, or tunnel to one server and connect to it alone.');
  }
  const server = serverOptions(profile, options, established);
  if (profile.cluster) {
    if (profile.db !== 0) throw new DriverError('config', 'A Redis Cluster has only database 0.', 'Edit the connection and set the database index to 0.');
    return new Cluster([{ host: profile.host, port: profile.port }], {
      redisOptions: server, lazyConnect: true, enableAutoPipelining: true, slotsRefreshTimeout: options.timeoutMs,
      clusterRetryStrategy: (times) => (established() ? Math.min(times * 200, 5000) : null),
    });
  }
  const where = sentinels.length
    ? { sentinels, name: profile.sentinelMaster ?? '', sentinelRetryStrategy: () => null }
    : { host: options.endpoint?.host ?? profile.host, port: options.endpoint?.port ?? profile.port };
  return new Redis({ ...where, ...server, db: profile.db, lazyConnect: true, enableAutoPipelining: false });
}
