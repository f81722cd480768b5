import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RowSet } from '../../src/panels/keyWindow/rowSet';
import { PackedKeys } from '../../src/panels/keyWindow/packedKeys';
import { KeyIndex, ROOT } from '../../src/panels/keyWindow/keyIndex';
import { MAX_DEPTH } from '../../src/panels/keyWindow/folderTree';

/** A small seeded generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('row set: at, rank and forEachFrom agree with a plain array, across runs, gaps and rows past 2^31', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const next = random(seed);
    const set = new RowSet();
    const plain: number[] = [];
    let row = seed === 5 ? 2 ** 31 - 10 : -1;
    for (let i = 0; i < 5000; i++) {
      const r = next();
      row += r < 0.6 ? 1 : r < 0.9 ? 2 + Math.floor(next() * 5) : 1 + Math.floor(next() * 100_000);
      set.push(row);
      plain.push(row);
    }
    assert.equal(set.length, plain.length);
    for (let i = 0; i < plain.length; i += 7) assert.equal(set.at(i), plain[i], `seed ${seed} at ${i}`);
    assert.equal(set.at(plain.length - 1), plain.at(-1));
    for (let i = 0; i < plain.length; i += 13) {
      assert.equal(set.rank(plain[i]!), i, `seed ${seed} rank of entry ${i}`);
      if (plain[i]! + 1 !== plain[i + 1]) assert.equal(set.rank(plain[i]! + 1), -1);
    }
    assert.equal(set.rank(-5), -1);
    const from: number[] = [];
    set.forEachFrom(1234, (r) => from.push(r) < 600);
    assert.deepEqual(from, plain.slice(1234, 1834));
  }
  assert.throws(() => {
    const set = new RowSet();
    set.push(3);
    set.push(3);
  }, RangeError);
});

test('row set: every key of a database in one folder costs a few bytes', () => {
  const set = new RowSet();
  for (let i = 0; i < 1_000_000; i++) set.push(i);
  assert.ok(set.bytes < 200, `${set.bytes} bytes`);
  assert.equal(set.at(999_999), 999_999);
  assert.equal(set.rank(500_000), 500_000);
});

test('packed keys: any bytes come back exactly, numbers, hex and UUIDs included, and a key larger than a buffer', () => {
  const next = random(7);
  const keys = new PackedKeys();
  const leaves: Buffer[] = [];
  const forms = [
    () => Buffer.from(String(Math.floor(next() * 1e15))),
    () => Buffer.from(`0${Math.floor(next() * 1000)}`),
    () => Buffer.from('0'),
    () => Buffer.from(randomBytes(1 + Math.floor(next() * 20)).toString('hex')),
    () => Buffer.from(randomBytes(8).toString('hex').toUpperCase()),
    () => Buffer.from(crypto.randomUUID()),
    () => Buffer.from(crypto.randomUUID().toUpperCase()),
    () => randomBytes(Math.floor(next() * 40)),
    () => Buffer.from('1234567890123456'),
    () => Buffer.from('-12'),
    () => Buffer.alloc(0),
  ];
  for (let i = 0; i < 20_000; i++) leaves.push(forms[Math.floor(next() * forms.length)]!());
  leaves[12_345] = randomBytes(3 << 20);
  leaves.forEach((leaf, row) => assert.equal(keys.append(row % 5, Buffer.concat([Buffer.from('prefix:'), leaf]), 7), row));
  for (const start of [0, 63, 64, 12_340, 19_990]) {
    const cursor = keys.cursor(start);
    let scratch: Buffer = Buffer.alloc(4);
    for (let row = start; row < Math.min(leaves.length, start + 80); row++) {
      const { folder, leaf, buffer } = cursor.next(scratch);
      scratch = buffer;
      assert.equal(folder, row % 5, `folder of row ${row}`);
      assert.ok(leaf.equals(leaves[row]!), `leaf of row ${row}: ${leaf.toString('hex').slice(0, 40)} for ${leaves[row]!.toString('hex').slice(0, 40)}`);
    }
  }
});

/** The tree as the webview used to build it, for comparison: folders by name, keys in arrival order. */
function naiveLines(keys: readonly string[], delimiter: string, expanded: ReadonlySet<string>): string[] {
  interface Node { kids: Map<string, Node>; keys: number[]; count: number }
  const root: Node = { kids: new Map(), keys: [], count: 0 };
  keys.forEach((key, row) => {
    const parts = key.split(delimiter);
    let at = root;
    at.count++;
    for (let i = 0; i < Math.min(parts.length - 1, MAX_DEPTH); i++) {
      let kid = at.kids.get(parts[i]!);
      if (!kid) at.kids.set(parts[i]!, (kid = { kids: new Map(), keys: [], count: 0 }));
      kid.count++;
      at = kid;
    }
    at.keys.push(row);
  });
  const out: string[] = [];
  const walk = (node: Node, path: string, depth: number): void => {
    for (const name of [...node.kids.keys()].sort((a, b) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')))) {
      const kid = node.kids.get(name)!;
      const full = path === '' && depth === 0 ? name : `${path}${delimiter}${name}`;
      out.push(`${depth} folder ${full} ${kid.count}`);
      if (expanded.has(full)) walk(kid, full, depth + 1);
    }
    for (const row of node.keys) out.push(`${depth} key ${row}`);
  };
  walk(root, '', 0);
  return out;
}

function shown(index: KeyIndex, start: number, count: number): string[] {
  return index.treeLines(start, count).map((line) => {
    if (line.kind === 'key') return `${line.depth} key ${line.row}`;
    return `${line.depth} folder ${index.tree.path(line.folder).toString('latin1')} ${index.tree.count(line.folder)}`;
  });
}

test('key index: tree windows, folder counts and line positions match the tree built whole, as keys stream in', async () => {
  for (const [seed, delimiter] of [[11, ':'], [12, '::'], [13, '/']] as const) {
    const next = random(seed);
    const index = new KeyIndex(delimiter);
    const keys: string[] = [];
    const names = ['user', 'session', 'cache', '', 'a', 'b', 'ü'];
    const expandedPaths = new Set<string>();
    for (let batch = 0; batch < 30; batch++) {
      const added: string[] = [];
      for (let i = 0; i < 200; i++) {
        const depth = Math.floor(next() * 4);
        const parts = Array.from({ length: depth }, () => names[Math.floor(next() * names.length)]!);
        added.push([...parts, String(Math.floor(next() * 1000))].join(delimiter));
      }
      // Keys are bytes: latin1 keeps one character per byte in the comparison.
      index.add(added.map((k) => Buffer.from(k, 'latin1')));
      keys.push(...added);
      // Expand or collapse a folder now and then, as a user would while the scan goes on.
      const lines = index.treeLines(0, index.tree.lineCount);
      const folders = lines.filter((l) => l.kind === 'folder');
      const pick = folders[Math.floor(next() * folders.length)];
      if (pick && pick.kind === 'folder') {
        const path = index.tree.path(pick.folder).toString('latin1');
        const open = !index.tree.isExpanded(pick.folder);
        index.tree.setExpanded(pick.folder, open);
        if (open) expandedPaths.add(path);
        else expandedPaths.delete(path);
      }
      const want = naiveLines(keys, delimiter, expandedPaths);
      assert.equal(index.tree.lineCount, want.length, `seed ${seed} batch ${batch}: line count`);
      for (const start of [0, 1, Math.floor(want.length / 3), want.length - 5]) {
        assert.deepEqual(shown(index, Math.max(0, start), 40), want.slice(Math.max(0, start), Math.max(0, start) + 40), `seed ${seed} batch ${batch}: lines from ${start}`);
      }
      for (let line = 0; line < want.length; line += 37) {
        const [drawn] = index.treeLines(line, 1);
        assert.ok(drawn);
        const found = drawn.kind === 'key' ? index.treeLineOf(drawn.row) : index.tree.lineOfFolder(drawn.folder);
        assert.equal(found, line, `seed ${seed}: the line of what is drawn on line ${line}`);
      }
    }
    const [first] = index.read([0]);
    assert.equal(first?.key.toString('latin1'), keys[0]);
  }
});

test('key index: a prefix group narrows the flat list, catching up with keys that arrive while it is built', async () => {
  const index = new KeyIndex(':');
  const keys: string[] = [];
  for (let i = 0; i < 600_000; i++) keys.push(i % 3 === 0 ? `user:${i}` : i % 3 === 1 ? `order:line:${i}` : `plain${i}`);
  index.add(keys.slice(0, 500_000).map((k) => Buffer.from(k)));
  const user = index.tree.topFolders(10).find((f) => index.tree.name(f).toString() === 'user');
  assert.ok(user !== undefined);
  const narrowing = index.narrow(user);
  // Keys arrive while the pass is under way: they are looked at by the pass or as they come, never twice.
  index.add(keys.slice(500_000).map((k) => Buffer.from(k)));
  await narrowing;
  assert.equal(index.listLength, 200_000);
  assert.deepEqual(index.read(index.listRows(199_998, 5)).map((r) => r.key.toString()), ['user:599994', 'user:599997']);
  assert.equal(index.listLineOf(3), 1);
  assert.equal(index.listLineOf(4), -1);
  await index.narrow(ROOT);
  assert.equal(index.listLength, 200_000);
  assert.equal(index.read(index.listRows(0, 1))[0]?.key.toString(), 'plain2');
  await index.narrow(undefined);
  assert.equal(index.listLength, 600_000);
  index.markGone(0);
  assert.equal(index.present, 599_999);
  assert.equal(index.tree.count(user), 199_999);
});

test('key index: past the folder limit, names are filed in the deepest folder that exists', () => {
  const index = new KeyIndex(':');
  index.add(Array.from({ length: 200_010 }, (_, i) => Buffer.from(`s:${i}:data`)));
  assert.ok(index.tree.capped);
  const [last] = index.read([200_009]);
  assert.equal(last?.key.toString(), 's:200009:data');
  assert.equal(last?.leaf.toString(), '200009:data');
});
