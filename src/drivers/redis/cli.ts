import type { RedisClient } from './client';
import { DriverError } from '../errors';

/**
 * Splits a line the way redis-cli does: spaces separate, "double quotes" take \n \t \" \\ \xHH escapes, 'single'
 * quotes take \'. Arguments are bytes: typed text as UTF-8, \xHH as that byte.
 */
export function parseCommandLine(line: string): Buffer[] {
  const args: Buffer[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const bytes: Buffer[] = [];
    const text = (t: string): void => void bytes.push(Buffer.from(t, 'utf8'));
    const quote = line[i] === '"' || line[i] === "'" ? line[i++] : undefined;
    for (;;) {
      if (i >= line.length) {
        if (quote) throw new Error('Invalid argument(s): unbalanced quotes');
        break;
      }
      const c = line[i]!;
      if (quote === '"' && c === '\\' && i + 1 < line.length) {
        const hex = /^x([0-9a-fA-F]{2})/.exec(line.slice(i + 1, i + 4));
        if (hex) {
          bytes.push(Buffer.from([parseInt(hex[1]!, 16)]));
          i += 4;
          continue;
        }
        const next = line[i + 1]!;
        text(({ n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' } as Record<string, string>)[next] ?? next);
        i += 2;
        continue;
      }
      if (quote === "'" && c === '\\' && line[i + 1] === "'") {
        text("'");
        i += 2;
        continue;
      }
      if (quote && c === quote) {
        i++;
        if (i < line.length && !/\s/.test(line[i]!)) throw new Error('Invalid argument(s): a closing quote must be followed by a space');
        break;
      }
      if (!quote && /\s/.test(c)) break;
      text(c);
      i++;
    }
    args.push(Buffer.concat(bytes));
  }
  return args;
}

function quoteBulk(data: Buffer): string {
  let out = '"';
  for (const byte of data) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/**
 * ioredis hands status replies and bulk strings over alike, as bytes; a bare status word at the top level is printed
 * the way redis-cli prints status replies (so a value that is literally "OK" shows unquoted too).
 */
const STATUS_WORDS = new Set(['OK', 'PONG', 'QUEUED']);

/** Formats a reply as redis-cli prints it. */
export function formatReply(reply: unknown, indent = ''): string {
  if (indent === '' && Buffer.isBuffer(reply) && STATUS_WORDS.has(reply.toString('latin1'))) return reply.toString('latin1');
  if (reply === null || reply === undefined) return '(nil)';
  if (typeof reply === 'number' || typeof reply === 'bigint') return `(integer) ${reply}`;
  if (Buffer.isBuffer(reply)) return quoteBulk(reply);
  if (typeof reply === 'string') return reply;
  if (reply instanceof Error) return `(error) ${reply.message}`;
  if (Array.isArray(reply)) {
    if (reply.length === 0) return '(empty array)';
    const width = String(reply.length).length;
    return reply
      .map((item, i) => {
        const label = `${String(i + 1).padStart(width)}) `;
        const body = formatReply(item, indent + ' '.repeat(label.length));
        return `${i === 0 ? '' : indent}${label}${body}`;
      })
      .join('\n');
  }
  return String(reply);
}

const DANGEROUS = new Set(['FLUSHALL', 'FLUSHDB', 'KEYS', 'SHUTDOWN', 'DEBUG', 'CONFIG SET']);
const UNSUPPORTED = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR', 'SYNC', 'PSYNC']);

/** The name a command is known by: "CONFIG SET" for subcommands that matter, else the first word. */
export function commandName(args: readonly Buffer[]): string {
  const first = (args[0]?.toString('latin1') ?? '').toUpperCase();
  const second = (args[1]?.toString('latin1') ?? '').toUpperCase();
  return first === 'CONFIG' && second ? `${first} ${second}` : first;
}

export function isDangerous(args: readonly Buffer[]): boolean {
  return DANGEROUS.has(commandName(args));
}

/**
 * The console behind the Redis CLI terminal: its own connection (SELECT and MULTI stay here), write commands refused
 * on read-only connections using the server's own command flags.
 */
export class RedisConsole {
  private readonly writeFlags = new Map<string, boolean>();

  constructor(private readonly client: RedisClient, private readonly readOnly: boolean, private readonly profileName: string) {}

  private async isWrite(name: string): Promise<boolean> {
    const cached = this.writeFlags.get(name);
    if (cached !== undefined) return cached;
    const info: unknown = await this.client.call('COMMAND', 'INFO', name).catch(() => []);
    const entry = Array.isArray(info) ? info[0] : undefined;
    const flags = Array.isArray(entry) && Array.isArray(entry[2]) ? entry[2].map(String) : [];
    // Unknown commands are treated as writes: the server may accept what COMMAND INFO does not describe.
    const write = flags.length === 0 || flags.includes('write') || flags.includes('admin');
    this.writeFlags.set(name, write);
    return write;
  }

  async run(args: readonly Buffer[]): Promise<unknown> {
    const name = (args[0]?.toString('latin1') ?? '').toUpperCase();
    if (UNSUPPORTED.has(name)) throw new DriverError('config', `${name} holds the connection open for pushes and is not available in this console.`);
    if (this.readOnly && (isDangerous(args) || (await this.isWrite(name.toLowerCase())))) {
      throw new DriverError('readOnly', `${commandName(args)} refused: "${this.profileName}" is a read-only connection.`);
    }
    const [, ...rest] = args;
    return this.client.callBuffer(name, ...rest);
  }

  close(): void {
    this.client.disconnect();
  }
}
