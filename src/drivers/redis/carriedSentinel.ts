import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import Redis, { RedisOptions } from 'ioredis';
import { carriedConnector, CarryingConnector, TunnelDialer } from './carried';
import { messageOf } from '../errors';

/** Where the Sentinels are and what they need, for finding the master through SSH. */
export interface CarriedSentinels {
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  readonly master: string;
  /** The Sentinels' own password (requirepass in sentinel.conf), not the master's. */
  readonly password?: string;
  readonly tls: boolean;
  readonly connectTimeout: number;
}

/** Asks one Sentinel, through SSH, where the master is; undefined when it knows no master of that name. */
async function askSentinel(dialer: TunnelDialer, at: { host: string; port: number }, setup: CarriedSentinels): Promise<{ host: string; port: number } | undefined> {
  const sentinel = new Redis({
    Connector: carriedConnector(dialer), host: at.host, port: at.port, ...(setup.password ? { password: setup.password } : {}),
    // Tells ioredis to wait for the TLS handshake the dialer does.
    ...(setup.tls ? { tls: {} } : {}),
    connectTimeout: setup.connectTimeout, retryStrategy: () => null, enableReadyCheck: false, lazyConnect: true, maxRetriesPerRequest: 0,
  });
  // ioredis rejects connect() with "Connection is closed." and tells why (WRONGPASS, a certificate) only as an event.
  let why: unknown;
  sentinel.on('error', (error: unknown) => (why ??= error));
  try {
    await sentinel.connect().catch((error: unknown) => Promise.reject(why ?? error));
    const reply: unknown = await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', setup.master);
    if (!Array.isArray(reply) || reply.length < 2) return undefined;
    const port = Number(reply[1]);
    if (typeof reply[0] !== 'string' || !reply[0] || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`it named no usable address (${String(reply[0]).slice(0, 60)}:${String(reply[1]).slice(0, 10)})`);
    return { host: reply[0], port };
  } finally {
    sentinel.disconnect();
  }
}

/**
 * An ioredis connector for a master found through Sentinels behind SSH: each time ioredis connects (at first, and
 * after a failover ends the old master's connections), the Sentinels are asked in turn, each through SSH, and the
 * master they name is dialled through SSH too. A server that answers as a replica is dropped and asked for again.
 * ioredis' own Sentinel connector dials Sentinels and masters itself, so it cannot be carried.
 */
export function carriedSentinelConnector(dialer: TunnelDialer, setup: CarriedSentinels): NonNullable<RedisOptions['Connector']> {
  return class CarriedSentinelConnector extends CarryingConnector {
    override check(info: { role?: string }): boolean {
      return info.role === undefined || info.role === 'master';
    }

    async connect(): Promise<Socket | TLSSocket> {
      this.connecting = true;
      const failures: string[] = [];
      for (const at of setup.sentinels) {
        const where = `sentinel ${at.host}:${at.port}`;
        let master: { host: string; port: number } | undefined;
        try {
          master = await askSentinel(dialer, at, setup);
        } catch (error) {
          failures.push(`${where}: ${messageOf(error)}`);
          continue;
        }
        if (!master) {
          failures.push(`${where}: No such master "${setup.master}"`);
          continue;
        }
        if (!this.connecting) throw new Error('Connection is closed.');
        return this.adopt(await dialer.dial(master.host, master.port));
      }
      throw new Error(`No Sentinel named master "${setup.master}" (${failures.join('; ')})`);
    }
  };
}
