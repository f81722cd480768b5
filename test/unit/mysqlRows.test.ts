import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowStore } from '../../src/drivers/mysql/rowStore';
import { Cell } from '../../src/drivers/mysql/resultShapes';

/** A row in the text protocol's format, from raw cell bytes (lengths under 64 KiB). */
function wire(...cells: (Buffer | null)[]): Buffer {
  return Buffer.concat(cells.map((cell) => {
    if (cell === null) return Buffer.from([0xfb]);
    const head = cell.length < 251 ? Buffer.from([cell.length]) : Buffer.from([0xfc, cell.length & 0xff, cell.length >> 8]);
    return Buffer.concat([head, cell]);
  }));
}

test('row store: NULL stays apart from empty, any characters survive, slices cross arenas', () => {
  const store = RowStore.ofText(3);
  const rows: Cell[][] = [];
  for (let i = 0; i < 1500; i++) {
    // Every 100th row is 300 KB, so the rows spread over several 1 MiB arenas.
    const row: Cell[] = [String(i), i % 3 === 0 ? null : '', i === 700 ? 'tab\u0000nul\u0001one\u0002two\u00fb\u{1F600}' : i % 100 === 0 ? 'é'.repeat(150_000) : `name ${i}`];
    rows.push(row);
    store.add(row);
  }
  assert.equal(store.length, 1500);
  assert.deepEqual(store.slice(0, 1500), rows);
  assert.deepEqual(store.slice(510, 515), rows.slice(510, 515));
  assert.deepEqual(store.slice(699, 701), rows.slice(699, 701));
  for (let i = 0; i < 1500; i += 97) assert.deepEqual(store.slice(i, i + 5), rows.slice(i, i + 5), `rows ${i}..${i + 4}`);
  assert.deepEqual(store.slice(1490, 2000), rows.slice(1490));
  assert.deepEqual(store.slice(2000, 2100), []);
  store.set(3, ['3', 'edited', null]);
  assert.deepEqual(store.slice(3, 4), [['3', 'edited', null]]);
  const one = RowStore.ofText(1);
  one.add(['']);
  one.add([null]);
  assert.deepEqual(one.slice(0, 2), [[''], [null]]);
});

test('row store: every length coding round-trips, and a cell larger than an arena gets one of its own', () => {
  const store = RowStore.ofText(2);
  const sizes = [0, 250, 251, 65_535, 65_536, 2_000_000, 16_777_216];
  for (const size of sizes) store.add([String(size), 'x'.repeat(size)]);
  assert.deepEqual(store.slice(0, sizes.length).map(([n, text]) => [n, text!.length]), sizes.map((size) => [String(size), size]));
});

test('row store: wire rows read by column format; long binary values are cut as they arrive', () => {
  const formats = [{ binary: false, encoding: 'utf8' }, { binary: true, encoding: 'utf8' }, { binary: false, encoding: 'cp1251' }];
  const store = new RowStore(formats, 4);
  const blob = Buffer.from('00ff10aa55', 'hex');
  const rows = [
    wire(Buffer.from('1'), Buffer.from('00ff', 'hex'), Buffer.from([0xcf, 0xf0, 0xe8])),
    wire(Buffer.from('2'), blob, null),
    wire(Buffer.from('3'), Buffer.alloc(60_000, 0xab), Buffer.from('tail')),
    wire(null, Buffer.alloc(0), Buffer.alloc(0)),
  ];
  const framed = Buffer.concat([Buffer.from('head'), ...rows]);
  let at = 4;
  for (const row of rows) {
    store.addWire(framed, at, at + row.length);
    at += row.length;
  }
  assert.deepEqual(store.slice(0, 4), [
    ['1', '0x00ff', 'При'],
    ['2', '0x00ff10aa… (5 bytes)', null],
    ['3', '0xabababab… (60000 bytes)', 'tail'],
    [null, '0x', ''],
  ]);
});
