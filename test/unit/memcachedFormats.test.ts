import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { parseMetadumpLine } from '../../src/drivers/memcached/listing';
import { decodeValue as decodeWithCut } from '../../src/drivers/memcached/values';
import { keyMapper } from '../../src/drivers/memcached/hashing';

test('metadump lines parse, URL-encoded keys decode', () => {
  assert.deepEqual(parseMetadumpLine('key=user%3A42%20x exp=-1 la=1700000000 cas=3 fetch=no cls=1 size=70', 's1'), {
    key: 'user:42 x', server: 's1', size: 70, expiry: -1, lastAccess: 1700000000, slabClass: 1,
  });
  assert.equal(parseMetadumpLine('key=plain exp=1800000000 la=1 cas=1 fetch=yes cls=12 size=5000', 's')?.expiry, 1800000000);
  assert.equal(parseMetadumpLine('END', 's'), undefined);
  // UTF-8 escapes decode; escapes that are not UTF-8 (a binary key) are shown as the server wrote them.
  assert.equal(parseMetadumpLine('key=price%E2%82%AC exp=-1 la=1 cas=1 fetch=no cls=1 size=1', 's')?.key, 'price€');
  assert.equal(parseMetadumpLine('key=raw%FF%00 exp=-1 la=1 cas=1 fetch=no cls=1 size=1', 's')?.key, 'raw%FF%00');
  // A field added at the end, or the fields in another order, still parse.
  assert.deepEqual(parseMetadumpLine('key=a exp=-1 la=7 cas=1 fetch=no cls=2 size=5 flags=0', 's'), { key: 'a', server: 's', size: 5, expiry: -1, lastAccess: 7, slabClass: 2 });
  assert.deepEqual(parseMetadumpLine('key=a size=5 cls=2 la=7 exp=-1', 's'), { key: 'a', server: 's', size: 5, expiry: -1, lastAccess: 7, slabClass: 2 });
  // Fields missing or without digits read as their defaults.
  assert.deepEqual(parseMetadumpLine('key=k exp= la=x cas=1', 's'), { key: 'k', server: 's', size: 0, expiry: -1, lastAccess: 0, slabClass: 0 });
});

const decodeValue = (data: Buffer, flags: number) => decodeWithCut(data, flags, 1024);

test('values decode by the Python clients\' flags; pickles are never unpickled', () => {
  assert.equal(decodeValue(Buffer.from('42'), 2).format, 'integer');
  assert.equal(decodeValue(Buffer.from('hello'), 0).display, 'hello');
  assert.equal(decodeValue(deflateSync(Buffer.from('[1,2]')), 8).display, '[1,2]');
  const pickle = decodeValue(Buffer.from([0x80, 0x04, 0x4b, 0x2a, 0x2e]), 1);
  assert.equal(pickle.format, 'pickle');
  assert.equal(pickle.editable, false);
  assert.equal(pickle.display, '42 (int)', 'read as a structure by the codecs\' pickle reader');
  assert.deepEqual(pickle.notes, [{ kind: 'pickle' }]);
  const cut = decodeValue(Buffer.from([0x80, 0x04, 0x95, 0x20]), 1);
  assert.equal(cut.format, 'pickle');
  assert.match(cut.display, /^00000000  80 04 95 20/, 'a pickle that does not read is shown as bytes');
  assert.equal(cut.notes[0]?.kind, 'pickleUnreadable');
  assert.equal(decodeValue(Buffer.from('not zlib'), 8).format, 'binary');
  assert.equal(decodeValue(Buffer.from([0xff, 0xfe, 0x00]), 0).format, 'binary');
});

test('long text is shown cut and not editable; a compressed value is never inflated without bound', () => {
  const long = decodeValue(Buffer.from('é'.repeat(1000)), 0);
  assert.equal(long.editable, false);
  assert.equal(long.display, 'é'.repeat(512), 'cut at 1024 bytes, on a character boundary');
  assert.deepEqual(long.notes, [{ kind: 'cut', shown: 1024, size: 2000 }]);
  const bomb = deflateSync(Buffer.alloc(80 * 1024 * 1024));
  assert.ok(bomb.length < 200_000);
  const shown = decodeValue(bomb, 8);
  assert.equal(shown.format, 'binary');
  assert.deepEqual(shown.notes, [{ kind: 'inflateTooLarge', limitMiB: 64 }]);
});

test('key mappings: one server maps everything to it; memjs matches its Java-style hash', () => {
  const one = keyMapper([{ host: 'a', port: 1, weight: 1 }], 'ketama');
  assert.equal(one('anything'), 0);
  const servers = [{ host: 'a', port: 1, weight: 1 }, { host: 'b', port: 2, weight: 1 }, { host: 'c', port: 3, weight: 1 }];
  // "foo".hashCode() in Java is 101574; 101574 % 3 = 0.
  assert.equal(keyMapper(servers, 'memjs')('foo'), 101574 % 3);
  const python = keyMapper(servers, 'python');
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) counts[python(`k${i}`) ?? 0]!++;
  assert.ok(counts.every((n) => n > 700), counts.join(','));
});
