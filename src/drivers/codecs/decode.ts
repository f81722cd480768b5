import { DriverError } from '../errors';
import { displayBytes } from '../redis/keys';
import { notJsonObject } from '../format';
import { decompress, findRecompress, Recompress, sniffCompression } from './compression';
import { isJavaSerialized, parseJava } from './java';
import { looksLikeMsgpack, parseMsgpack } from './msgpack';
import { looksLikePhp, parsePhp } from './php';
import { isPickle, parsePickle, pickleProtocol } from './pickle';
import { Codec, CodecChoice, COMPRESSIONS, Compression, Decoded, DecodedView, Format, StructNode } from './shapes';

/** The most bytes a value may decompress to before Switchboard stops decoding it. */
export const MAX_DECODED_BYTES = 64 * 2 ** 20;
export { MAX_STORED_BYTES } from './shapes';
/** Compression inside compression is taken apart this many times at most. */
const MAX_LAYERS = 4;

const isCompression = (codec: CodecChoice): codec is Compression => (COMPRESSIONS as readonly string[]).includes(codec);

const PARSERS: Readonly<Record<Format, (data: Buffer) => StructNode>> = { msgpack: parseMsgpack, php: parsePhp, java: parseJava, pickle: parsePickle };

/** Is it text a person can read (valid UTF-8, no control bytes but whitespace)? */
function readable(data: Buffer): boolean {
  const shown = displayBytes(data);
  return shown.exact && !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(shown.text);
}

/** A format the bytes announce and parse as, if any. */
function sniffFormat(data: Buffer): { format: Format; root: StructNode } | undefined {
  const candidates: [Format, boolean][] = [['pickle', isPickle(data)], ['java', isJavaSerialized(data)], ['php', looksLikePhp(data)], ['msgpack', looksLikeMsgpack(data)]];
  for (const [format, likely] of candidates) {
    if (!likely) continue;
    try {
      return { format, root: PARSERS[format](data) };
    } catch {
      // Announced but not parsable as that format: the next candidate, or the bytes themselves.
    }
  }
  return undefined;
}

/** Snappy and Brotli have no magic number: tried on bytes that are not text, kept only when what comes out makes sense. */
function trial(data: Buffer, max: number): { codec: Compression; plain: Buffer } | undefined {
  if (readable(data)) return undefined;
  for (const codec of ['snappy', 'brotli'] as const) {
    try {
      const plain = decompress(codec, data, max);
      if (plain.length > 0 && (readable(plain) || sniffCompression(plain) || sniffFormat(plain))) return { codec, plain };
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

interface Peeled {
  readonly layers: { readonly codec: Compression; readonly stored: Buffer; readonly plain: Buffer }[];
  readonly inner: Buffer;
}

/** Takes compression layers off: the chosen one first (which must work), then whatever the bytes announce. */
function peel(data: Buffer, choice: CodecChoice, max: number): Peeled {
  const layers: Peeled['layers'] = [];
  let current = data;
  if (choice === 'none') return { layers, inner: current };
  if (isCompression(choice)) {
    const plain = decompress(choice, current, max);
    layers.push({ codec: choice, stored: current, plain });
    current = plain;
  }
  if (choice !== 'auto' && !isCompression(choice)) return { layers, inner: current };
  while (layers.length < MAX_LAYERS) {
    const announced = sniffCompression(current);
    let next: { codec: Compression; plain: Buffer } | undefined;
    if (announced) {
      try {
        next = { codec: announced, plain: decompress(announced, current, max) };
      } catch (error) {
        // A zip bomb is reported; bytes that only looked like a header are shown as they are.
        if (error instanceof DriverError && /decompresses to more/.test(error.message)) throw error;
      }
    } else next = trial(current, max);
    if (!next) break;
    layers.push({ codec: next.codec, stored: current, plain: next.plain });
    current = next.plain;
  }
  return { layers, inner: current };
}

/** The recompression of every layer, innermost last; undefined when any layer cannot be reproduced exactly. */
function recipes(peeled: Peeled): Recompress[] | undefined {
  const found: Recompress[] = [];
  for (const layer of peeled.layers) {
    const recipe = findRecompress(layer.codec, layer.stored, layer.plain);
    if (!recipe) return undefined;
    found.push(recipe);
  }
  return found;
}

/** A structure, with the version its bytes declare where the format has one (a pickle's protocol). */
function structure(format: Format, root: StructNode, inner: Buffer): DecodedView {
  const version = format === 'pickle' ? pickleProtocol(inner) : undefined;
  return version === undefined ? { kind: 'structure', format, root } : { kind: 'structure', format, root, version };
}

function viewOf(inner: Buffer, choice: CodecChoice): DecodedView {
  if (choice !== 'auto' && !isCompression(choice) && choice !== 'none') return structure(choice, PARSERS[choice](inner), inner);
  const format = choice === 'none' ? undefined : sniffFormat(inner);
  if (format) return structure(format.format, format.root, inner);
  const shown = displayBytes(inner);
  if (shown.exact) return { kind: 'text', text: shown.text, json: notJsonObject(shown.text) === undefined };
  return { kind: 'bytes', text: shown.text };
}

/**
 * A stored value decoded: compression layers taken off (detected, or starting with the one chosen) and then a
 * serialization format read as a structure, or the text. Editing is offered for text (not a structure), through
 * layers compressed again in the writer's format (byte for byte where Node's compressor reproduces it: Recompress).
 */
export function decodeValue(data: Buffer, choice: CodecChoice, max = MAX_DECODED_BYTES): Decoded {
  const peeled = peel(data, choice, max);
  const view = viewOf(peeled.inner, choice);
  const layers: Codec[] = peeled.layers.map((l) => l.codec);
  if (view.kind === 'structure') layers.push(view.format);
  const base = { layers, view, size: peeled.inner.length };
  if (view.kind === 'structure') return { ...base, editable: false, note: { kind: 'structure', format: view.format } };
  if (view.kind === 'bytes') return { ...base, editable: false, note: { kind: 'bytes' } };
  if (peeled.layers.length === 0) return { ...base, editable: true, note: { kind: 'plain' } };
  const compressions = peeled.layers.map((l) => l.codec);
  const found = recipes(peeled);
  if (!found) return { ...base, editable: false, note: { kind: 'unreproducible', layers: compressions } };
  return { ...base, editable: true, note: { kind: 'recompressed', exact: found.every((r) => r.exact), recipes: found.map((r) => r.recipe), layers: compressions } };
}

/**
 * The bytes to store for an edited text: `stored` must still decode to `expected` (else someone changed it and
 * nothing is written); the text is compressed through the same layers in the same format (the writer's settings
 * where found), and what comes out is decoded again to check it gives the text back.
 */
export function encodeEdited(stored: Buffer, choice: CodecChoice, expected: string, text: string, max = MAX_DECODED_BYTES): Buffer | 'conflict' {
  const peeled = peel(stored, choice, max);
  const view = viewOf(peeled.inner, choice);
  if (view.kind !== 'text' || view.text !== expected) return 'conflict';
  const found = recipes(peeled);
  if (!found) throw new DriverError('config', 'This value cannot be written back in the format its writer stored it in, so it is read-only.');
  let bytes: Buffer = Buffer.from(text, 'utf8');
  for (const recipe of [...found].reverse()) bytes = recipe.apply(bytes);
  const check = decodeValue(bytes, choice, max);
  if (check.view.kind !== 'text' || check.view.text !== text || check.layers.join() !== peeled.layers.map((l) => l.codec).join()) {
    throw new DriverError('config', 'The edited text does not read back the same through its compression, so it was not saved.');
  }
  return bytes;
}
