import { KeyRef } from './shapes';

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

/** Does a SCAN pattern contain glob syntax? Without any, it names one key and SCAN is not needed. */
export function isGlob(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}
