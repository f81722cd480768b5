import { keyServers, RedisClient } from './client';
import { DriverError } from '../errors';
import { MemberEdit } from './shapes';

export type { MemberEdit };

/** A marker no real list item holds, for deleting a list item by index (LSET then LREM). */
const TOMBSTONE = '__switchboard_deleted__\u0000';

/** Applies one member edit; resolves with how many members it changed. */
export async function applyEdit(client: RedisClient, key: Buffer, edit: MemberEdit): Promise<number> {
  switch (edit.type) {
    case 'string':
      return (await client.set(key, edit.value)) === 'OK' ? 1 : 0;
    case 'hash':
      if (edit.op === 'delete') return client.hdel(key, edit.field);
      await client.hset(key, edit.field, edit.value ?? '');
      return 1;
    case 'list':
      if (edit.op === 'push') return client.rpush(key, edit.value ?? '').then(() => 1);
      if (edit.index === undefined) throw new DriverError('config', 'A list edit needs the item index.');
      if (edit.op === 'set') return client.lset(key, edit.index, edit.value ?? '').then(() => 1);
      await client.lset(key, edit.index, TOMBSTONE);
      return client.lrem(key, 1, TOMBSTONE);
    case 'set':
      return edit.op === 'add' ? client.sadd(key, edit.member) : client.srem(key, edit.member);
    case 'zset':
      if (edit.op === 'delete') return client.zrem(key, edit.member);
      if (edit.score === undefined || !Number.isFinite(edit.score)) throw new DriverError('config', 'A sorted-set member needs a numeric score.');
      await client.zadd(key, edit.score, edit.member);
      return 1;
    case 'stream':
      if (edit.op === 'delete') return client.xdel(key, edit.id ?? '');
      if (!edit.fields?.length) throw new DriverError('config', 'A stream entry needs at least one field.');
      await client.xadd(key, edit.id ?? '*', ...edit.fields.flat());
      return 1;
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
