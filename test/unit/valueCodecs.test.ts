import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeValue } from '../../src/drivers/codecs/decode';
import { isDriverError } from '../../src/drivers/errors';
import { deflateSync, gzipSync } from 'node:zlib';
import { decodedLabel } from '../../webview/redisBrowser/decodedLabel';

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
