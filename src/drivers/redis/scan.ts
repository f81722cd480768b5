import type Redis from 'ioredis';
import { isCluster, RedisClient } from './client';
import { keyRef, isGlob } from './keys';
import { KeyRow } from './shapes';

export type { KeyRow };

export interface ScanProgress {
  readonly scanned: number;
  readonly total: number;
  readonly done: boolean;
}

export interface ScanOptions {
  readonly match: string;
  readonly type?: string;
  /** Starting COUNT; adapted to keep each SCAN call short. */
  readonly count?: number;
  readonly signal?: AbortSignal;
  /** Resolves when the scan may go on (pause / resume). */
  readonly gate?: () => Promise<void>;
  /** Each batch of names as the server sent them: bytes, as a name need not be UTF-8 (see keyRef to show one). */
  readonly onKeys: (keys: readonly Buffer[]) => void;
  readonly onProgress?: (progress: ScanProgress) => void;
}

/**
 * TYPE, PTTL and MEMORY USAGE of a page of keys in one pipeline. A cluster pipeline must stay within one slot, so
 * there the commands go out together and ioredis' auto-pipelining batches them per node.
 */
export async function keyMetadata(client: RedisClient, keys: readonly Buffer[]): Promise<KeyRow[]> {
  if (keys.length === 0) return [];
  let replies: [Error | null, unknown][];
  if (isCluster(client)) {
    const settle = (p: Promise<unknown>): Promise<[Error | null, unknown]> => p.then((v) => [null, v], (e: Error) => [e, null]);
    replies = await Promise.all(keys.flatMap((key) => [settle(client.type(key)), settle(client.pttl(key)), settle(client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'))]));
  } else {
    const pipeline = client.pipeline();
    for (const key of keys) {
      pipeline.type(key);
      pipeline.pttl(key);
      pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    }
    replies = (await pipeline.exec()) ?? [];
  }
  // A server that did not answer (or went away) fails the whole page, rather than showing every key as gone.
  const unanswered = replies.find(([error]) => error !== null && /Command timed out|Connection is closed/.test(error.message))?.[0];
  if (unanswered) throw unanswered;
  return keys.map((key, i) => {
    const [typeReply, ttlReply, memoryReply] = [replies[i * 3], replies[i * 3 + 1], replies[i * 3 + 2]];
    const memory = typeof memoryReply?.[1] === 'number' ? memoryReply[1] : undefined;
    return { ...keyRef(key), type: String(typeReply?.[1] ?? 'none'), ttl: typeof ttlReply?.[1] === 'number' ? ttlReply[1] : -1, ...(memory !== undefined ? { memory } : {}) };
  });
}

/**
 * Streams the keyspace with SCAN (never KEYS): MATCH and TYPE filters, COUNT adapted so each call stays short,
 * pause/resume through `gate`, cancel through `signal`. Batches carry only the names, as bytes; type, TTL and memory
 * of the keys a user can see come from `keyMetadata`, one pipeline per visible page.
 * A pattern without glob characters is looked up directly.
 */
export async function scanKeys(client: RedisClient, servers: readonly Redis[], options: ScanOptions): Promise<{ scanned: number; found: number }> {
  const sizes = await Promise.all(servers.map((server) => server.dbsize())).catch((error: unknown) => {
    if (options.signal?.aborted) return servers.map(() => 0);
    throw error;
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  if (options.match && !isGlob(options.match)) {
    const key = Buffer.from(options.match, 'utf8');
    const found = options.type ? (await client.type(key)) === options.type : (await client.exists(key)) === 1;
    if (found) options.onKeys([key]);
    options.onProgress?.({ scanned: total, total, done: true });
    return { scanned: total, found: found ? 1 : 0 };
  }
  // A cluster is scanned one master after another; progress counts against the sum of their sizes.
  let scanned = 0;
  let found = 0;
  for (const [i, server] of servers.entries()) {
    if (options.signal?.aborted) break;
    const last = i === servers.length - 1;
    const result = await scanServer(server, options, (done, keys) => {
      found += keys;
      options.onProgress?.({ scanned: Math.min(scanned + Math.min(done, sizes[i]!), total), total, done: false });
    });
    scanned += Math.min(result, sizes[i]!);
    if (last) options.onProgress?.({ scanned: Math.min(scanned, total), total, done: !options.signal?.aborted });
  }
  return { scanned: Math.min(scanned, total), found };
}

/** One server's SCAN loop; resolves how much of its keyspace it covered. */
async function scanServer(server: Redis, options: ScanOptions, onStep: (scanned: number, keys: number) => void): Promise<number> {
  let cursor = '0';
  let count = options.count ?? 1000;
  let scanned = 0;
  do {
    if (options.signal?.aborted) break;
    await options.gate?.();
    const started = Date.now();
    // MATCH * costs the server a glob test per key for nothing.
    const args: (string | number)[] = options.match && options.match !== '*' ? ['MATCH', options.match, 'COUNT', count] : ['COUNT', count];
    if (options.type) args.push('TYPE', options.type);
    let reply: unknown;
    try {
      reply = await server.callBuffer('SCAN', cursor, ...args);
    } catch (error) {
      // Cancelling drops a scan's own connection when the server does not answer: the scan ends with what it found.
      if (options.signal?.aborted) break;
      throw error;
    }
    if (!Array.isArray(reply) || !Buffer.isBuffer(reply[0]) || !Array.isArray(reply[1])) throw new Error('SCAN returned an unexpected reply');
    const listed: unknown[] = reply[1];
    const keys = listed.filter((key): key is Buffer => Buffer.isBuffer(key));
    if (keys.length !== listed.length) throw new Error('SCAN returned an unexpected reply');
    cursor = reply[0].toString();
    scanned += count;
    const elapsed = Date.now() - started;
    // Keep each call between a few and 50 ms: raise COUNT on sparse, quick pages, lower it on slow ones.
    if (elapsed < 10 && count < 16_000) count *= 2;
    else if (elapsed > 50 && count > 100) count = Math.max(100, Math.floor(count / 2));
    if (keys.length) options.onKeys(keys);
    onStep(scanned, keys.length);
  } while (cursor !== '0');
  return scanned;
}
