import { DriverError } from '../errors';

/**
 * Switchboard's Redis export, version 2: JSON lines, one record a line, so a value of any size is written and read
 * back a page at a time. The first line names the format; each key is a header, its content in pages, then an end:
 *
 *   {"format":"switchboard-redis","version":2}
 *   {"key":"user:1","type":"hash","expireAt":1767225600000}     expireAt: Unix ms (PEXPIRETIME); absent: no TTL
 *   {"fields":[["name","Ada"],...]}                             up to a page of members per line
 *   {"end":true}
 *
 * Bytes that are not UTF-8 are written as {"base64": "..."}. Sorted-set scores are the server's own text ("inf",
 * "-inf", "0.1"), which reads back as the same double. Streams add their ids, their last id and counters, consumer
 * groups with their last-delivered id and entries read, the consumers, and each group's pending entries. A key of a
 * type Switchboard does not read (a module's) is written as its DUMP payload, restorable on a server with that module.
 */
export const FORMAT = { format: 'switchboard-redis', version: 2 } as const;

export type Bytes = string | { readonly base64: string };
export type KeyType = 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream' | 'dump';

export interface StreamMeta {
  readonly lastId: string;
  readonly entriesAdded?: number;
  readonly maxDeletedId?: string;
}
export interface GroupRecord {
  readonly name: Bytes;
  readonly lastId: string;
  readonly entriesRead?: number;
}
/** One pending entry of a group: id, consumer, milliseconds since its last delivery, times delivered. */
export type PendingEntry = readonly [string, Bytes, number, number];

export type ExportRecord =
  | { readonly format: 'switchboard-redis'; readonly version: number }
  | { readonly key: Bytes; readonly type: KeyType; readonly expireAt?: number; readonly moduleType?: string }
  | { readonly chunk: Bytes }
  | { readonly fields: readonly (readonly [Bytes, Bytes])[] }
  | { readonly items: readonly Bytes[] }
  | { readonly members: readonly Bytes[] }
  | { readonly scored: readonly (readonly [Bytes, string])[] }
  | { readonly entries: readonly (readonly [string, readonly (readonly [Bytes, Bytes])[]])[] }
  | { readonly stream: StreamMeta }
  | { readonly group: GroupRecord }
  | { readonly consumers: { readonly group: Bytes; readonly names: readonly Bytes[] } }
  | { readonly pending: { readonly group: Bytes; readonly entries: readonly PendingEntry[] } }
  | { readonly dump: string }
  /** `incomplete`: the key was deleted or replaced while it was read; an import leaves it out. */
  | { readonly end: true; readonly incomplete?: string };

export const toBytes = (data: Buffer): Bytes => {
  const text = data.toString('utf8');
  return Buffer.from(text, 'utf8').equals(data) ? text : { base64: data.toString('base64') };
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Bytes from the file; anything else is an error naming where it was met. */
export function fromBytes(value: unknown, where: string): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'object' && value !== null && 'base64' in value && typeof value.base64 === 'string' && BASE64.test(value.base64)) return Buffer.from(value.base64, 'base64');
  throw new DriverError('config', `${where}: a value is neither text nor {"base64": ...}.`, 'The file may be damaged or not a Switchboard export.');
}

export const STREAM_ID = /^\d+-\d+$/;

export function streamId(value: unknown, where: string): string {
  if (typeof value === 'string' && STREAM_ID.test(value)) return value;
  throw new DriverError('config', `${where}: "${String(value).slice(0, 40)}" is not a stream entry ID.`, 'The file may be damaged or not a Switchboard export.');
}

/** A sorted-set score as Redis writes it: a number, or inf / -inf. */
export function scoreText(value: unknown, where: string): string {
  if (typeof value === 'string' && /^[+-]?(inf|\d+(\.\d+)?(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)$/i.test(value)) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new DriverError('config', `${where}: ${JSON.stringify(value)} is not a sorted-set score.`, 'An export from an earlier Switchboard wrote infinite scores as null and cannot restore them: export the key again.');
}

export const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);
