import Redis, { Cluster } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import type { RedisClient } from './client';
import { ConnectOptions, RedisProfile } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, tlsError } from '../errors';
import type { Hint } from '../hints';
import { hostPort } from '../form';
import { redisTls } from './tlsOptions';
import { carriedConnector, carriedName, TunnelDialer } from './carried';
import { carriedSentinelConnector } from './carriedSentinel';

/* How a Redis profile becomes an ioredis client, and how that client's failures read to the user. */

/**
 * What answered instead of Redis, from the first byte it sent (ioredis reports it as an unknown RESP type): an HTTP
 * reply starts "HTTP/", an SSH server's banner "SSH-", a TLS alert 0x15.
 */
function otherProtocol(parserMessage: string, endpoint: string): DriverError {
  const byte = Number(/Unknown RESP type (\d+)/i.exec(parserMessage)?.[1]);
  const port: Hint = 'Check the host and port: they should be a Redis server\'s (6379 by default).';
  if (byte === 0x15 || byte === 0x16) return new DriverError('tls', `The server at ${endpoint} answers TLS, and this connection speaks plain Redis.`, 'Turn on TLS for this connection (a rediss:// address).');
  const what = byte === 0x48 ? 'answers HTTP, not Redis (a web server or an HTTP API listens there)'
    : byte === 0x53 ? 'answers as an SSH server, not Redis'
      : Number.isInteger(byte) ? `does not speak the Redis protocol (its reply began with byte 0x${byte.toString(16).padStart(2, '0')})`
        : 'does not speak the Redis protocol';
  return new DriverError('protocol', `The server at ${endpoint} ${what}.`, port);
}

/** What ioredis and carriedSentinelConnector say when the Sentinels themselves failed (not the master they named). */
const SENTINEL_SIDE = /sentinels are unreachable|No Sentinel named master/i;

/** The TLS alerts of a server that asks clients for a certificate (tls-auth-clients): none shown, or one it does not trust. */
function clientCertificateRefusal(text: string, endpoint: string, showedOne: boolean): DriverError | undefined {
  if (/alert certificate required|alert number 116\b/i.test(text)) {
    return new DriverError('tls', `TLS to Redis at ${endpoint}: the server requires a client certificate.`, 'The connection needs a client certificate and key.');
  }
  if (showedOne && /alert (bad certificate|unknown ca|certificate unknown|certificate expired|decrypt error)|alert number (42|45|46|48|51)\b/i.test(text)) {
    return new DriverError('tls', `TLS to Redis at ${endpoint}: the server did not accept the client certificate.`, 'Use a certificate signed by the CA the server trusts (tls-ca-cert-file), and not expired.');
  }
  return undefined;
}

