import * as iconv from 'iconv-lite';
import { Cell } from './resultShapes';

/**
 * Rows in the MySQL text protocol's own format: each cell a length-coded string (0xFB for NULL). Results are kept as
 * the bytes the server sent and cut into cells only when they are shown or written, so fetching a large result costs
 * a copy per row rather than a string per cell. One extension: a cell the driver shortened (a long binary value) is
 * kept as its display text behind 0xFF, a first byte the server never sends for a cell.
 */

/** How one column's bytes read. */
export interface CellFormat {
  /** Shown as 0x hex, cut after the preview length. */
  readonly binary: boolean;
  /** iconv-lite / Buffer name of the text's character set (the connection's, unless a session changed it). */
  readonly encoding: string;
}

export const TEXT_FORMAT: CellFormat = { binary: false, encoding: 'utf8' };

const NULL_CELL = 0xfb;
const SHORTENED = 0xff;

/** Where a length-coded value's bytes start and end, from its first byte at `at` (-1 for NULL). */
export function span(bytes: Buffer, at: number): { start: number; end: number } {
  const first = bytes[at]!;
  if (first === NULL_CELL) return { start: at + 1, end: -1 };
  if (first < NULL_CELL) return { start: at + 1, end: at + 1 + first };
  if (first === 0xfc) return { start: at + 3, end: at + 3 + bytes.readUInt16LE(at + 1) };
  if (first === 0xfd) return { start: at + 4, end: at + 4 + bytes.readUIntLE(at + 1, 3) };
  if (first === 0xfe) return { start: at + 9, end: at + 9 + Number(bytes.readBigUInt64LE(at + 1)) };
  // The marker of a shortened cell: its display text follows, length-coded.
  return span(bytes, at + 1);
}

function text(bytes: Buffer, start: number, end: number, encoding: string): string {
  return Buffer.isEncoding(encoding) ? bytes.toString(encoding, start, end) : iconv.decode(bytes.subarray(start, end), encoding);
}

/** A binary value as the grid shows it: 0x hex, cut after `previewBytes` with the full size noted. */
export function hexOf(bytes: Buffer, start: number, end: number, previewBytes: number): string {
  const shown = bytes.toString('hex', start, Math.min(end, start + previewBytes));
  return end - start > previewBytes ? `0x${shown}… (${end - start} bytes)` : `0x${shown}`;
}

/** The cells of the row at bytes [start, end). */
export function decodeRow(bytes: Buffer, start: number, end: number, formats: readonly CellFormat[], previewBytes: number): Cell[] {
  const row: Cell[] = [];
  let at = start;
  for (let i = 0; i < formats.length && at < end; i++) {
    const cell = span(bytes, at);
    if (cell.end < 0) {
      row.push(null);
      at = cell.start;
      continue;
    }
    const format = formats[i]!;
    if (bytes[at] === SHORTENED) row.push(bytes.toString('utf8', cell.start, cell.end));
    else row.push(format.binary ? hexOf(bytes, cell.start, cell.end, previewBytes) : text(bytes, cell.start, cell.end, format.encoding));
    at = cell.end;
  }
  return row;
}

function lengthCoded(length: number): Buffer {
  if (length < NULL_CELL) return Buffer.from([length]);
  if (length < 0x10000) return Buffer.from([0xfc, length & 0xff, length >> 8]);
  if (length < 0x1000000) return Buffer.from([0xfd, length & 0xff, (length >> 8) & 0xff, length >> 16]);
  const out = Buffer.alloc(9);
  out[0] = 0xfe;
  out.writeBigUInt64LE(BigInt(length), 1);
  return out;
}

/** Text cells (from the ORM, or an edit) in the same format, read back with TEXT_FORMAT. */
export function encodeRow(cells: readonly Cell[]): Buffer {
  const parts: Buffer[] = [];
  for (const cell of cells) {
    if (cell === null) {
      parts.push(Buffer.from([NULL_CELL]));
    } else {
      const bytes = Buffer.from(cell, 'utf8');
      parts.push(lengthCoded(bytes.length), bytes);
    }
  }
  return Buffer.concat(parts);
}

/**
 * The row at bytes [start, end) with every binary cell longer than `previewBytes` replaced by its display text, so
 * the store never holds a large value whole; undefined when nothing needed cutting (the common case).
 */
export function shortenRow(bytes: Buffer, start: number, end: number, formats: readonly CellFormat[], previewBytes: number): Buffer | undefined {
  let parts: Buffer[] | undefined;
  let copied = start;
  let at = start;
  for (let i = 0; i < formats.length && at < end; i++) {
    const cell = span(bytes, at);
    if (cell.end < 0) {
      at = cell.start;
      continue;
    }
    if (formats[i]!.binary && cell.end - cell.start > previewBytes) {
      parts ??= [];
      const shown = Buffer.from(hexOf(bytes, cell.start, cell.end, previewBytes), 'utf8');
      parts.push(bytes.subarray(copied, at), Buffer.from([SHORTENED]), lengthCoded(shown.length), shown);
      copied = cell.end;
    }
    at = cell.end;
  }
  if (!parts) return undefined;
  parts.push(bytes.subarray(copied, end));
  return Buffer.concat(parts);
}
