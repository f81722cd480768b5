import { DriverError } from '../errors';

/** C's isspace(): where blanks between arguments are skipped, and what may follow a closing quote. */
const isSpace = (byte: number): boolean => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
/** What ends an unquoted argument in sdssplitargs (not \v or \f, which C's isspace would also take). */
const ENDS_WORD = new Set([0x20, 0x0a, 0x0d, 0x09, 0x00]);
const isHex = (byte: number): boolean => (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
const hexValue = (byte: number): number => parseInt(String.fromCharCode(byte), 16);
/** The escapes double quotes take besides \xHH; any other escaped byte stands for itself. */
const ESCAPES: Readonly<Record<number, number>> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x61: 0x07 };

const invalid = (why: string): DriverError => new DriverError('config', `Invalid argument(s): ${why}.`, 'Quote as redis-cli does: "double" quotes take \\n, \\t, \\" and \\xHH escapes, \'single\' quotes only \\\'.');

/**
 * Splits a line into argument bytes exactly as redis-cli 7 does (sds.c sdssplitargs), on the line's UTF-8 bytes:
 * blanks separate; a double or single quote opens a quoted part even inside a word (foo"bar" is foobar), and its
 * closing quote must be followed by a blank or the end; "double" quotes take \n \r \t \b \a \xHH and \<any byte>,
 * 'single' quotes only \'. Like the C string it reads, the line ends at a NUL.
 */
export function parseCommandLine(line: string): Buffer[] {
  const whole = Buffer.from(line, 'utf8');
  const nul = whole.indexOf(0);
  const bytes = nul < 0 ? whole : whole.subarray(0, nul);
  const at = (i: number): number => bytes[i] ?? 0;
  const args: Buffer[] = [];
  let i = 0;
  for (;;) {
    while (at(i) && isSpace(at(i))) i++;
    if (!at(i)) return args;
    const current: number[] = [];
    let quote: 'double' | 'single' | undefined;
    let done = false;
    while (!done) {
      const c = at(i);
      if (quote === 'double') {
        if (c === 0x5c && at(i + 1) === 0x78 && isHex(at(i + 2)) && isHex(at(i + 3))) {
          current.push(hexValue(at(i + 2)) * 16 + hexValue(at(i + 3)));
          i += 3;
        } else if (c === 0x5c && at(i + 1)) {
          i++;
          current.push(ESCAPES[at(i)] ?? at(i));
        } else if (c === 0x22) {
          if (at(i + 1) && !isSpace(at(i + 1))) throw invalid('a closing quote must be followed by a space');
          done = true;
        } else if (!c) {
          throw invalid('unbalanced quotes');
        } else {
          current.push(c);
        }
      } else if (quote === 'single') {
        if (c === 0x5c && at(i + 1) === 0x27) {
          i++;
          current.push(0x27);
        } else if (c === 0x27) {
          if (at(i + 1) && !isSpace(at(i + 1))) throw invalid('a closing quote must be followed by a space');
          done = true;
        } else if (!c) {
          throw invalid('unbalanced quotes');
        } else {
          current.push(c);
        }
      } else if (ENDS_WORD.has(c)) {
        done = true;
      } else if (c === 0x22) {
        quote = 'double';
      } else if (c === 0x27) {
        quote = 'single';
      } else {
        current.push(c);
      }
      if (at(i)) i++;
    }
    args.push(Buffer.from(current));
  }
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

/**
 * Replies redis-cli prints as they are rather than quoted: the reports meant for reading (INFO, CLIENT LIST,
 * CLUSTER NODES, MEMORY DOCTOR and the like), by the command and its subcommand.
 */
const RAW_OUTPUT = new Set(['INFO', 'LOLWUT', 'CLIENT LIST', 'CLIENT INFO', 'CLUSTER NODES', 'CLUSTER INFO', 'MEMORY DOCTOR', 'MEMORY MALLOC-STATS', 'LATENCY DOCTOR', 'LATENCY GRAPH', 'DEBUG HTSTATS', 'DEBUG HTSTATS-KEY']);

/** A reply as redis-cli prints it for the command that was run: a report as its text, anything else as `formatReply`. */
export function formatReplyTo(args: readonly Buffer[], reply: unknown): string {
  const first = (args[0]?.toString('latin1') ?? '').toUpperCase();
  const second = `${first} ${(args[1]?.toString('latin1') ?? '').toUpperCase()}`;
  if (Buffer.isBuffer(reply) && (RAW_OUTPUT.has(first) || RAW_OUTPUT.has(second))) return reply.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
  return formatReply(reply);
}

const SECRET_SETTINGS = new Set(['MASTERAUTH', 'MASTERUSER', 'REQUIREPASS', 'TLS-KEY-FILE-PASS', 'TLS-CLIENT-KEY-FILE-PASS']);

/** Commands that carry a password, which redis-cli keeps out of its history: AUTH, HELLO … AUTH, ACL SETUSER and the like. */
export function isSensitive(args: readonly Buffer[]): boolean {
  const words = args.map((arg) => arg.toString('latin1').toUpperCase());
  const [first = '', second = ''] = words;
  if (first === 'AUTH' || (first === 'ACL' && second === 'SETUSER')) return true;
  if (first === 'HELLO' || first === 'MIGRATE') return words.some((word) => word === 'AUTH' || word === 'AUTH2');
  return first === 'CONFIG' && second === 'SET' && words.slice(2).some((word) => SECRET_SETTINGS.has(word));
}

const DANGEROUS = new Set(['FLUSHALL', 'FLUSHDB', 'KEYS', 'SHUTDOWN', 'DEBUG', 'CONFIG SET']);

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
 * The command name as it goes to the server: the typed bytes. The client library takes names as text, so a name that
 * is not UTF-8 cannot be sent as typed (and names no command).
 */
export function commandWord(arg: Buffer): string {
  const text = arg.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(arg)) throw new DriverError('config', `Unknown command ${formatReply(arg)}: command names are text.`);
  return text;
}
