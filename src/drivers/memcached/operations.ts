import { DriverError, isDriverError, messageOf } from '../errors';
import { MemcachedReplyError, Reply, TextConnection, ValueBlock } from './textConnection';
import { ServerLink } from './serverLink';
import { casToken, counterVerb, deltaToken, flagsToken, keyToken, statsGroup, StoreMode, storeVerb, ttlToken } from './tokens';

export type { StoreMode };

export interface StoredItem {
  readonly key: string;
  readonly server: string;
  readonly flags: number;
  readonly cas: string;
  readonly data: Buffer;
}

const fromWire = (key: string): string => Buffer.from(key, 'latin1').toString('utf8');

function serverError(line: string, action: string, key: string, server: string): DriverError {
  if (/object too large/i.test(line)) return new DriverError('server', `${action} ${key} on ${server}: the value is larger than the server's item size limit.`, 'Store a smaller value, or start memcached with a larger -I.');
  if (/out of memory/i.test(line)) return new DriverError('server', `${action} ${key} on ${server}: the server is out of memory.`, 'Free memory or give memcached more (-m).');
  return new DriverError('server', `${action} ${key} on ${server}: ${line}`);
}

/** One server's operations on the text protocol. */
export class ServerOperations {
  constructor(private readonly link: ServerLink, private readonly timeoutMs: number) {}

  get server(): string {
    return this.link.server;
  }

  /** Whether the connection to the server is live (not being dialled again). */
  get up(): boolean {
    return this.link.up;
  }

  private request(command: string, options?: { multiLine?: boolean }): Promise<Reply> {
    return this.onLink((connection) => connection.request(command, this.timeoutMs, options));
  }

  /** Work on the live connection; a connection lost on the way is reported with the server's name. */
  private async onLink<T>(work: (connection: TextConnection) => Promise<T>): Promise<T> {
    try {
      return await work(this.link.current());
    } catch (error) {
      if (isDriverError(error)) throw error;
      throw new DriverError('closed', `Memcached at ${this.server}: ${messageOf(error)}.`, 'Check that the server is running; the connection is dialled again by itself.', { cause: error });
    }
  }

  async gets(keys: readonly string[]): Promise<StoredItem[]> {
    const { lines, values } = await this.request(`gets ${keys.map(keyToken).join(' ')}`);
    const last = lines[lines.length - 1] ?? '';
    if (last !== 'END') throw serverError(last, 'Reading', keys.join(' '), this.server);
    return values.map((v: ValueBlock) => ({ key: fromWire(v.key), server: this.server, flags: v.flags, cas: v.cas ?? '', data: v.data }));
  }

  /** set/add/replace/append/prepend, or cas when `cas` is given. Resolves with the server's answer word. */
  async store(mode: StoreMode, key: string, data: Buffer, flags: number, ttl: number, cas?: string): Promise<'STORED' | 'NOT_STORED' | 'EXISTS' | 'NOT_FOUND'> {
    if (!Buffer.isBuffer(data)) throw new DriverError('config', `The value of ${key} must be bytes.`);
    const fields = `${keyToken(key)} ${flagsToken(flags)} ${ttlToken(ttl)} ${data.length}`;
    const command = cas !== undefined ? `cas ${fields} ${casToken(cas)}` : `${storeVerb(mode)} ${fields}`;
    const { lines } = await this.request(`${command}\r\n${data.toString('latin1')}`, { multiLine: false });
    const reply = lines[0] ?? '';
    if (reply === 'STORED' || reply === 'NOT_STORED' || reply === 'EXISTS' || reply === 'NOT_FOUND') return reply;
    throw serverError(reply, 'Storing', key, this.server);
  }

  async counter(op: 'incr' | 'decr', key: string, delta: bigint): Promise<bigint | undefined> {
    const { lines } = await this.request(`${counterVerb(op)} ${keyToken(key)} ${deltaToken(delta)}`, { multiLine: false });
    const reply = lines[0] ?? '';
    if (reply === 'NOT_FOUND') return undefined;
    if (/^\d+$/.test(reply)) return BigInt(reply);
    if (/non-numeric/i.test(reply)) throw new DriverError('server', `${key} on ${this.server} does not hold a number, so it cannot be ${op === 'incr' ? 'incremented' : 'decremented'}.`);
    throw serverError(reply, op === 'incr' ? 'Incrementing' : 'Decrementing', key, this.server);
  }

  /**
   * Seconds until the item expires (-1: never), from the meta protocol's `mg <key> t` (memcached 1.6 and later);
   * undefined when the item is gone or the server has no meta commands.
   */
  async ttl(key: string): Promise<number | undefined> {
    const { lines } = await this.request(`mg ${keyToken(key)} t`, { multiLine: false });
    const found = /^HD t(-?\d+)$/.exec(lines[0] ?? '');
    return found ? Number(found[1]) : undefined;
  }

  /**
   * The bytes the item takes on the server (key, value and header), as a listing reports them, from the debug
   * command `me <key>`; undefined when the item is gone or the server has no such command.
   */
  async itemSize(key: string): Promise<number | undefined> {
    const { lines } = await this.request(`me ${keyToken(key)}`, { multiLine: false });
    const found = /^ME \S+ .*\bsize=(\d+)/.exec(lines[0] ?? '');
    return found ? Number(found[1]) : undefined;
  }

  async touch(key: string, ttl: number): Promise<boolean> {
    const { lines } = await this.request(`touch ${keyToken(key)} ${ttlToken(ttl)}`, { multiLine: false });
    if (lines[0] === 'TOUCHED') return true;
    if (lines[0] === 'NOT_FOUND') return false;
    throw serverError(lines[0] ?? '', 'Touching', key, this.server);
  }

  async delete(key: string): Promise<boolean> {
    const { lines } = await this.request(`delete ${keyToken(key)}`, { multiLine: false });
    if (lines[0] === 'DELETED') return true;
    if (lines[0] === 'NOT_FOUND') return false;
    throw serverError(lines[0] ?? '', 'Deleting', key, this.server);
  }

  async flushAll(): Promise<void> {
    const { lines } = await this.request('flush_all', { multiLine: false });
    if (lines[0] !== 'OK') throw new MemcachedReplyError(lines[0] ?? 'no reply to flush_all');
  }

  /** The server's own Unix time (`stats` time): what it reads an absolute expiry against. */
  async clock(): Promise<number> {
    const time = Number((await this.stats(undefined)).get('time'));
    if (!Number.isSafeInteger(time) || time <= 0) throw new DriverError('server', `Memcached at ${this.server} did not say its time in stats.`);
    return time;
  }

  /** `stats`, or one of its groups. */
  stats(group: string | undefined): Promise<Map<string, string>> {
    const checked = group === undefined ? undefined : statsGroup(group);
    return this.onLink((connection) => connection.stats(checked === 'stats' ? undefined : checked, this.timeoutMs));
  }

  close(): void {
    this.link.close();
  }
}
