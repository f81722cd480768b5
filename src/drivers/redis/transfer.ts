import type Redis from 'ioredis';
import { keyServers, RedisClient } from './client';
import { DriverError } from '../errors';
import { pairsOf } from './values';

/** One key in a JSON-lines export. Bytes that are not UTF-8 are written as {"base64": "..."}. */
type Bytes = string | { base64: string };
export interface ExportedKey {
  readonly key: Bytes;
  readonly type: 'string' | 'hash' | 'list' | 'set' | 'zset' | 'stream';
  /** Milliseconds to live, or -1. */
  readonly ttl: number;
  readonly value: Bytes | [Bytes, Bytes][] | Bytes[] | [Bytes, number][] | [string, [Bytes, Bytes][]][];
}

const toBytes = (data: Buffer): Bytes => {
  const text = data.toString('utf8');
  return Buffer.from(text, 'utf8').equals(data) ? text : { base64: data.toString('base64') };
};
const fromBytes = (value: unknown): Buffer => {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'object' && value !== null && 'base64' in value && typeof value.base64 === 'string') return Buffer.from(value.base64, 'base64');
  throw new DriverError('config', 'A value in the import file is neither text nor {"base64": ...}.');
};
const pairs = <T>(flat: readonly T[]): [T, T][] => {
  const out: [T, T][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

async function exportOne(client: Redis, key: Buffer): Promise<ExportedKey | undefined> {
  const [type, ttl] = await Promise.all([client.type(key), client.pttl(key)]);
  const base = { key: toBytes(key), ttl };
  switch (type) {
    case 'string': {
      const value = await client.getBuffer(key);
      return value === null ? undefined : { ...base, type, value: toBytes(value) };
    }
    case 'hash':
      return { ...base, type, value: pairsOf(await client.callBuffer('HGETALL', key)).map(([f, v]) => [toBytes(f), toBytes(v)]) };
    case 'list':
      return { ...base, type, value: (await client.lrangeBuffer(key, 0, -1)).map(toBytes) };
    case 'set':
      return { ...base, type, value: (await client.smembersBuffer(key)).map(toBytes) };
    case 'zset': {
      return { ...base, type, value: pairsOf(await client.callBuffer('ZRANGE', key, 0, -1, 'WITHSCORES')).map(([m, s]) => [toBytes(m), Number(s.toString())]) };
    }
    case 'stream': {
      const entries: unknown = await client.callBuffer('XRANGE', key, '-', '+');
      const value = (Array.isArray(entries) ? entries : []).map((entry: unknown) => {
        const [id, fields] = Array.isArray(entry) ? entry : [];
        return [String(id), pairs(Array.isArray(fields) ? (fields as Buffer[]) : []).map(([f, v]) => [toBytes(f), toBytes(v)])] as [string, [Bytes, Bytes][]];
      });
      return { ...base, type, value };
    }
    default:
      return undefined;
  }
}

/**
 * Writes every key matching `pattern` as one JSON line each, found with SCAN and read type by type — on each master of
 * a cluster in turn, reading every key from the node that holds it.
 */
export async function exportKeys(client: RedisClient, pattern: string, write: (line: string) => Promise<void>, options: { signal?: AbortSignal; onProgress?: (done: number) => void } = {}): Promise<number> {
  let done = 0;
  for (const server of keyServers(client)) {
    let cursor = '0';
    do {
      if (options.signal?.aborted) return done;
      const [next, keys] = await server.scanBuffer(cursor, 'MATCH', pattern || '*', 'COUNT', 500);
      cursor = next.toString();
      for (const key of keys) {
        const exported = await exportOne(server, key);
        if (!exported) continue;
        await write(`${JSON.stringify(exported)}\n`);
        done++;
        options.onProgress?.(done);
      }
    } while (cursor !== '0');
  }
  return done;
}

/** Restores one exported key (replacing what is there when `replace`); resolves false when it exists and is kept. */
export async function importKey(client: RedisClient, line: string, replace: boolean): Promise<boolean> {
  let parsed: ExportedKey;
  try {
    parsed = JSON.parse(line) as ExportedKey;
  } catch (error) {
    throw new DriverError('config', `A line of the import file is not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  const key = fromBytes(parsed.key);
  if (!replace && (await client.exists(key))) return false;
  const tx = client.multi().del(key);
  const value = parsed.value as unknown;
  switch (parsed.type) {
    case 'string':
      tx.set(key, fromBytes(value));
      break;
    case 'hash':
      for (const [f, v] of value as [Bytes, Bytes][]) tx.hset(key, fromBytes(f), fromBytes(v));
      break;
    case 'list':
      if ((value as Bytes[]).length) tx.rpush(key, ...(value as Bytes[]).map(fromBytes));
      break;
    case 'set':
      if ((value as Bytes[]).length) tx.sadd(key, ...(value as Bytes[]).map(fromBytes));
      break;
    case 'zset':
      for (const [m, s] of value as [Bytes, number][]) tx.zadd(key, s, fromBytes(m));
      break;
    case 'stream': {
      const entries = value as [string, [Bytes, Bytes][]][];
      for (const [id, fields] of entries) tx.xadd(key, id, ...fields.flatMap(([f, v]) => [fromBytes(f), fromBytes(v)]));
      // An empty stream still exists in Redis: create it with one entry and take that away again.
      if (entries.length === 0) tx.xadd(key, '0-1', 'switchboard', 'empty').xdel(key, '0-1');
      break;
    }
    default:
      throw new DriverError('config', `The import file has a key of type "${String(parsed.type)}", which Switchboard does not import.`);
  }
  if (parsed.ttl > 0) tx.pexpire(key, parsed.ttl);
  await tx.exec();
  return true;
}
