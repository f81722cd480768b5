import * as zlib from 'node:zlib';
import * as lz4 from 'lz4js';
import * as snappy from 'snappyjs';
import { DriverError, messageOf } from '../errors';
import { Compression, Recipe } from './shapes';

/* Compressed values taken apart with node:zlib, lz4js and snappyjs, never past a size cap (a zip bomb stops there). */

const mb = (n: number): string => `${Math.round(n / 2 ** 20)} MB`;

function tooBig(codec: Compression, max: number): DriverError {
  return new DriverError('config', `This ${codec} value decompresses to more than ${mb(max)}, the most Switchboard decodes.`, 'Read it with a tool of its own; the value is left as it is.');
}

/** Which compression the first bytes announce, if any (Snappy and Brotli announce none: they are only tried). */
export function sniffCompression(data: Buffer): Compression | undefined {
  if (data.length >= 3 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08) return 'gzip';
  if (data.length >= 2 && (data[0]! & 0x0f) === 8 && data[0]! >> 4 <= 7 && ((data[0]! << 8) | data[1]!) % 31 === 0) return 'zlib';
  if (data.length >= 4 && data.readUInt32LE(0) === 0x184d2204) return 'lz4';
  return undefined;
}

export function decompress(codec: Compression, data: Buffer, max: number): Buffer {
  try {
    switch (codec) {
      case 'gzip': return zlib.gunzipSync(data, { maxOutputLength: max });
      case 'zlib': return zlib.inflateSync(data, { maxOutputLength: max });
      case 'deflate-raw': return zlib.inflateRawSync(data, { maxOutputLength: max });
      case 'brotli': return zlib.brotliDecompressSync(data, { maxOutputLength: max });
      case 'lz4': {
        // A frame may declare any content size: it is checked before a buffer of that size is made.
        const bound = lz4.decompressBound(data);
        if (!Number.isSafeInteger(bound) || bound < 0) throw new Error('the frame declares no usable size');
        if (bound > max) throw tooBig(codec, max);
        const out = Buffer.from(lz4.decompress(data, bound));
        return out;
      }
      case 'snappy': return Buffer.from(snappy.uncompress(data, max));
    }
  } catch (error) {
    if (error instanceof DriverError) throw error;
    if (error instanceof RangeError || (error instanceof Error && 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE') || /too big|larger than/i.test(messageOf(error))) throw tooBig(codec, max);
    throw new DriverError('config', `This is not ${codec} data (${messageOf(error).replace(/\.$/, '')}).`, 'Pick another decoder, or show the value as it is.');
  }
}

/**
 * How a decompressed value is compressed again when an edit is saved. First the writer's own setting is looked for:
 * the level (and, for gzip, its header with name and time) that reproduces the stored bytes exactly. A writer whose
 * zlib build compresses differently (Python's system zlib, say, against Node's) gets the same format instead: the
 * same container, the same gzip header or zlib header bytes, the level its header announces. Every reader of that
 * format reads the result as the same text (encodeEdited checks it reads back); only the compressed bytes differ.
 */
export interface Recompress {
  readonly codec: Compression;
  /** The setting used, as facts (the UI words it). */
  readonly recipe: Recipe;
  /** Whether it reproduces the stored bytes exactly (else: the same format, other compressed bytes). */
  readonly exact: boolean;
  readonly apply: (data: Buffer) => Buffer;
}

const LEVELS = [6, 9, 1, 2, 3, 4, 5, 7, 8];

/** The length of a gzip header (RFC 1952): 10 bytes, then the optional extra field, name, comment and header CRC. */
function gzipHeaderLength(data: Buffer): number | undefined {
  const flags = data[3]!;
  let at = 10;
  if (flags & 4) at += 2 + data.readUInt16LE(at);
  for (const bit of [8, 16]) {
    if (flags & bit) {
      const end = data.indexOf(0, at);
      if (end < 0) return undefined;
      at = end + 1;
    }
  }
  if (flags & 2) at += 2;
  return at <= data.length ? at : undefined;
}

/** The writer's setting that reproduces `stored` from `plain`, else the same format (see Recompress). */
export function findRecompress(codec: Compression, stored: Buffer, plain: Buffer): Recompress | undefined {
  return exactRecompress(codec, stored, plain) ?? sameFormat(codec, stored);
}

function exactRecompress(codec: Compression, stored: Buffer, plain: Buffer): Recompress | undefined {
  const tryLevels = (make: (level: number) => (data: Buffer) => Buffer, recipe: (level: number) => Recipe): Recompress | undefined => {
    for (const level of LEVELS) {
      const apply = make(level);
      if (apply(plain).equals(stored)) return { codec, recipe: recipe(level), exact: true, apply };
    }
    return undefined;
  };
  switch (codec) {
    case 'gzip': {
      const headerLength = gzipHeaderLength(stored);
      if (headerLength === undefined || stored.length < headerLength + 8) return undefined;
      const header = stored.subarray(0, headerLength);
      // The body and trailer are the raw deflate stream and CRC-32 and size; the header (time, name, OS) is the writer's.
      return tryLevels((level) => (data) => Buffer.concat([header, zlib.deflateRawSync(data, { level }), trailer(data)]), (level) => ({ codec: 'gzip', level }));
    }
    case 'zlib': return tryLevels((level) => (data) => zlib.deflateSync(data, { level }), (level) => ({ codec: 'zlib', level }));
    case 'deflate-raw': return tryLevels((level) => (data) => zlib.deflateRawSync(data, { level }), (level) => ({ codec: 'deflate-raw', level }));
    case 'brotli': {
      for (const quality of [11, 9, 6, 5, 4, 1, 0]) {
        const apply = (data: Buffer): Buffer => zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality } });
        if (apply(plain).equals(stored)) return { codec, recipe: { codec: 'brotli', quality }, exact: true, apply };
      }
      return undefined;
    }
    case 'lz4': {
      const apply = (data: Buffer): Buffer => Buffer.from(lz4.compress(data));
      return apply(plain).equals(stored) ? { codec, recipe: { codec: 'lz4' }, exact: true, apply } : undefined;
    }
    case 'snappy': {
      const apply = (data: Buffer): Buffer => Buffer.from(snappy.compress(data));
      return apply(plain).equals(stored) ? { codec, recipe: { codec: 'snappy' }, exact: true, apply } : undefined;
    }
  }
}

