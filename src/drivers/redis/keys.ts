import { Bytes, KeyRef, Member } from './shapes';
import { DriverError } from '../errors';

/** Valid UTF-8 comes back as itself; other bytes become \xNN escapes for display. */
export function displayBytes(data: Buffer): { text: string; exact: boolean } {
  const text = data.toString('utf8');
  // Decoding only substitutes U+FFFD for bytes that are not UTF-8; without one the text is exact (the common, fast case).
  if (!text.includes('\ufffd') || Buffer.from(text, 'utf8').equals(data)) return { text, exact: true };
  let out = '';
  for (const byte of data) out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return { text: out, exact: false };
}

export function keyRef(key: Buffer): KeyRef {
  const { text, exact } = displayBytes(key);
  return exact ? { text } : { text, base64: key.toString('base64') };
}

export function keyBytes(ref: KeyRef): Buffer {
  return ref.base64 !== undefined ? Buffer.from(ref.base64, 'base64') : Buffer.from(ref.text, 'utf8');
}

/** A member as the UI gets it: its text to show and its exact bytes to name it back by. */
export function member(data: Buffer): Member {
  return { ...displayBytes(data), base64: data.toString('base64') };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes the UI named a member by; refuses anything that is not canonical base64, rather than guess. */
export function bytesOf(ref: Bytes): Buffer {
  if (typeof ref.base64 !== 'string' || !BASE64.test(ref.base64)) throw new DriverError('config', 'A member was named by something other than its bytes in base64.', 'Reload the value and try again.');
  return Buffer.from(ref.base64, 'base64');
}

/** Does a SCAN pattern contain glob syntax? Without any, it names one key and SCAN is not needed. */
export function isGlob(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

/** A SCAN pattern matching exactly `text`: glob characters escaped with a backslash, as Redis' stringmatchlen reads them. */
export function globLiteral(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
