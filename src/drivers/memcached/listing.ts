import decodeUri from 'fast-decode-uri-component';
import { TextConnection } from './textConnection';

/** One key as the server's LRU crawler (or cachedump) reports it. */
export interface KeyInfo {
  readonly key: string;
  readonly server: string;
  readonly size: number;
  /** Unix seconds; -1 never expires. */
  readonly expiry: number;
  /** Unix seconds of the last access; undefined from cachedump. */
  readonly lastAccess?: number;
  readonly slabClass?: number;
}

export interface ListingResult {
  readonly method: 'metadump' | 'cachedump';
  readonly listed: number;
  readonly capped: boolean;
  /**
   * The server's own item count (curr_items), read right after the listing. More than `listed` (and not capped)
   * means keys were left out: memcached skips items it is moving between its LRU segments at that moment (keys
   * read recently), counts expired and flushed items until it reclaims them, and items can arrive meanwhile.
   */
  readonly serverItems?: number;
}

/** A key as metadump escapes it ("user%3A1"); a key whose escapes are not UTF-8 is shown as escaped. */
function decodeKey(encoded: string): string {
  return encoded.includes('%') ? decodeUri(encoded) ?? encoded : encoded;
}

/** The number after `name` in a metadump line, or `fallback` when the field is missing or not a number. */
function field(line: string, name: string, from: number, fallback: number): number {
  const at = line.indexOf(name, from);
  if (at < 0) return fallback;
  const start = at + name.length;
  const end = line.indexOf(' ', start);
  const value = Number(line.slice(start, end < 0 ? line.length : end));
  return Number.isFinite(value) && end !== start ? value : fallback;
}

/**
 * A line as memcached's crawler writes it. One regular expression per line is the fastest way through a million of
 * them, and stays fast where another library in the process subclasses String (ioredis does), which makes every
 * String.prototype call slower: a listing of 1M keys measured 1.1 s of CPU, 1.7 s once ioredis was loaded, with the
 * per-field indexOf / slice / charCodeAt parsing.
 */
const METADUMP = /^key=(\S+) exp=(-?\d+) la=(\d+) cas=\d+ fetch=\S+ cls=(\d+) size=(\d+)/;

/** Parses "key=foo%3A1 exp=-1 la=1700000000 cas=3 fetch=no cls=1 size=70"; fields in another order or missing are looked up one by one. */
export function parseMetadumpLine(line: string, server: string): KeyInfo | undefined {
  const m = METADUMP.exec(line);
  if (m) return { key: decodeKey(m[1]!), server, size: Number(m[5]), expiry: Number(m[2]), lastAccess: Number(m[3]), slabClass: Number(m[4]) };
  if (!line.startsWith('key=')) return undefined;
  const keyEnd = line.indexOf(' ', 4);
  const from = keyEnd < 0 ? line.length : keyEnd;
  return {
    key: decodeKey(line.slice(4, from)),
    server,
    size: field(line, ' size=', from, 0),
    expiry: field(line, ' exp=', from, -1),
    lastAccess: field(line, ' la=', from, 0),
    slabClass: field(line, ' cls=', from, 0),
  };
}

/**
 * Streams every key of one server through `lru_crawler metadump all`, parsed as it arrives, in batches, up to `cap`.
 * Where the crawler is unavailable it falls back to `stats cachedump`, which servers may cut short.
 */
export async function listKeys(
  connection: TextConnection,
  server: string,
  options: { cap: number; timeoutMs: number; signal?: AbortSignal; onBatch: (keys: KeyInfo[]) => void; batchSize?: number },
): Promise<ListingResult> {
  const batchSize = options.batchSize ?? 2000;
  let batch: KeyInfo[] = [];
  let listed = 0;
  let capped = false;
  const flush = (): void => {
    if (batch.length) options.onBatch(batch);
    batch = [];
  };
  const reply = await connection.request('lru_crawler metadump all', options.timeoutMs, {
    ...(options.signal ? { signal: options.signal } : {}),
    onLine: (line) => {
      if (capped) return;
      const info = parseMetadumpLine(line, server);
      if (!info) return;
      batch.push(info);
      listed++;
      if (listed >= options.cap) capped = true;
      if (batch.length >= batchSize) flush();
    },
  });
  flush();
  const last = reply.lines[reply.lines.length - 1] ?? '';
  const result: ListingResult = last === 'END' ? { method: 'metadump', listed, capped } : await listWithCachedump(connection, server, options);
  return { ...result, ...(await itemCount(connection, options.timeoutMs)) };
}

async function itemCount(connection: TextConnection, timeoutMs: number): Promise<{ serverItems?: number }> {
  const count = Number((await connection.stats(undefined, timeoutMs)).get('curr_items'));
  return Number.isSafeInteger(count) ? { serverItems: count } : {};
}

async function listWithCachedump(
  connection: TextConnection,
  server: string,
  options: { cap: number; timeoutMs: number; signal?: AbortSignal; onBatch: (keys: KeyInfo[]) => void },
): Promise<ListingResult> {
  const items = await connection.stats('items', options.timeoutMs);
  const classes = [...new Set([...items.keys()].map((k) => /^items:(\d+):number$/.exec(k)?.[1]).filter((c): c is string => c !== undefined))];
  let listed = 0;
  for (const slab of classes) {
    if (listed >= options.cap || options.signal?.aborted) break;
    const { lines } = await connection.request(`stats cachedump ${slab} 0`, options.timeoutMs, options.signal ? { signal: options.signal } : {});
    const batch: KeyInfo[] = [];
    for (const line of lines) {
      const match = /^ITEM ([^ ]+) \[(\d+) b; (\d+) s\]$/.exec(line);
      if (!match || listed >= options.cap) continue;
      const expiry = Number(match[3]);
      batch.push({ key: match[1]!, server, size: Number(match[2]), expiry: expiry === 0 ? -1 : expiry, slabClass: Number(slab) });
      listed++;
    }
    if (batch.length) options.onBatch(batch);
  }
  return { method: 'cachedump', listed, capped: listed >= options.cap };
}
