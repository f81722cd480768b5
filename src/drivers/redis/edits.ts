import { randomBytes } from 'node:crypto';
import { keyServers, RedisClient } from './client';
import { DriverError } from '../errors';
import { bytesOf } from './keys';
import { EditResult, MemberEdit } from './shapes';

export type { EditResult, MemberEdit };

/**
 * Changes or removes the list item at an index only if it still holds the bytes that were read there, in one step on
 * the server. LREM removes by value, so the item is first marked with a token made for this call alone (no item holds
 * it) and that one mark is removed. Returns 1 when done, 0 when the item there is another one now, -1 when the index is
 * past the end (the list shrank, or is gone).
 */
const LIST_ITEM = `
local current = redis.call('LINDEX', KEYS[1], ARGV[1])
if not current then return -1 end
if current ~= ARGV[2] then return 0 end
redis.call('LSET', KEYS[1], ARGV[1], ARGV[4])
if ARGV[3] == 'delete' then redis.call('LREM', KEYS[1], 1, ARGV[4]) end
return 1`;

const STREAM_ID = /^\d+-\d+$/;

function listIndex(index: number): number {
  if (!Number.isSafeInteger(index) || index < 0) throw new DriverError('config', `A list item is named by its index from the head, a whole number from 0 (not ${index}).`);
  return index;
}

async function listItem(client: RedisClient, key: Buffer, op: 'set' | 'delete', index: number, expected: Buffer, value: Buffer): Promise<EditResult> {
  const outcome = await client.eval(LIST_ITEM, 1, key, String(listIndex(index)), expected, op, value);
  return outcome === 1 ? { changed: 1 } : { moved: true };
}

/** Applies one member edit: existing members by their exact bytes, list items only if still the ones read. */
export async function applyEdit(client: RedisClient, key: Buffer, edit: MemberEdit): Promise<EditResult> {
  switch (edit.type) {
    case 'string':
      return { changed: (await client.set(key, edit.value)) === 'OK' ? 1 : 0 };
    case 'hash':
      if (edit.op === 'delete') return { changed: await client.hdel(key, bytesOf(edit.field)) };
      await client.hset(key, edit.field, edit.value);
      return { changed: 1 };
    case 'list':
      if (edit.op === 'push') return client.rpush(key, edit.value).then(() => ({ changed: 1 }));
      if (edit.op === 'set') return listItem(client, key, 'set', edit.index, bytesOf(edit.expected), Buffer.from(edit.value, 'utf8'));
      return listItem(client, key, 'delete', edit.index, bytesOf(edit.expected), Buffer.from(`switchboard:removing:${randomBytes(16).toString('hex')}`));
    case 'set':
      return { changed: edit.op === 'add' ? await client.sadd(key, edit.member) : await client.srem(key, bytesOf(edit.member)) };
    case 'zset':
      if (edit.op === 'delete') return { changed: await client.zrem(key, bytesOf(edit.member)) };
      if (!Number.isFinite(edit.score)) throw new DriverError('config', 'A sorted-set member needs a numeric score.');
      await client.zadd(key, edit.score, edit.member);
      return { changed: 1 };
    case 'stream':
      if (edit.op === 'delete') {
        if (!STREAM_ID.test(edit.id)) throw new DriverError('config', `"${edit.id.slice(0, 40)}" is not a stream entry ID (milliseconds-sequence).`);
        return { changed: await client.xdel(key, edit.id) };
      }
      if (!edit.fields.length) throw new DriverError('config', 'A stream entry needs at least one field.');
      if (edit.id !== undefined && edit.id !== '*' && !/^\d+(-(\d+|\*))?$/.test(edit.id)) throw new DriverError('config', `"${edit.id.slice(0, 40)}" is not a stream entry ID: give milliseconds-sequence, or leave it empty for the server to choose.`);
      await client.xadd(key, edit.id ?? '*', ...edit.fields.flat());
      return { changed: 1 };
  }
}

/** Creates a key of a type with its first member; refuses when the key exists. */
export async function createKey(client: RedisClient, key: Buffer, first: MemberEdit): Promise<void> {
  if (await client.exists(key)) throw new DriverError('config', `${key.toString()} already exists.`, 'Pick another name, or edit the existing key.');
  if (first.type === 'string') {
    await client.set(key, first.value, 'NX');
    return;
  }
  await applyEdit(client, key, first);
}

/**
 * Deletes every key matching a pattern in UNLINK batches as SCAN finds them (on each master of a cluster; one UNLINK
 * per key, pipelined, since a cluster refuses multi-key commands across slots); with `dryRun`, only counts them.
 * Cancelling stops between batches; what was unlinked stays unlinked.
 */
export async function deleteMatching(client: RedisClient, pattern: string, options: { dryRun: boolean; signal?: AbortSignal; onProgress?: (done: number) => void }): Promise<number> {
  let count = 0;
  for (const server of keyServers(client)) {
    let cursor = '0';
    do {
      if (options.signal?.aborted) return count;
      const [next, keys] = await server.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next.toString();
      if (keys.length) {
        if (options.dryRun) count += keys.length;
        else {
          const pipeline = server.pipeline();
          for (const key of keys) pipeline.unlink(key);
          for (const [error, removed] of (await pipeline.exec()) ?? []) if (!error) count += Number(removed);
        }
        options.onProgress?.(count);
      }
    } while (cursor !== '0');
  }
  return count;
}
