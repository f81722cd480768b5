/**
 * The last part of a key (below its folder) packed by what it looks like: most key names end in a number, a hex
 * digest or a UUID, which take a half or less as a number or as bytes than as text. Anything else is kept as it
 * is. Every form decodes to exactly the bytes it came from: a number only when written the canonical way (no leading
 * zero, no sign), hex only in lower case.
 */

/** The forms, in bits 4–6 of an entry's first byte (see PackedKeys); the low four bits hold a short length. */
export const LeafForm = {
  /** Up to 15 bytes as they are; the length is in the low bits. */
  Short: 0,
  /** Bytes as they are, their length as a varint first. */
  Long: 1,
  /** A decimal number of 1–15 digits written canonically, as a varint. */
  Decimal: 2,
  /** Lower-case hex of an even length from 8, as its bytes, their count as a varint first. */
  Hex: 3,
  /** A lower-case UUID (8-4-4-4-12 hex digits), as its 16 bytes. */
  Uuid: 4,
} as const;
export type LeafForm = (typeof LeafForm)[keyof typeof LeafForm];

const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;
const isLowerHex = (b: number): boolean => isDigit(b) || (b >= 0x61 && b <= 0x66);
const UUID_DASHES = [8, 13, 18, 23];

/** The form `bytes[start, end)` packs best as. */
export function leafForm(bytes: Buffer, start: number, end: number): LeafForm {
  const length = end - start;
  if (length >= 1 && length <= 15 && (bytes[start] !== 0x30 || length === 1)) {
    let digits = true;
    for (let i = start; i < end && digits; i++) digits = isDigit(bytes[i]!);
    if (digits) return LeafForm.Decimal;
  }
  if (length === 36) {
    let uuid = true;
    for (let i = 0; i < 36 && uuid; i++) uuid = UUID_DASHES.includes(i) ? bytes[start + i] === 0x2d : isLowerHex(bytes[start + i]!);
    if (uuid) return LeafForm.Uuid;
  }
  if (length >= 8 && length % 2 === 0) {
    let hex = true;
    for (let i = start; i < end && hex; i++) hex = isLowerHex(bytes[i]!);
    if (hex) return LeafForm.Hex;
  }
  return length <= 15 ? LeafForm.Short : LeafForm.Long;
}

/** The most bytes `writeLeaf` writes for a leaf of `length` bytes (besides the entry's first byte). */
export const maxLeafBytes = (length: number): number => length + 10;

/**
 * Writes the leaf in `form` at `out[pos]` and returns where it ends. The first byte of the entry (form and short
 * length) is the caller's; this writes what follows it.
 */
export function writeLeaf(form: LeafForm, bytes: Buffer, start: number, end: number, out: Buffer, pos: number): number {
  switch (form) {
    case LeafForm.Short:
      return pos + bytes.copy(out, pos, start, end);
    case LeafForm.Long:
      pos = writeVarint(out, pos, end - start);
      return pos + bytes.copy(out, pos, start, end);
    case LeafForm.Decimal: {
      let value = 0;
      for (let i = start; i < end; i++) value = value * 10 + (bytes[i]! - 0x30);
      return writeVarint(out, pos, value);
    }
    case LeafForm.Hex:
      pos = writeVarint(out, pos, (end - start) / 2);
      for (let i = start; i < end; i += 2) out[pos++] = (hexValue(bytes[i]!) << 4) | hexValue(bytes[i + 1]!);
      return pos;
    case LeafForm.Uuid:
      for (let i = 0; i < 36; i++) {
        if (UUID_DASHES.includes(i)) continue;
        out[pos++] = (hexValue(bytes[start + i]!) << 4) | hexValue(bytes[start + i + 1]!);
        i++;
      }
      return pos;
  }
}

/** Reads a leaf written by `writeLeaf` into `into` at `at`; returns [bytes written into `into`, where the entry ends]. */
export function readLeaf(form: number, short: number, data: Buffer, pos: number, into: Buffer, at: number): [written: number, next: number] {
  switch (form) {
    case LeafForm.Short:
      data.copy(into, at, pos, pos + short);
      return [short, pos + short];
    case LeafForm.Long: {
      const [length, from] = readVarint(data, pos);
      data.copy(into, at, from, from + length);
      return [length, from + length];
    }
    case LeafForm.Decimal: {
      const [value, next] = readVarint(data, pos);
      return [into.write(String(value), at, 'latin1'), next];
    }
    case LeafForm.Hex: {
      const [count, from] = readVarint(data, pos);
      return [into.write(data.toString('hex', from, from + count), at, 'latin1'), from + count];
    }
    case LeafForm.Uuid: {
      const hex = data.toString('hex', pos, pos + 16);
      const text = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      return [into.write(text, at, 'latin1'), pos + 16];
    }
    default:
      throw new Error(`a packed key has an unknown form ${form}`);
  }
}

/** How long the decoded leaf is, and where the entry ends, without decoding it. */
export function leafLength(form: number, short: number, data: Buffer, pos: number): [length: number, next: number] {
  switch (form) {
    case LeafForm.Short:
      return [short, pos + short];
    case LeafForm.Long: {
      const [length, from] = readVarint(data, pos);
      return [length, from + length];
    }
    case LeafForm.Decimal: {
      const [value, next] = readVarint(data, pos);
      return [String(value).length, next];
    }
    case LeafForm.Hex: {
      const [count, from] = readVarint(data, pos);
      return [count * 2, from + count];
    }
    case LeafForm.Uuid:
      return [36, pos + 16];
    default:
      throw new Error(`a packed key has an unknown form ${form}`);
  }
}

function hexValue(b: number): number {
  return b <= 0x39 ? b - 0x30 : b - 0x61 + 10;
}

/** Unsigned LEB128, by arithmetic so that values past 2^31 stay exact. */
export function writeVarint(out: Buffer, pos: number, value: number): number {
  let rest = value;
  while (rest >= 128) {
    out[pos++] = (rest % 128) + 128;
    rest = Math.floor(rest / 128);
  }
  out[pos++] = rest;
  return pos;
}

export function readVarint(data: Buffer, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = data[pos++]!;
    value += (b & 127) * scale;
    if (b < 128) return [value, pos];
    scale *= 128;
  }
}
