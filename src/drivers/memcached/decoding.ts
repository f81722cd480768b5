import { decodeValue as decodeCodecs, encodeEdited, MAX_STORED_BYTES } from '../codecs/decode';
import type { CodecChoice, Decoded } from '../codecs/shapes';
import { DriverError } from '../errors';
import { decodeValue } from './values';

/*
 * The shared codecs (src/drivers/codecs) on a Memcached item. Python's flags come first: a value they read (text,
 * JSON, an integer, a pickle, python-memcached's zlib) is read by them, as ever. What they leave as bytes (flags 0
 * from a PHP, Java or Node client, say) is handed to the codecs, as is any value the user picks a codec for.
 */

function checkSize(key: string, data: Buffer): void {
  if (data.length > MAX_STORED_BYTES) throw new DriverError('config', `${key} is ${data.length} bytes, above the ${MAX_STORED_BYTES / 2 ** 20} MB Switchboard decodes.`);
}

/** The item decoded as chosen; undefined for 'auto' (and 'none') when its flags read it. */
export function decodeItem(key: string, data: Buffer, flags: number, choice: CodecChoice): Decoded | undefined {
  if (choice === 'none') return undefined;
  // The flag reading's own cut (maxShownBytes) does not matter here: only whether it found bytes it cannot read.
  if (choice === 'auto' && decodeValue(data, flags, Infinity).format !== 'binary') return undefined;
  checkSize(key, data);
  return decodeCodecs(data, choice);
}

/**
 * The bytes to store for an edited decoded text, or 'conflict' when the item no longer decodes to `expected`.
 * Refused when the codecs do not read the item as chosen (its flags do), or cannot write it back.
 */
export function encodeItem(key: string, data: Buffer, flags: number, choice: CodecChoice, expected: string, text: string): Buffer | 'conflict' {
  const shown = decodeItem(key, data, flags, choice);
  if (!shown) throw new DriverError('config', `${key} is read by its flags (${flags}), not by a decoder: save it in the value editor.`);
  if (!shown.editable) throw new DriverError('config', 'This value cannot be written back in the format its writer stored it in, so it is read-only.');
  return encodeEdited(data, choice, expected, text);
}
