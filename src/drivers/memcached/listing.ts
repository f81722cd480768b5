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
}

/** A key as metadump escapes it ("user%3A1"); a key whose escapes are not UTF-8 is shown as escaped. */
function decodeKey(encoded: string): string {
  return encoded.includes('%') ? decodeUri(encoded) ?? encoded : encoded;
}

/** The whole number (possibly negative) after `name` in a metadump line, or `fallback`: read in place, nothing sliced. */
function field(line: string, name: string, from: number, fallback: number): number {
  let at = line.indexOf(name, from);
  if (at < 0) return fallback;
  at += name.length;
  const negative = line.charCodeAt(at) === 45;
  if (negative) at++;
  let value = 0;
  let digits = 0;
  for (let c = line.charCodeAt(at); c >= 48 && c <= 57; c = line.charCodeAt(++at), digits++) value = value * 10 + c - 48;
  if (!digits) return fallback;
  return negative ? -value : value;
}

/** Parses "key=foo%3A1 exp=-1 la=1700000000 cas=3 fetch=no cls=1 size=70" (a million times: indexOf, not split). */
export function parseMetadumpLine(line: string, server: string): KeyInfo | undefined {
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
  if (last === 'END') return { method: 'metadump', listed, capped };
  return listWithCachedump(connection, server, options);
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
      const match = /^ITEM (\S+) \[(\d+) b; (\d+) s\]$/.exec(line);
      if (!match || listed >= options.cap) continue;
      const expiry = Number(match[3]);
      batch.push({ key: match[1]!, server, size: Number(match[2]), expiry: expiry === 0 ? -1 : expiry, slabClass: Number(slab) });
      listed++;
    }
    if (batch.length) options.onBatch(batch);
  }
  return { method: 'cachedump', listed, capped: listed >= options.cap };
}
