import { isUtf8 } from 'node:buffer';
import type { FieldPacket } from 'mysql2';

/**
 * SQL literals for a dump, from the bytes the server sent for each cell (text protocol), written so that they read
 * the same whatever the restoring session's sql_mode: no backslash escapes anywhere. Numbers go as the server wrote
 * them, BIT as b'…', binary strings as 0x hex, text as '…' with quotes doubled, or, when it holds a backslash,
 * a control character or bytes that are not UTF-8, as _utf8mb4 0x… (the column's own character set converts it).
 */

export type LiteralOf = (bytes: Buffer, start: number, end: number) => string;

// Column type codes (mysql2 / the protocol).
const NUMBER_TYPES = new Set([0, 1, 2, 3, 4, 5, 8, 9, 13, 246]);
const DATE_TYPES = new Set([7, 10, 11, 12, 14]);
const NULL_TYPE = 6;
const BIT_TYPE = 16;
const JSON_TYPE = 245;
const GEOMETRY_TYPE = 255;
const BINARY_CHARSET = 63;
const NUMBER_TEXT = /^[-+]?[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?$/;
/** Bytes that never go inside a quoted literal: controls other than tab and newline, backslash, DEL. */
const UNSAFE_TEXT = /[\x00-\x08\x0b-\x1f\x5c\x7f]/;

const hex = (bytes: Buffer, start: number, end: number): string => (end > start ? `0x${bytes.toString('hex', start, end)}` : "''");

function text(bytes: Buffer, start: number, end: number): string {
  const slice = bytes.subarray(start, end);
  const value = isUtf8(slice) ? slice.toString('utf8') : undefined;
  if (value === undefined || UNSAFE_TEXT.test(value)) return end > start ? `_utf8mb4 0x${slice.toString('hex')}` : "''";
  return `'${value.replace(/'/g, "''")}'`;
}

function bits(bytes: Buffer, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += bytes[i]!.toString(2).padStart(8, '0');
  return `b'${out.replace(/^0+(?=.)/, '')}'`;
}

function number(bytes: Buffer, start: number, end: number): string {
  const value = bytes.toString('latin1', start, end);
  return value !== '' && NUMBER_TEXT.test(value) ? value : text(bytes, start, end);
}

/** How a result column's cells are written as literals. */
export function literalOf(field: FieldPacket): LiteralOf {
  const code = field.columnType ?? field.type ?? 253;
  if (code === NULL_TYPE) return () => 'NULL';
  if (NUMBER_TYPES.has(code)) return number;
  if (code === BIT_TYPE) return bits;
  if (DATE_TYPES.has(code) || code === JSON_TYPE) return text;
  if (code === GEOMETRY_TYPE || field.characterSet === BINARY_CHARSET) return hex;
  return text;
}