/** The level a zlib header's FLEVEL announces (0 fastest, 1 fast, 2 default, 3 maximum). */
const ZLIB_LEVELS = [1, 5, 6, 9] as const;

/**
 * The stored value's format with Node's compressor: gzip keeps the stored header (name, time, OS) and compresses at
 * the level its XFL byte announces; zlib keeps the header's window and level, and is refused when Node's header would
 * differ (a preset dictionary, say); the others have no header to keep.
 */
function sameFormat(codec: Compression, stored: Buffer): Recompress | undefined {
  const made = (recipe: Recipe, apply: (data: Buffer) => Buffer): Recompress => ({ codec, recipe, exact: false, apply });
  switch (codec) {
    case 'gzip': {
      const headerLength = gzipHeaderLength(stored);
      if (headerLength === undefined || stored.length < headerLength + 8) return undefined;
      const header = stored.subarray(0, headerLength);
      const level = stored[8] === 2 ? 9 : stored[8] === 4 ? 1 : 6;
      return made({ codec: 'gzip', level }, (data) => Buffer.concat([header, zlib.deflateRawSync(data, { level }), trailer(data)]));
    }
    case 'zlib': {
      const windowBits = (stored[0]! >> 4) + 8;
      const level = ZLIB_LEVELS[stored[1]! >> 6]!;
      if (windowBits < 9 || windowBits > 15) return undefined;
      const apply = (data: Buffer): Buffer => zlib.deflateSync(data, { level, windowBits });
      return apply(Buffer.alloc(0)).subarray(0, 2).equals(stored.subarray(0, 2)) ? made({ codec: 'zlib', level, windowBytes: 2 ** windowBits }, apply) : undefined;
    }
    case 'deflate-raw': return made({ codec: 'deflate-raw', level: 6 }, (data) => zlib.deflateRawSync(data, { level: 6 }));
    case 'brotli': return made({ codec: 'brotli', quality: 11 }, (data) => zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    case 'lz4': return made({ codec: 'lz4' }, (data) => Buffer.from(lz4.compress(data)));
    case 'snappy': return made({ codec: 'snappy' }, (data) => Buffer.from(snappy.compress(data)));
  }
}

function trailer(data: Buffer): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt32LE(zlib.crc32(data) >>> 0, 0);
  out.writeUInt32LE(data.length >>> 0, 4);
  return out;
}
