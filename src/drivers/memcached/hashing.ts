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

/** Returns a function from key to the index of its server in `servers`. */
export function keyMapper(servers: readonly MemcachedServer[], mapping: KeyMapping): (key: string) => number {
  if (servers.length <= 1) return () => 0;
  switch (mapping) {
    case 'memjs':
      return (key) => memjsHash(key) % servers.length;
    case 'ketama': {
      const ring = new HashRing(Object.fromEntries(servers.map((s) => [endpoint(s), { weight: s.weight }])), 'md5', { 'default port': 11211 });
      const index = new Map(servers.map((s, i) => [endpoint(s), i]));
      return (key) => index.get(ring.get(key) ?? '') ?? 0;
    }
    case 'python': {
      // python-memcached: buckets hold each server `weight` times; serverhash = ((crc32(key) & 0xffffffff) >> 16) & 0x7fff.
      const buckets = servers.flatMap((s, i) => Array<number>(Math.max(1, s.weight)).fill(i));
      return (key) => buckets[((crc32(Buffer.from(key, 'utf8')) >>> 16) & 0x7fff) % buckets.length]!;
    }
  }
}
