import HashRing from 'hashring';
import { crc32 } from 'node:zlib';
import { MemcachedServer } from '../types';

import { KeyMapping } from './mappings';

/** memjs's own key hash (memjs/lib/memjs/utils.js hashCode): Java's String.hashCode, made non-negative. */
function memjsHash(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (31 * hash + key.charCodeAt(i)) << 0;
  return Math.abs(hash);
}

const endpoint = (s: MemcachedServer): string => `${s.host}:${s.port}`;

/** python-memcached's cmemcache_hash: ((crc32(key) & 0xffffffff) >> 16) & 0x7fff, and 1 where that is 0. */
export function cmemcacheHash(bytes: Buffer): number {
  return ((crc32(bytes) >>> 16) & 0x7fff) || 1;
}

/** python-memcached's tries at a server (Client._SERVER_RETRIES) before it gives up on a key. */
const PYTHON_SERVER_RETRIES = 10;

/**
 * python-memcached's _get_server: servers repeated by weight into buckets, the key's hash picks one, and when that
 * server is down the hash of the decimal hash followed by the try number picks again, ten times at most.
 */
function pythonMapper(servers: readonly MemcachedServer[]): KeyToServer {
  const buckets = servers.flatMap((s, i) => Array<number>(Math.max(1, s.weight)).fill(i));
  return (key, isUp = () => true) => {
    let hash = cmemcacheHash(Buffer.from(key, 'utf8'));
    for (let attempt = 0; attempt < PYTHON_SERVER_RETRIES; attempt++) {
      const server = buckets[hash % buckets.length]!;
      if (isUp(server)) return server;
      hash = cmemcacheHash(Buffer.from(`${hash}${attempt}`, 'ascii'));
    }
    return undefined;
  };
}

/**
 * From a key to the index of its server in the pool. `isUp` says which servers answer now: python-memcached then picks
 * another server the way the applications do; the other mappings name the server whatever its state. Undefined when
 * the mapping finds no server that is up.
 */
export type KeyToServer = (key: string, isUp?: (server: number) => boolean) => number | undefined;

/** Returns a function from key to the index of its server in `servers`. */
export function keyMapper(servers: readonly MemcachedServer[], mapping: KeyMapping): KeyToServer {
  if (mapping === 'python') return pythonMapper(servers);
  if (servers.length <= 1) return () => 0;
  if (mapping === 'memjs') return (key) => memjsHash(key) % servers.length;
  const ring = new HashRing(Object.fromEntries(servers.map((s) => [endpoint(s), { weight: s.weight }])), 'md5', { 'default port': 11211 });
  const index = new Map(servers.map((s, i) => [endpoint(s), i]));
  return (key) => index.get(ring.get(key) ?? '') ?? 0;
}