/** Maps what ioredis reports during connect to a message naming the endpoint and the fix. */
export function connectError(error: unknown, endpoint: string, options: ConnectOptions, profile: Pick<RedisProfile, 'tls' | 'certFile'>): Error {
  if (isDriverError(error)) return error;
  const usesTls = profile.tls;
  // A plain server answers nothing to a TLS ClientHello, so TLS against a plain port shows up as a timeout.
  if (usesTls && typeof error === 'object' && error !== null && 'code' in error && error.code === 'ETIMEDOUT') {
    return new DriverError('tls', `TLS to Redis at ${endpoint}: no TLS handshake within ${options.timeoutMs / 1000} s — the server may not speak TLS on this port.`, 'Use the server\'s TLS port, or clear TLS for a plain port.');
  }
  const refusal = usesTls ? clientCertificateRefusal(messageOf(error), endpoint, profile.certFile !== undefined) : undefined;
  if (refusal) return refusal;
  // A server that asks for a client certificate (tls-auth-clients) may also just end the connection of a client that
  // showed none or one it does not trust (under TLS 1.3 it refuses after the handshake, and the alert can be lost).
  if (usesTls && typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
    return profile.certFile
      ? new DriverError('tls', `TLS to Redis at ${endpoint}: the server ended the connection after the handshake — it may not accept the client certificate.`,
        'Use a certificate signed by the CA the server trusts (tls-ca-cert-file), and not expired.', { cause: error })
      : new DriverError('tls', `TLS to Redis at ${endpoint}: the server ended the connection after the handshake — it may require a client certificate (tls-auth-clients).`,
        'The connection needs a client certificate and key, unless the server\'s TLS settings are wrong.', { cause: error });
  }
  const tls = tlsError(error, 'Redis', endpoint, 'The connection needs the CA certificate file of the CA that signed it.', 'Clear TLS, or use the server\'s TLS port.');
  if (tls) return tls;
  const net = networkError(error, 'Redis', endpoint);
  if (net) return net;
  const text = redact(messageOf(error), [options.secrets.password, options.secrets.sentinelPassword, options.secrets.passphrase]);
  if (SENTINEL_SIDE.test(text) && /WRONGPASS|invalid password|invalid username-password/i.test(text)) {
    return new DriverError('auth', `${endpoint}: the Sentinels rejected the Sentinel password.`, 'The connection needs the Sentinels\' own password (requirepass in sentinel.conf), not the master\'s.');
  }
  if (SENTINEL_SIDE.test(text) && /NOAUTH|Authentication required/i.test(text)) {
    return new DriverError('auth', `${endpoint}: the Sentinels require a password of their own.`, 'The connection needs the Sentinel password (requirepass in sentinel.conf).');
  }
  if (/WRONGPASS|invalid password|invalid username-password/i.test(text)) {
    return new DriverError('auth', `Redis at ${endpoint} rejected the user name or password.`, 'The connection needs the right credentials.');
  }
  if (/NOAUTH|Authentication required/i.test(text)) {
    return new DriverError('auth', `Redis at ${endpoint} requires a password.`, 'The connection needs its password.');
  }
  if (/Protocol error|Unknown RESP type|unknown.*reply|ParserError/i.test(text) || (error instanceof Error && error.name === 'ParserError')) {
    return otherProtocol(text, endpoint);
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
export function quiet<C extends RedisClient>(client: C): C {
  client.on('error', () => undefined);
  return client;
}

const LOST = /max retries per request|Connection is closed|Stream isn't writeable|ECONNRESET|ECONNREFUSED|EPIPE/;

/**
 * The errors a user meets mid-session, said plainly with the endpoint: ioredis' ways of saying the server went away,
 * and a WRONGTYPE reply. Undefined for any other error, which passes on as the server worded it.
 */
export function sessionError(error: unknown, endpoint: string, commandTimeoutMs?: number): DriverError | undefined {
  if (isDriverError(error)) return undefined;
  const text = messageOf(error);
  if (text === 'Command timed out') {
    const within = commandTimeoutMs ? ` within ${Math.round(commandTimeoutMs / 100) / 10} s` : '';
    return new DriverError('timeout', `Redis at ${endpoint} did not answer${within}: the server may be stalled, overloaded or busy with a long command, and what was sent may still run when it answers again.`,
      'Check the server (INFO, SLOWLOG) and try again; the limit is the command timeout.', { cause: error });
  }
  if (LOST.test(text)) {
    return new DriverError('closed', `Redis at ${endpoint}: the connection was lost before the command completed, so it may not have run.`,
      'The connection is dialled again by itself; try again once it shows as connected.', { cause: error });
  }
  if (text.startsWith('WRONGTYPE')) {
    return new DriverError('server', `Redis at ${endpoint}: ${text} (WRONGTYPE).`, 'The key now holds another type, perhaps replaced meanwhile: refresh it and try again.', { cause: error });
  }
  return undefined;
}

type TlsFor = ((host?: string) => ConnectionOptions) | undefined;

/** The connection options every server of a profile gets: auth, TLS, timeouts, and no retry before the first success. */
function serverOptions(profile: RedisProfile, options: ConnectOptions, established: () => boolean, tls: ConnectionOptions | undefined) {
  return {
    connectTimeout: options.timeoutMs,
    // Every command has a deadline: a server that stops answering (paused, overloaded, a dead link that never
    // resets) fails the operation instead of leaving it pending.
    ...(options.replyTimeoutMs ? { commandTimeout: options.replyTimeoutMs } : {}),
    maxRetriesPerRequest: 2,
    // No retries until the first connection succeeds, so a wrong endpoint fails at once; then back off up to 5 s.
    retryStrategy: (times: number) => (established() ? Math.min(times * 200, 5000) : null),
    connectionName: 'switchboard',
    ...(profile.username ? { username: profile.username } : {}),
    ...(options.secrets.password ? { password: options.secrets.password } : {}),
    ...(tls ? { tls } : {}),
  };
}

/** "host:port" as a cluster names its nodes (an IPv6 host keeps its colons). */
function nodeAddress(key: string): { host: string; port: number } | null {
  const colon = key.lastIndexOf(':');
  const port = Number(key.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) return null;
  return { host: key.slice(0, colon), port };
}

/**
 * A cluster found from one node: each node dialled directly, or through SSH when the profile goes through a tunnel
 * (every node the cluster announces reached by a tunnel of its own through the same SSH connection).
 */
function clusterClient(profile: RedisProfile, options: ConnectOptions, established: () => boolean, tls: TlsFor): Cluster {
  if (profile.db !== 0) throw new DriverError('config', 'A Redis Cluster has only database 0.', 'The connection needs database index 0.');
  const common = { lazyConnect: true, enableAutoPipelining: true, slotsRefreshTimeout: options.timeoutMs, clusterRetryStrategy: (times: number) => (established() ? Math.min(times * 200, 5000) : null) };
  // Each node's certificate is checked against its own address, unless the profile names the one they all carry.
  const server = serverOptions(profile, options, established, tls?.());
  if (!options.tunnel) return new Cluster([{ host: profile.host, port: profile.port }], { redisOptions: server, ...common });
  const dialer = new TunnelDialer(options.tunnel, profile, tls);
  return new Cluster([{ host: carriedName(profile.host), port: profile.port }], {
    redisOptions: { ...server, Connector: carriedConnector(dialer) },
    // The startup node's name is ours: it is resolved on the far side of the tunnel, never here.
    dnsLookup: (hostname, callback) => callback(null, hostname),
    natMap: (key: string) => {
      const address = nodeAddress(key);
      return address ? { host: carriedName(address.host), port: address.port } : null;
    },
    ...common,
  });
}

/** A client for the profile: the server itself, the master its Sentinels name, or a cluster found from one node. */
export async function createClient(profile: RedisProfile, options: ConnectOptions, established: () => boolean): Promise<RedisClient> {
  const sentinels = (profile.sentinels ?? []).map((entry) => hostPort(entry, 26379));
  const tls = redisTls(profile, options.secrets);
  if (profile.cluster) return clusterClient(profile, options, established, tls);
  const base = { db: profile.db, lazyConnect: true, enableAutoPipelining: false };
  const sentinelPassword = options.secrets.sentinelPassword;
  if (sentinels.length && options.tunnel) {
    // The Sentinels and the master they name are each reached through SSH: see carriedSentinelConnector.
    const dialer = new TunnelDialer(options.tunnel, profile, tls);
    const Connector = carriedSentinelConnector(dialer, {
      sentinels, master: profile.sentinelMaster ?? '', tls: profile.tls, connectTimeout: options.timeoutMs, ...(sentinelPassword ? { password: sentinelPassword } : {}),
    });
    // The TLS options only tell ioredis to wait for the handshake the connector does.
    return new Redis({ ...serverOptions(profile, options, established, tls ? {} : undefined), ...base, Connector });
  }
  if (sentinels.length) {
    // With TLS, the Sentinels and the master both speak it; each is checked against its own address.
    return new Redis({
      sentinels, name: profile.sentinelMaster ?? '', sentinelRetryStrategy: () => null,
      ...(sentinelPassword ? { sentinelPassword } : {}),
      ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: tls() } : {}),
      ...serverOptions(profile, options, established, tls?.()), ...base,
    });
  }
  // ioredis takes only a net.Socket from a connector, not an SSH channel: through SSH it dials the tunnel's private
  // Unix socket (TLS, when set, runs over it as it would over TCP, checked against the profile's host).
  const where = options.tunnel ? { path: await options.tunnel.socketPath() } : { host: profile.host, port: profile.port };
  return new Redis({ ...where, ...serverOptions(profile, options, established, tls?.(profile.host)), ...base });
}
