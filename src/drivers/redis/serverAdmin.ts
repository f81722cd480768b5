import type Redis from 'ioredis';
import { keyServers, RedisClient } from './client';
import { displayBytes } from './keys';
import { DriverError } from '../errors';

/* The slow log and the client list of a server (each master of a cluster), and the changes an admin makes to them. */

export interface SlowLogEntry {
  readonly id: number;
  /** Milliseconds since the epoch, when the command started. */
  readonly at: number;
  readonly micros: number;
  /** The command line as the server logged it (long arguments and lines are cut by the server itself). */
  readonly args: readonly string[];
  readonly client: string;
  readonly clientName: string;
  readonly server: string;
}

export interface SlowLog {
  readonly entries: readonly SlowLogEntry[];
  /** slowlog-log-slower-than in microseconds (negative: logging off), per CONFIG GET; undefined where CONFIG is refused. */
  readonly thresholdMicros?: number;
  readonly maxLen?: number;
}

export interface ClientInfo {
  readonly id: string;
  readonly addr: string;
  readonly name: string;
  readonly db: number;
  readonly ageSeconds: number;
  readonly idleSeconds: number;
  /** The last command it ran. */
  readonly cmd: string;
  readonly flags: string;
  readonly user: string;
  readonly server: string;
  /** One of this session's own connections (named "switchboard"). */
  readonly own: boolean;
}

const text = (value: unknown): string => (Buffer.isBuffer(value) ? displayBytes(value).text : String(value ?? ''));
const where = (server: Redis): string => `${server.options.host ?? ''}:${server.options.port ?? ''}`;

/** The guards of the session the admin acts for: its read-only refusal, and its wording of lost connections. */
export interface SessionGuards {
  writable(action: string): void;
  guard<T>(operation: () => Promise<T>): Promise<T>;
}

/** CLIENT LIST's "k=v k=v" lines as records (values never hold spaces: names cannot). */
export function parseClientList(list: string, server: string): ClientInfo[] {
  return list.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const fields = new Map<string, string>();
    for (const pair of line.split(' ')) {
      const at = pair.indexOf('=');
      if (at > 0) fields.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const get = (name: string): string => fields.get(name) ?? '';
    return {
      id: get('id'), addr: get('addr'), name: get('name'), db: Number(get('db')), ageSeconds: Number(get('age')), idleSeconds: Number(get('idle')),
      cmd: get('cmd'), flags: get('flags'), user: get('user'), server, own: get('name') === 'switchboard',
    };
  });
}

export class ServerAdmin {
  constructor(private readonly client: RedisClient, private readonly session: SessionGuards) {}

  private servers(): Redis[] {
    return keyServers(this.client);
  }

  /** The newest `count` entries of each server's slow log, newest first, and the threshold that decides what is logged. */
  async slowLog(count: number): Promise<SlowLog> {
    return this.session.guard(async () => {
      const servers = this.servers();
      const lists = await Promise.all(servers.map(async (server) => {
        const reply: unknown = await server.callBuffer('SLOWLOG', 'GET', String(count));
        return (Array.isArray(reply) ? reply : []).map((entry: unknown): SlowLogEntry => {
          const [id, time, micros, args, client, name] = Array.isArray(entry) ? entry : [];
          return { id: Number(text(id)), at: Number(text(time)) * 1000, micros: Number(text(micros)), args: Array.isArray(args) ? args.map(text) : [], client: text(client), clientName: text(name), server: where(server) };
        });
      }));
      const [threshold, maxLen] = await Promise.all([this.config(servers[0], 'slowlog-log-slower-than'), this.config(servers[0], 'slowlog-max-len')]);
      return {
        entries: lists.flat().sort((a, b) => b.at - a.at || b.id - a.id),
        ...(threshold !== undefined ? { thresholdMicros: threshold } : {}),
        ...(maxLen !== undefined ? { maxLen } : {}),
      };
    });
  }

  /** A numeric CONFIG value; undefined where CONFIG is refused (managed services) or the value is not a number. */
  private async config(server: Redis | undefined, name: string): Promise<number | undefined> {
    const reply: unknown = await server?.config('GET', name).catch(() => undefined);
    const value = Array.isArray(reply) ? Number(reply[1]) : NaN;
    return Number.isFinite(value) ? value : undefined;
  }

  /** SLOWLOG RESET on every server: the entries are gone for everyone. */
  async resetSlowLog(): Promise<void> {
    this.session.writable('Resetting the slow log');
    await this.session.guard(async () => {
      await Promise.all(this.servers().map((server) => server.call('SLOWLOG', 'RESET')));
    });
  }

  /** CONFIG SET slowlog-log-slower-than on every server (microseconds; negative turns logging off, 0 logs everything). */
  async setSlowLogThreshold(micros: number): Promise<void> {
    if (!Number.isSafeInteger(micros) || micros < -1) throw new DriverError('config', `A slow log threshold is a whole number of microseconds, -1 (off) or more, not ${micros}.`);
    this.session.writable('Changing the slow log threshold');
    await this.session.guard(async () => {
      await Promise.all(this.servers().map((server) => server.config('SET', 'slowlog-log-slower-than', String(micros))));
    });
  }

  /** CLIENT LIST of every server. */
  async clients(): Promise<ClientInfo[]> {
    return this.session.guard(async () => {
      const lists = await Promise.all(this.servers().map(async (server) => parseClientList(text(await server.callBuffer('CLIENT', 'LIST')), where(server))));
      return lists.flat();
    });
  }

  /**
   * CLIENT KILL ID on the server the client is connected to; resolves whether it was still there. Only an id is
   * accepted (an address can be reused by another client between the list and the kill).
   */
  async killClient(id: string, server: string): Promise<boolean> {
    if (!/^\d{1,20}$/.test(id)) throw new DriverError('config', `A client id is a number, not "${id}".`);
    this.session.writable(`Killing client ${id}`);
    const target = this.servers().find((s) => where(s) === server);
    if (!target) throw new DriverError('config', `${server} is not one of this connection's servers.`, 'Refresh the client list and try again.');
    return this.session.guard(async () => Number(await target.call('CLIENT', 'KILL', 'ID', id)) === 1);
  }
}
