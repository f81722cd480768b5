import { DriverError } from '../errors';

/**
 * Every word of a text-protocol command line that does not come from Switchboard itself passes one of these: a key
 * with a CR LF in it, or a mode, number or cas token that is not what its type says (a webview can send anything),
 * would otherwise start another command on the server.
 */

const STORE_MODES = ['set', 'add', 'replace', 'append', 'prepend'] as const;
export type StoreMode = (typeof STORE_MODES)[number];
const MAX_UINT32 = 2 ** 32 - 1;
const MAX_UINT64 = 2n ** 64n - 1n;
/** Seconds from now; beyond 30 days memcached reads the number as a Unix time, which still fits 32 bits. */
const MAX_TTL = 2 ** 31 - 1;

/**
 * Memcached keys: 1 to 250 bytes of UTF-8, none of them a control character or a space (bytes 0x00–0x20 and 0x7f),
 * which is what the text protocol and python-memcached accept. Bytes from 0x80 up (any non-ASCII character) are fine.
 */
export function checkKey(key: unknown): string {
  if (typeof key !== 'string') throw new DriverError('config', `A memcached key must be text, not ${typeof key}.`);
  if (/\p{Cs}/u.test(key)) throw new DriverError('config', 'The key holds a lone UTF-16 surrogate, which has no UTF-8 form.', 'Remove it from the key.');
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length === 0 || bytes.length > 250) throw new DriverError('config', `Memcached keys are 1 to 250 bytes; this one is ${bytes.length}.`, 'Shorten the key.');
  const bad = bytes.findIndex((b) => b <= 0x20 || b === 0x7f);
  if (bad >= 0) throw new DriverError('config', `The key ${JSON.stringify(key)} contains a space or a control character (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')}), which memcached does not allow.`, 'Remove them from the key.');
  return key;
}

/** A key as it goes on the wire: checked, then its UTF-8 bytes written one byte per latin1 character. */
export function keyToken(key: unknown): string {
  return Buffer.from(checkKey(key), 'utf8').toString('latin1');
}

export function storeVerb(mode: unknown): StoreMode {
  const found = STORE_MODES.find((m) => m === mode);
  if (!found) throw new DriverError('config', `${JSON.stringify(mode)} is not a memcached store command; those are ${STORE_MODES.join(', ')}.`);
  return found;
}

export function counterVerb(op: unknown): 'incr' | 'decr' {
  if (op !== 'incr' && op !== 'decr') throw new DriverError('config', `${JSON.stringify(op)} is not incr or decr.`);
  return op;
}

export function flagsToken(flags: unknown): string {
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > MAX_UINT32) throw new DriverError('config', `Flags must be a whole number from 0 to ${MAX_UINT32}, not ${JSON.stringify(flags)}.`);
  return String(flags);
}

export function ttlToken(ttl: unknown): string {
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL) throw new DriverError('config', `A TTL must be a whole number of seconds from 0 (never expires) to ${MAX_TTL}, not ${JSON.stringify(ttl)}.`);
  return String(ttl);
}

export function casToken(cas: unknown): string {
  if (typeof cas !== 'string' || !/^\d{1,20}$/.test(cas) || BigInt(cas) > MAX_UINT64) throw new DriverError('config', `${JSON.stringify(cas)} is not a cas token (a number the server handed out with the value).`, 'Read the value again.');
  return cas;
}

export function deltaToken(delta: unknown): string {
  if (typeof delta !== 'bigint' || delta < 0n || delta > MAX_UINT64) throw new DriverError('config', `An incr or decr amount must be a whole number from 0 to ${MAX_UINT64}, not ${typeof delta === 'bigint' ? delta.toString() : JSON.stringify(delta)}.`);
  return delta.toString();
}

export const STAT_GROUPS = ['stats', 'slabs', 'items', 'settings', 'conns'] as const;
export type StatGroup = (typeof STAT_GROUPS)[number];

export function statsGroup(group: unknown): StatGroup {
  const found = STAT_GROUPS.find((g) => g === group);
  if (!found) throw new DriverError('config', `${JSON.stringify(group)} is not a stats group Switchboard reads; those are ${STAT_GROUPS.join(', ')}.`);
  return found;
}
