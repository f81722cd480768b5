import { DriverError, isDriverError, messageOf } from '../errors';
import { MemcachedReplyError, Reply, TextConnection, ValueBlock } from './textConnection';
import { ServerLink } from './serverLink';

export type StoreMode = 'set' | 'add' | 'replace' | 'append' | 'prepend';

export interface StoredItem {
  readonly key: string;
  readonly server: string;
  readonly flags: number;
  readonly cas: string;
  readonly data: Buffer;
}

/** Memcached keys: 1 to 250 bytes, no spaces or control characters. */
export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes === 0 || bytes > 250) throw new DriverError('config', `Memcached keys are 1 to 250 bytes; this one is ${bytes}.`, 'Shorten the key.');
  if (/[\s\u0000-\u001f\u007f]/.test(key)) throw new DriverError('config', `The key "${key}" contains a space or a control character, which memcached does not allow.`, 'Remove them from the key.');
}

/** Keys travel as their UTF-8 bytes, written one byte per latin1 character. */
export const wireKey = (key: string): string => Buffer.from(key, 'utf8').toString('latin1');
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
    const { lines, values } = await this.request(`gets ${keys.map(wireKey).join(' ')}`);
    const last = lines[lines.length - 1] ?? '';
    if (last !== 'END') throw serverError(last, 'Reading', keys.join(' '), this.server);
    return values.map((v: ValueBlock) => ({ key: fromWire(v.key), server: this.server, flags: v.flags, cas: v.cas ?? '', data: v.data }));
  }

  /** set/add/replace/append/prepend, or cas when `cas` is given. Resolves with the server's answer word. */
  async store(mode: StoreMode, key: string, data: Buffer, flags: number, ttl: number, cas?: string): Promise<'STORED' | 'NOT_STORED' | 'EXISTS' | 'NOT_FOUND'> {
    const command = cas !== undefined ? `cas ${wireKey(key)} ${flags} ${ttl} ${data.length} ${cas}` : `${mode} ${wireKey(key)} ${flags} ${ttl} ${data.length}`;
    const { lines } = await this.request(`${command}\r\n${data.toString('latin1')}`, { multiLine: false });
    const reply = lines[0] ?? '';
    if (reply === 'STORED' || reply === 'NOT_STORED' || reply === 'EXISTS' || reply === 'NOT_FOUND') return reply;
    throw serverError(reply, 'Storing', key, this.server);
  }

  async counter(op: 'incr' | 'decr', key: string, delta: bigint): Promise<bigint | undefined> {
    const { lines } = await this.request(`${op} ${wireKey(key)} ${delta}`, { multiLine: false });
    const reply = lines[0] ?? '';
    if (reply === 'NOT_FOUND') return undefined;
    if (/^\d+$/.test(reply)) return BigInt(reply);
    if (/non-numeric/i.test(reply)) throw new DriverError('server', `${key} on ${this.server} does not hold a number, so it cannot be ${op === 'incr' ? 'incremented' : 'decremented'}.`);
    throw serverError(reply, op === 'incr' ? 'Incrementing' : 'Decrementing', key, this.server);
  }

  async touch(key: string, ttl: number): Promise<boolean> {
    const { lines } = await this.request(`touch ${wireKey(key)} ${ttl}`, { multiLine: false });
    if (lines[0] === 'TOUCHED') return true;
    if (lines[0] === 'NOT_FOUND') return false;
    throw serverError(lines[0] ?? '', 'Touching', key, this.server);
  }

  async delete(key: string): Promise<boolean> {
    const { lines } = await this.request(`delete ${wireKey(key)}`, { multiLine: false });
    if (lines[0] === 'DELETED') return true;
    if (lines[0] === 'NOT_FOUND') return false;
    throw serverError(lines[0] ?? '', 'Deleting', key, this.server);
  }

  async flushAll(): Promise<void> {
    const { lines } = await this.request('flush_all', { multiLine: false });
    if (lines[0] !== 'OK') throw new MemcachedReplyError(lines[0] ?? 'no reply to flush_all');
  }

  stats(group: string | undefined): Promise<Map<string, string>> {
    return this.onLink((connection) => connection.stats(group, this.timeoutMs));
  }

  close(): void {
    this.link.close();
  }
}
