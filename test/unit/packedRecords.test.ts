import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PackedRecords } from '../../src/drivers/packedRecords';
import { IndexList } from '../../src/drivers/typedArrays';

const text = (records: PackedRecords, index: number): string => {
  const { bytes, start, end } = records.slot(index);
  return bytes.toString('utf8', start, end);
};

test('records of every size come back as written, across buffers, with an empty one and one bigger than a buffer', () => {
  const records = new PackedRecords();
  const written: string[] = [];
  for (let i = 0; i < 120_000; i++) {
    const record = i === 7 ? '' : i === 50_000 ? 'x'.repeat(3 << 20) : i % 3 === 0 ? `ключ:${i}:🔑` : `key:${i}:${'v'.repeat(i % 40)}`;
    written.push(record);
    assert.equal(i % 2 ? records.appendText(record) : records.appendBytes(Buffer.from(`..${record}..`), 2, 2 + Buffer.byteLength(record)), i);
  }
  assert.equal(records.length, written.length);
  assert.ok(records.arenas.length > 4, `the records span buffers (${records.arenas.length})`);
  assert.equal(records.bytes, written.reduce((n, r) => n + Buffer.byteLength(r), 0));
  for (let i = 0; i < written.length; i++) assert.equal(text(records, i), written[i], `record ${i}`);
  // Every buffer's records are numbered on from the one before, and each is found in its own buffer.
  let next = 0;
  for (const [a, arena] of records.arenas.entries()) {
    assert.equal(arena.first, next);
    next = arena.last;
    assert.equal(records.arenaOf(arena.first), a);
    assert.equal(records.arenaOf(arena.last - 1), a);
    for (const i of [arena.first, arena.last - 1, (arena.first + arena.last) >> 1]) {
      assert.equal(arena.recordAt(arena.start(i)), i, `record ${i} begins where it is found`);
      if (arena.end(i) > arena.start(i) + 1) assert.equal(arena.recordAt(arena.end(i) - 1), i, `record ${i}'s last byte is its own`);
    }
  }
  assert.equal(next, records.length);
  assert.equal(records.arenaOf(records.length), records.arenas.length, 'past the last record');
});

test('a buffer is ASCII only while every record was appended as ASCII text', () => {
  const ascii = new PackedRecords();
  for (let i = 0; i < 10_000; i++) ascii.appendText(`user:${i}`);
  assert.ok(ascii.arenas.every((arena) => arena.ascii));
  const latin = new PackedRecords();
  latin.appendText('plain');
  latin.appendText('café');
  assert.equal(latin.arenas[0]!.ascii, false, 'a non-ASCII character');
  const surrogate = new PackedRecords();
  surrogate.appendText('🔑');
  assert.equal(surrogate.arenas[0]!.ascii, false, 'a character outside the BMP');
  const bytes = new PackedRecords();
  bytes.appendBytes(Buffer.from('ascii'), 0, 5);
  assert.equal(bytes.arenas[0]!.ascii, false, 'bytes are not known to be text');
});

test('an index list grows past its first block and keeps every index', () => {
  const list = new IndexList();
  for (let i = 0; i < 5000; i++) list.push(i * 7 + 0xffff0000);
  assert.equal(list.length, 5000);
  for (let i = 0; i < 5000; i++) assert.equal(list.at(i), (i * 7 + 0xffff0000) >>> 0);
});
