import type { RedisClient } from './client';
import { displayBytes, member } from './keys';
import { notJsonObject } from '../format';
import { Shown, ValuePage } from './shapes';

export type { ValuePage };


const shown = (data: Buffer): Shown => displayBytes(data);
const pairs = (flat: readonly Buffer[]): [Buffer, Buffer][] => {
  const out: [Buffer, Buffer][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};
const buffers = (reply: unknown): Buffer[] => (Array.isArray(reply) ? reply.filter(Buffer.isBuffer) : []);
/** Member/score pairs, whether the reply is flat (RESP2) or already paired (RESP3-style). */
const asBuffer = (value: unknown): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(String(value)));
export const pairsOf = (reply: unknown): [Buffer, Buffer][] =>
  Array.isArray(reply) && reply.every(Array.isArray) ? (reply as unknown[][]).map((p) => [asBuffer(p[0]), asBuffer(p[1])]) : pairs(buffers(reply));

/**
 * One page of a value, never the whole of an unknown-sized one: strings up to `maxBytes` (GETRANGE), hashes, sets
 * and sorted sets by cursor or index windows (HSCAN, SSCAN, ZRANGE), lists by LRANGE windows, streams by XRANGE pages.
 */
export async function readValuePage(client: RedisClient, key: Buffer, page: { cursor?: string; offset?: number; limit: number; maxBytes: number }): Promise<ValuePage> {
  const type = await client.type(key);
  const count = page.limit;
  switch (type) {
    case 'string': {
      const length = await client.strlen(key);
      const data = length === 0 ? Buffer.alloc(0) : await client.getrangeBuffer(key, 0, Math.min(length, page.maxBytes) - 1);
      const value = shown(data);
      const json = value.exact && data.length === length && notJsonObject(value.text) === undefined;
      return { type, length, value, json, truncated: length > data.length };
    }
    case 'hash': {
      const [next, flat] = await client.hscanBuffer(key, page.cursor ?? '0', 'COUNT', count);
      return { type, entries: pairs(flat).map(([f, v]) => [member(f), shown(v)]), cursor: next.toString(), total: await client.hlen(key) };
    }
    case 'set': {
      const [next, members] = await client.sscanBuffer(key, page.cursor ?? '0', 'COUNT', count);
      return { type, members: members.map(member), cursor: next.toString(), total: await client.scard(key) };
    }
    case 'zset': {
      const offset = page.offset ?? 0;
      const reply: unknown = await client.callBuffer('ZRANGE', key, offset, offset + count - 1, 'WITHSCORES');
      return { type, entries: pairsOf(reply).map(([m, s]) => [member(m), s.toString()]), offset, total: await client.zcard(key) };
    }
    case 'list': {
      const offset = page.offset ?? 0;
      const items = await client.lrangeBuffer(key, offset, offset + count - 1);
      return { type, items: items.map(member), offset, total: await client.llen(key) };
    }
    case 'stream': {
      const start = page.cursor ? `(${page.cursor}` : '-';
      const raw: unknown = await client.callBuffer('XRANGE', key, start, '+', 'COUNT', count);
      const entries = (Array.isArray(raw) ? raw : []).map((entry: unknown) => {
        const [id, fields] = Array.isArray(entry) ? entry : [];
        return { id: Buffer.isBuffer(id) ? id.toString() : String(id), fields: pairs(buffers(fields)).map(([f, v]) => [shown(f), shown(v)] as [Shown, Shown]) };
      });
      const groupsRaw: unknown = await client.call('XINFO', 'GROUPS', key).catch(() => []);
      const groups = (Array.isArray(groupsRaw) ? groupsRaw : []).map((g: unknown) => {
        const list = Array.isArray(g) ? g.map(String) : [];
        const get = (name: string): string => list[list.indexOf(name) + 1] ?? '';
        return { name: get('name'), consumers: Number(get('consumers')), pending: Number(get('pending')), lastId: get('last-delivered-id') };
      });
      const last = entries[entries.length - 1];
      return { type, entries, ...(entries.length === count && last ? { next: last.id } : {}), total: await client.xlen(key), groups };
    }
    default:
      return { type: 'none' };
  }
}

/** How many members a collection holds; 0 for a string or a missing key. */
export async function collectionSize(client: RedisClient, key: Buffer): Promise<number> {
  switch (await client.type(key)) {
    case 'hash': return client.hlen(key);
    case 'list': return client.llen(key);
    case 'set': return client.scard(key);
    case 'zset': return client.zcard(key);
    case 'stream': return client.xlen(key);
    default: return 0;
  }
}
