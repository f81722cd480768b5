import { inflateSync } from 'node:zlib';
import { parsePickle } from '../codecs/pickle';
import { outline } from '../codecs/structure';
import { messageOf } from '../errors';
import type { ReadNote } from './readNote';

/** Flag bits of the Python clients (python-memcached, pymemcache), the convention most pools share. */
export const FLAG_PICKLE = 1;
export const FLAG_INTEGER = 2;
export const FLAG_LONG = 4;
export const FLAG_COMPRESSED = 8;
export const FLAG_TEXT = 16;

export type ValueFormat = 'text' | 'json' | 'integer' | 'pickle' | 'binary';

export interface DecodedValue {
  readonly format: ValueFormat;
  /** What to show: the stored text exactly (JSON and integers included), or hex for bytes. */
  readonly display: string;
  /** How it was read, e.g. inflated (flag 8), then a pickle that did not read as one. */
  readonly notes: readonly ReadNote[];
  /** Whether the displayed text can be edited and written back as it is. */
  readonly editable: boolean;
}

export function hexDump(data: Buffer, limit = 4096): string {
  const rows: string[] = [];
  const shown = data.subarray(0, limit);
  for (let offset = 0; offset < shown.length; offset += 16) {
    const slice = shown.subarray(offset, offset + 16);
    const hex = [...slice].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...slice].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (data.length > limit) rows.push(`… ${data.length - limit} more bytes`);
  return rows.join('\n');
}

/** Is this valid UTF-8 text without control characters other than whitespace? */
export function isText(data: Buffer): boolean {
  const text = data.toString('utf8');
  return !text.includes('\ufffd') && !/[\u0000-\u0008\u000e-\u001f]/.test(text);
}

/** A compressed value is never inflated beyond this, whatever it claims (a small value can inflate to gigabytes). */
const INFLATE_LIMIT = 64 * 1024 * 1024;

/**
 * Reads a value by the flag convention; pickles are shown as bytes and never executed. Text longer than
 * `maxShownBytes` is shown cut to it, and is then not editable.
 */
export function decodeValue(data: Buffer, flags: number, maxShownBytes: number): DecodedValue {
  const notes: ReadNote[] = [];
  let bytes = data;
  if (flags & FLAG_COMPRESSED) {
    try {
      bytes = inflateSync(data, { maxOutputLength: INFLATE_LIMIT });
      notes.push({ kind: 'inflated' });
    } catch (error) {
      const tooLarge = error instanceof RangeError || (error instanceof Error && 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE');
      notes.push(tooLarge ? { kind: 'inflateTooLarge', limitMiB: INFLATE_LIMIT / 1024 / 1024 } : { kind: 'inflateFailed' });
      return { format: 'binary', display: hexDump(data), notes, editable: false };
    }
  }
  const compressed = (flags & FLAG_COMPRESSED) !== 0;
  if (flags & FLAG_PICKLE) {
    // Read as a structure by the codecs' pickle reader, which never runs what a pickle calls (os.system included).
    try {
      const root = parsePickle(bytes);
      notes.push({ kind: 'pickle' });
      return { format: 'pickle', display: outline(root), notes, editable: false };
    } catch (error) {
      notes.push({ kind: 'pickleUnreadable', reason: messageOf(error) });
      return { format: 'pickle', display: hexDump(bytes), notes, editable: false };
    }
  }
  if (flags & (FLAG_INTEGER | FLAG_LONG)) {
    notes.push({ kind: 'integer', flag: flags & (FLAG_INTEGER | FLAG_LONG) });
    return editableText('integer', bytes, notes, compressed);
  }
  if (!isText(bytes)) {
    notes.push({ kind: 'notText', size: bytes.length });
    return { format: 'binary', display: hexDump(bytes), notes, editable: false };
  }
  if (bytes.length > maxShownBytes) {
    notes.push({ kind: 'cut', shown: maxShownBytes, size: bytes.length });
    return { format: 'text', display: new TextDecoder().decode(bytes.subarray(0, maxShownBytes), { stream: true }), notes, editable: false };
  }
  const text = bytes.toString('utf8');
  // Parsed only to name the format: the editor shows the stored text, never a re-stringified copy.
  if (isJsonContainer(text)) {
    notes.push({ kind: 'json' });
    return editableText('json', bytes, notes, compressed);
  }
  notes.push({ kind: 'text', flagged: (flags & FLAG_TEXT) !== 0 });
  return editableText('text', bytes, notes, compressed);
}

function isJsonContainer(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}

/**
 * The stored text as the editor shows it. It is editable only when saving the shown text unchanged writes back the
 * very bytes that are stored: not for compressed values (the text is the inflated one). Line breaks are the
 * browser's to keep (src/drivers/lineBreaks.ts: CRLFs put back, mixed ones shown read-only).
 */
function editableText(format: 'text' | 'json' | 'integer', bytes: Buffer, notes: readonly ReadNote[], compressed: boolean): DecodedValue {
  const display = bytes.toString('utf8');
  const exact = Buffer.from(display, 'utf8').equals(bytes);
  return { format, display, notes, editable: exact && !compressed };
}
