import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeValue } from '../../src/drivers/codecs/decode';
import { isDriverError } from '../../src/drivers/errors';
import { constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { decodedLabel } from '../../webview/shared/decodedLabel';
import { noteText, recipeText } from '../../webview/shared/decodedNote';

/* Hostile values for the decoders: nothing a server holds may exhaust the host or pass for what it is not. */

const refused = (pattern: RegExp) => (error: unknown): boolean => isDriverError(error) && pattern.test(error.message);

test('a pickle nested past the depth limit, or one that contains itself, is refused or named, never followed', () => {
  // protocol 2: 300 nested lists, EMPTY_LIST then APPEND, each one into the one below.
  const deep = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.alloc(300, 0x5d), Buffer.alloc(299, 0x61), Buffer.from([0x2e])]);
  assert.throws(() => decodeValue(deep, 'pickle'), refused(/nests deeper than 200 levels/));
  // l = []; l.append(l): EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP.
  const cycle = Buffer.from([0x80, 0x02, 0x5d, 0x71, 0x00, 0x68, 0x00, 0x61, 0x2e]);
  const shown = decodeValue(cycle, 'auto');
  assert.ok(shown.view.kind === 'structure' && shown.view.format === 'pickle');
  assert.equal(shown.view.root.entries?.[0]?.node.value, '(recursive reference to an enclosing value)');
  // A memo reference to nothing, and a length past the end.
  assert.throws(() => decodeValue(Buffer.from([0x80, 0x02, 0x68, 0x07, 0x2e]), 'pickle'), refused(/memo 7, which it never stored/));
  assert.throws(() => decodeValue(Buffer.from([0x80, 0x04, 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x2e]), 'pickle'), refused(/claims \d+ bytes/));
});

test('MessagePack and PHP headers that claim more than the value holds are refused without allocating for the claim', () => {
  // array32 of 2^32-1 elements, then nothing.
  assert.throws(() => decodeValue(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]), 'msgpack'), refused(/not MessagePack/));
  assert.throws(() => decodeValue(Buffer.from('s:4294967295:"x";'), 'php'), refused(/count of 4294967295|is not a length/));
  // PHP arrays nested past the depth limit.
  const nested = `${'a:1:{i:0;'.repeat(300)}N;${'}'.repeat(300)}`;
  assert.throws(() => decodeValue(Buffer.from(nested), 'php'), refused(/nests deeper than 200 levels/));
});

test('plain text stays text; text that is exactly a PHP serialize() of a scalar reads as one, and "none" shows it as stored', () => {
  for (const text of ['x', '{"json": true}', 'hello.', 'Nice day.', 'ab:1:2']) {
    const shown = decodeValue(Buffer.from(text), 'auto');
    assert.ok(shown.view.kind === 'text' && shown.view.text === text && shown.layers.length === 0 && shown.editable, `${text}: ${JSON.stringify(shown.view)}`);
  }
  const json = decodeValue(Buffer.from('{"json": true}'), 'auto');
  assert.ok(json.view.kind === 'text' && json.view.json);
  const php = decodeValue(Buffer.from('i:42;'), 'auto');
  assert.ok(php.view.kind === 'structure' && php.view.format === 'php' && php.view.root.value === '42' && !php.editable);
  const asStored = decodeValue(Buffer.from('i:42;'), 'none');
  assert.ok(asStored.view.kind === 'text' && asStored.view.text === 'i:42;' && asStored.editable);
});

test('the key browser names what a value was found to be: compression layers, then JSON, text or the format with its protocol', () => {
  const json = gzipSync(Buffer.from('{"user":"ada"}'));
  assert.equal(decodedLabel(decodeValue(json, 'auto')), 'gzip → JSON');
  assert.equal(decodedLabel(decodeValue(deflateSync(Buffer.from('plain words')), 'auto')), 'zlib → text');
  // pickle.dumps(['a'], protocol=4): PROTO 4, FRAME, EMPTY_LIST, MEMOIZE, SHORT_BINUNICODE 'a', MEMOIZE, APPEND, STOP.
  const pickle4 = Buffer.from('80049508000000000000005d948c016194612e', 'hex');
  assert.equal(decodedLabel(decodeValue(pickle4, 'auto')), 'pickle (protocol 4)');
  assert.equal(decodedLabel(decodeValue(gzipSync(pickle4), 'auto')), 'gzip → pickle (protocol 4)');
  // Protocol 0 declares no protocol: only the format is named.
  assert.equal(decodedLabel(decodeValue(Buffer.from('(lp0\nVa\np1\na.'), 'auto')), 'pickle');
  assert.equal(decodedLabel(decodeValue(Buffer.from([0x1f, 0x8b, 0x08, 0xff]), 'none')), 'bytes');
});

test('the decoder says why a value is read-only or how an edit is stored, worded from the driver\'s facts', () => {
  const note = (data: Buffer, choice: 'auto' | 'none' = 'auto'): string => noteText(decodeValue(data, choice).note);
  assert.equal(note(Buffer.from('x')), 'Plain text.');
  assert.equal(note(Buffer.from([0x1f, 0x8b, 0x08, 0xff]), 'none'), 'Not text: shown with \\x escapes, read-only.');
  assert.equal(note(Buffer.from('80049508000000000000005d948c016194612e', 'hex')), 'Shown read-only: a pickle structure is read, never re-serialized, so it could not be written back as its writer would.');
  const text = Buffer.from('hello hello hello hello '.repeat(8));
  const gzip = decodeValue(gzipSync(text), 'auto');
  assert.deepEqual(gzip.note, { kind: 'recompressed', exact: true, recipes: [{ codec: 'gzip', level: 6 }], layers: ['gzip'] });
  assert.equal(noteText(gzip.note), 'Saving compresses again with gzip with the stored header, level 6, checked to reproduce the stored bytes exactly.');
  assert.equal(note(gzipSync(deflateSync(text, { level: 9 }))), 'Saving compresses again with gzip with the stored header, level 6, then zlib level 9, checked to reproduce the stored bytes exactly.');
  // Another compressor's choices (Huffman only, whose header announces the fastest level): the same format, other bytes.
  assert.equal(note(deflateSync(text, { strategy: constants.Z_HUFFMAN_ONLY })), 'Saving compresses again with zlib level 1, window 32768 bytes: the same format, though not the same compressed bytes (its writer\'s zlib build compresses differently); every reader gets the edited text, checked before it is stored.');
  // A zlib header announcing a 256-byte window, which Node's zlib does not write: "ab" raw-deflated, Adler-32 after.
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((294 << 16) | 196);
  const smallWindow = decodeValue(Buffer.concat([Buffer.from([0x08, 0x1d]), deflateRawSync(Buffer.from('ab')), adler]), 'auto');
  assert.deepEqual(smallWindow.note, { kind: 'unreproducible', layers: ['zlib'] });
  assert.equal(noteText(smallWindow.note), 'Shown read-only: its zlib header asks for settings Switchboard cannot compress with, so an edit could not be stored in the same format.');
  assert.deepEqual([recipeText({ codec: 'brotli', quality: 11 }), recipeText({ codec: 'lz4' }), recipeText({ codec: 'snappy' }), recipeText({ codec: 'deflate-raw', level: 6 })], ['Brotli quality 11', 'an LZ4 frame (lz4js defaults)', 'Snappy', 'raw deflate level 6']);
});
