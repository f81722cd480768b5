import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyInfo } from '../../src/drivers/memcached/listing';
import { KeyFilter, KeyStore, KeyView } from '../../src/drivers/memcached/keyStore';

const SERVERS = ['127.0.0.1:1', '127.0.0.1:2'];

/** Keys of every shape a listing brings: prefixes, case, non-ASCII, colons first and last, near-matches across keys. */
function keys(n: number): KeyInfo[] {
  const shapes = [
    (i: number) => `user:${i}:profile`, (i: number) => `Session:${i.toString(16).toUpperCase()}`, (i: number) => `ключ:${i}:Ärger`,
    (i: number) => `:leading${i}`, (i: number) => `plain${i}`, (i: number) => `cart:${i}:`, (i: number) => `us${i}`, (i: number) => `er:${i}`,
    (i: number) => `KELVIN\u212A:${i}`, (i: number) => `emoji:🔑${i}`,
  ];
  return Array.from({ length: n }, (_, i) => ({ key: shapes[i % shapes.length]!(i), server: SERVERS[i % 2]!, size: i, expiry: i % 3 ? -1 : 1_700_000_000 + i, lastAccess: 1_600_000_000 + i, slabClass: 1 + (i % 5) }));
}

const groupOf = (key: string): string | null => (key.indexOf(':') > 0 ? key.slice(0, key.indexOf(':')) : null);
function naive(all: readonly KeyInfo[], filter: KeyFilter, removed: ReadonlySet<number>): number[] {
  const text = filter.text.toLowerCase();
  return all.flatMap((k, i) => (!removed.has(i) && k.key.toLowerCase().includes(text) && (filter.group === undefined || groupOf(k.key) === filter.group) ? [i] : []));
}
function shown(store: KeyStore, filter: KeyFilter): number[] {
  const view = new KeyView(1, filter);
  store.collect(view, filter);
  return Array.from({ length: view.length }, (_, i) => view.at(i));
}

for (const [kind, all] of [['ASCII keys', keys(150_000).filter((k) => /^[\x20-\x7e]*$/.test(k.key))], ['keys of any text', keys(150_000)]] as const) test(`a listing over many arenas filters and groups as a plain scan of strings would (${kind})`, () => {
  const store = new KeyStore(SERVERS);
  for (let i = 0; i < all.length; i += 2000) store.add(all.slice(i, i + 2000));
  assert.equal(store.length, all.length);
  assert.ok(store.bytes > 2 * (1 << 20), 'the keys take more than one arena');
  const removed = new Set<number>();
  const filters: KeyFilter[] = [
    { text: '' }, { text: 'user' }, { text: 'USER:1' }, { text: 'ser:12' }, { text: 'SESSION:a' }, { text: 'ärger' }, { text: 'ключ:1' },
    { text: ':' }, { text: 'us1' }, { text: 'profiles' }, { text: 'profilesession' }, { text: '0:plain' }, { text: ':c' }, { text: '1er' }, { text: 'er:1' }, { text: 'k:' }, { text: '🔑1' }, { text: 'nothing-matches' },
    { text: '', group: 'user' }, { text: '9', group: 'cart' }, { text: '', group: null }, { text: 'lead', group: null }, { text: '', group: 'ключ' }, { text: '', group: 'us' },
  ];
  for (const filter of filters) assert.deepEqual(shown(store, filter), naive(all, filter, removed), JSON.stringify(filter));
  for (const i of [0, 1, 77, all.length - 1, 65_536]) {
    store.remove(i);
    removed.add(i);
  }
  assert.equal(store.live, all.length - removed.size);
  for (const filter of filters) assert.deepEqual(shown(store, filter), naive(all, filter, removed), `after deletes: ${JSON.stringify(filter)}`);
  // A view built from part-way (keys that arrived since) holds only those.
  const view = new KeyView(2, { text: 'user' });
  store.collect(view, { text: 'user' }, 100_000);
  assert.deepEqual(Array.from({ length: view.length }, (_, i) => view.at(i)), naive(all, { text: 'user' }, removed).filter((i) => i >= 100_000));
});

test('keys come back exactly, with their numbers; never-expiring keys say -1', () => {
  const all = keys(30);
  const store = new KeyStore(SERVERS);
  store.add(all);
  all.forEach((k, i) => assert.deepEqual(store.key(i), { index: i, key: k.key, server: i % 2, size: k.size, expiry: k.expiry, lastAccess: k.lastAccess, slabClass: k.slabClass }));
});

test('groups count keys by the part before the first colon, and follow deletes', () => {
  const store = new KeyStore(SERVERS);
  store.add(['a:1', 'a:2', 'b:1', 'nocolon', ':x', 'a:3:deep'].map((key) => ({ key, server: SERVERS[0]!, size: 1, expiry: -1 })));
  assert.deepEqual(store.topGroups(10), { groups: [{ name: 'a', count: 3 }, { name: 'b', count: 1 }], ungrouped: 2, other: 0 });
  store.remove(0);
  store.remove(3);
  assert.deepEqual(store.topGroups(10), { groups: [{ name: 'a', count: 2 }, { name: 'b', count: 1 }], ungrouped: 1, other: 0 });
  assert.deepEqual(store.topGroups(1).groups, [{ name: 'a', count: 2 }]);
});

test('a group is named as its bytes read, and leaves as it came, whatever text the prefix is', () => {
  const store = new KeyStore(SERVERS);
  // Non-ASCII, a surrogate pair, a lone surrogate (written as U+FFFD), a colon first, and one that is only a colon.
  const keys = ['ключ:1', '🔑:1', '\ud800x:1', '\ufffdx:2', ':lead', ':', 'ключ:2'];
  store.add(keys.map((key) => ({ key, server: SERVERS[0]!, size: 1, expiry: -1 })));
  assert.deepEqual(store.topGroups(10), { groups: [{ name: 'ключ', count: 2 }, { name: '\ufffdx', count: 2 }, { name: '🔑', count: 1 }], ungrouped: 2, other: 0 });
  keys.forEach((_, i) => store.remove(i));
  assert.deepEqual(store.topGroups(10), { groups: [], ungrouped: 0, other: 0 });
});

test('find and upsert match whole keys on their own server only', () => {
  const store = new KeyStore(SERVERS);
  store.add(['user:10', 'user:1', 'xuser:1'].map((key) => ({ key, server: SERVERS[0]!, size: 1, expiry: -1 })));
  store.add([{ key: 'user:1', server: SERVERS[1]!, size: 2, expiry: -1 }]);
  assert.equal(store.find('user:1', 0), 1);
  assert.equal(store.find('user:1', 1), 3);
  assert.equal(store.find('user:', 0), -1);
  assert.equal(store.find('ser:1', 0), -1);
  store.remove(1);
  assert.equal(store.find('user:1', 0), -1);
  const added = store.upsert('user:1', 0, 5, 1_800_000_000, 1_700_000_000);
  assert.equal(added, 4);
  assert.equal(store.upsert('user:1', 0, 7, -1, 1_700_000_001), 4);
  assert.deepEqual(store.key(4), { index: 4, key: 'user:1', server: 0, size: 7, expiry: -1, lastAccess: 1_700_000_001 });
});
