import { DriverError } from '../errors';

/* Stream entry IDs as Redis writes them (milliseconds-sequence, each a 64-bit unsigned number), checked before use. */

const MAX = (1n << 64n) - 1n;
const ENTRY_ID = /^(\d{1,20})-(\d{1,20})$/;

/** The parts of an entry ID, or undefined for anything that is not one (a space, a sign, a part past 2^64-1). */
function parts(text: string): [bigint, bigint] | undefined {
  const match = ENTRY_ID.exec(text);
  if (!match) return undefined;
  const [ms, seq] = [BigInt(match[1]!), BigInt(match[2]!)];
  return ms <= MAX && seq <= MAX ? [ms, seq] : undefined;
}

/** An entry ID the UI named; refuses anything else, naming it, so no text of the user's reaches the command line as an option. */
export function entryId(text: string, what = 'A stream entry'): string {
  if (!parts(text)) throw new DriverError('config', `${what} is named by its ID, milliseconds-sequence such as 1700000000000-0, not "${text.slice(0, 40)}".`);
  return text;
}

/** Where a new consumer group starts: `$` (only entries added from now), `0` (the whole stream) or an entry ID. */
export function groupStart(text: string): string {
  if (text === '$' || text === '0') return text;
  if (/^\d{1,20}$/.test(text) && BigInt(text) <= MAX) return text;
  return entryId(text, 'Where a group starts');
}

/** The smallest ID after `id`: with it as MINID, XTRIM removes `id` and everything before it, and nothing after. */
export function nextId(id: string): string {
  const [ms, seq] = parts(id) ?? [0n, 0n];
  if (seq < MAX) return `${ms}-${seq + 1n}`;
  if (ms < MAX) return `${ms + 1n}-0`;
  throw new DriverError('config', `${id} is the highest ID a stream entry can have: no MINID comes after it.`, 'Trim by MAXLEN 0 from the console to empty the stream.');
}
