import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Redis from 'ioredis';
import { driver, RedisSession } from '../../src/drivers/redis';
import { RedisProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import type { Decoded, StructNode } from '../../src/drivers/codecs/shapes';
import { javaSerialized, phpSerialize, python, PYTHON_WRITERS } from './realValueWriters';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/* Values as real client libraries store them, decoded read-only: compression taken off, formats read as structures. */

const url = need('REDIS_URL');
const parsed = new URL(url);
/** A database of its own: test files run two at a time on one server, and each flushes its database (11 is the memory analysis test's). */
const DB = 15;
const profile: RedisProfile = { id: 'decoders', name: 'decoders', kind: 'redis', host: parsed.hostname, port: Number(parsed.port), tls: false, db: DB, readOnly: false };
const options = { secrets: { password: decodeURIComponent(parsed.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const raw = new Redis({ host: profile.host, port: profile.port, password: options.secrets.password, db: DB });
let dir = '';
let session: RedisSession;
let marker = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-decoders-'));
  marker = join(dir, 'pickle-ran');
  await raw.flushdb();
  process.env['MARKER'] = marker;
  assert.equal(python(PYTHON_WRITERS, url, DB).trim(), 'written');
  session = await driver.connect(profile, options);
});

after(async () => {
  await session?.close();
  await raw.flushdb();
  raw.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const decoded = (key: string, choice: Parameters<RedisSession['decoded']>[2] = 'auto'): Promise<Decoded> => session.decoded(DB, { text: key }, choice);

/** The entry of a structure under `key`. */
function entry(node: StructNode, key: string): StructNode {
  const found = node.entries?.find((e) => e.key === key)?.node;
  assert.ok(found, `no "${key}" in ${JSON.stringify(node).slice(0, 400)}`);
  return found;
}

const text = (d: Decoded): string => {
  assert.ok(d.view.kind === 'text', JSON.stringify(d.view).slice(0, 200));
  return d.view.text;
};

test('a gzip\'d JSON written by Python shows as JSON; zlib, brotli, lz4 and snappy values show their text; the raw bytes are one choice away', async () => {
  const doc = { user: 'ada', plan: 'pro', tags: ['a', 'b'], note: 'värde ✓' };
  for (const [key, layer] of [['py:gzip-json', 'gzip'], ['py:gzip-json-level6', 'gzip'], ['py:zlib-json', 'zlib'], ['py:brotli-json', 'brotli']] as const) {
    const d = await decoded(key);
    assert.deepEqual(d.layers, [layer], key);
    assert.ok(d.view.kind === 'text' && d.view.json, key);
    assert.deepEqual(JSON.parse(text(d)), doc, key);
  }
  assert.equal(text(await decoded('py:lz4-text')), 'hello lz4 '.repeat(100));
  assert.deepEqual((await decoded('py:lz4-text')).layers, ['lz4']);
  assert.equal(text(await decoded('py:snappy-text')), 'hello snappy '.repeat(50));
  assert.deepEqual((await decoded('py:snappy-text')).layers, ['snappy']);
  // The stored bytes themselves, and a codec forced by the user.
  const asStored = await decoded('py:gzip-json', 'none');
  assert.deepEqual(asStored.layers, []);
  assert.ok(asStored.view.kind === 'bytes' && asStored.view.text.startsWith('\\x1f\\x8b\\x08'), JSON.stringify(asStored.view).slice(0, 80));
  assert.deepEqual(asStored.note, { kind: 'bytes' });
  assert.deepEqual(JSON.parse(text(await decoded('py:gzip-json', 'gzip'))), doc);
  await assert.rejects(decoded('py:gzip-json', 'lz4'), (error: unknown) => isDriverError(error) && /This is not lz4 data/.test(error.message));
});

test('MessagePack and Python pickles (protocol 0 and the default, inside gzip or zlib) show as structures; a pickle written to run a command shows the call, never run', async () => {
  const msgpack = await decoded('py:msgpack');
  assert.ok(msgpack.view.kind === 'structure' && msgpack.view.format === 'msgpack');
  assert.deepEqual([entry(msgpack.view.root, 'id').value, entry(msgpack.view.root, 'raw').value, entry(msgpack.view.root, 'big').value], ['7', '\\x00\\xff', String(2 ** 40)]);
  assert.deepEqual(entry(msgpack.view.root, 'names').entries?.map((e) => e.node.value), ['ada', 'grace']);
  assert.deepEqual((await decoded('py:gzip-msgpack')).layers, ['gzip', 'msgpack']);

  const pickle = await decoded('py:pickle');
  assert.ok(pickle.view.kind === 'structure' && pickle.view.format === 'pickle' && !pickle.editable);
  assert.deepEqual(pickle.note, { kind: 'structure', format: 'pickle' }, 'read-only: a structure is never re-serialized');
  const root = pickle.view.root;
  assert.equal(entry(root, 'user').value, 'ada');
  assert.equal(entry(root, 'n').value, (2n ** 70n).toString());
  assert.equal(entry(root, 'when').value, 'datetime.datetime (REDUCE, never run)');
  assert.deepEqual(entry(root, 't').entries?.map((e) => e.node.value), ['1', 'None', 'True']);
  const account = entry(root, 'acct');
  assert.match(account.value ?? '', /__main__\.Account .*never run/);
  assert.equal(entry(entry(account, 'state'), 'owner').value, 'ada');
  const protocol0 = await decoded('py:pickle0');
  assert.ok(protocol0.view.kind === 'structure');
  assert.deepEqual(entry(protocol0.view.root, 'n').entries?.map((e) => e.node.value), ['1', '2.5', 'x']);
  const compressed = await decoded('py:zlib-pickle');
  assert.deepEqual(compressed.layers, ['zlib', 'pickle']);

  const evil = await decoded('py:pickle-evil');
  assert.ok(evil.view.kind === 'structure');
  assert.equal(evil.view.root.value, 'posix.system (REDUCE, never run)');
  assert.equal(entry(entry(evil.view.root, 'arguments'), '0').value, `touch ${marker}`);
  assert.equal(existsSync(marker), false, 'the pickle\'s command did not run');
});

test('PHP serialize() and Java ObjectOutputStream values show as structures with their class names; nothing is instantiated', async () => {
  const php = phpSerialize(`['user' => 'ada', 'n' => 3, 'f' => 1.5, 'ok' => true, 'none' => null, 'cart' => new Cart()]`, 'class Cart { public $items = ["tea", "jam"]; protected $total = 12; private $secret = "x"; }');
  await raw.set('php:cart', php);
  const d = await decoded('php:cart');
  assert.ok(d.view.kind === 'structure' && d.view.format === 'php');
  const phpRoot = d.view.root;
  assert.deepEqual(['user', 'n', 'f', 'ok', 'none'].map((k) => entry(phpRoot, k).value), ['ada', '3', '1.5', 'true', 'null']);
  const cart = entry(phpRoot, 'cart');
  assert.equal(cart.value, 'Cart');
  assert.deepEqual(entry(cart, 'items').entries?.map((e) => e.node.value), ['tea', 'jam']);
  assert.equal(entry(cart, 'total (protected)').value, '12');
  assert.equal(entry(cart, 'secret (private to Cart)').value, 'x');

  await raw.set('java:order', javaSerialized(dir));
  const java = await decoded('java:order');
  assert.ok(java.view.kind === 'structure' && java.view.format === 'java', JSON.stringify(java.view).slice(0, 300));
  const order = java.view.root;
  assert.equal(order.value, 'Writer$Order');
  assert.deepEqual(['id', 'quantity', 'totalCents', 'paid'].map((k) => entry(order, k).value), ['A-1 ✓', '3', '4200000000', 'true']);
});

test('an edited text is stored in its writer\'s format: brotli byte for byte, Python\'s gzip and zlib in the same format; Python reads each back; a changed value is a conflict', async () => {
  const readBack = (key: string, module: string, call: string): string =>
    python(`import os, redis, ${module}\nu = redis.connection.parse_url(os.environ['REDIS_URL']); u['db'] = int(os.environ['DB'])\nprint(${call}(redis.Redis(**u).get('${key}')).decode())`, url, DB).trim();
  const brotli = await decoded('py:brotli-json');
  assert.ok(brotli.editable, JSON.stringify(brotli.note));
  // Python's brotli.compress (quality 11) is reproduced byte for byte.
  assert.deepEqual(brotli.note, { kind: 'recompressed', exact: true, recipes: [{ codec: 'brotli', quality: 11 }], layers: ['brotli'] });
  const before = text(brotli);
  const edited = before.replace('"pro"', '"team"');
  assert.equal(await session.saveDecoded(DB, { text: 'py:brotli-json' }, 'auto', before, edited), 'saved');
  assert.equal(readBack('py:brotli-json', 'brotli', 'brotli.decompress'), edited);
  assert.equal(await session.saveDecoded(DB, { text: 'py:brotli-json' }, 'auto', before, 'stale edit'), 'conflict', 'the value changed since it was shown');
  // Python's zlib compresses the same text to other bytes than Node's: the same format is written, and said so.
  for (const [key, module, call] of [['py:gzip-json', 'gzip', 'gzip.decompress'], ['py:zlib-json', 'zlib', 'zlib.decompress']] as const) {
    const shown = await decoded(key);
    assert.ok(shown.editable, `${key}: ${JSON.stringify(shown.note)}`);
    assert.ok(shown.note.kind === 'recompressed' && !shown.note.exact, `${key}: the same format, though not the same compressed bytes: ${JSON.stringify(shown.note)}`);
    assert.deepEqual(shown.note.layers, [module], key);
    assert.equal(shown.note.recipes[0]?.codec, module, key);
    const stored = await raw.getBuffer(key);
    const changed = text(shown).replace('"ada"', '"张三"');
    assert.equal(await session.saveDecoded(DB, { text: key }, 'auto', text(shown), changed), 'saved', key);
    assert.equal(readBack(key, module, call), changed, `${key}: Python reads the edit`);
    const now = await raw.getBuffer(key);
    // gzip: the writer's header (time, flags, OS) kept; zlib: its two header bytes (window and level) kept.
    const header = key === 'py:gzip-json' ? 10 : 2;
    assert.equal(now?.subarray(0, header).toString('hex'), stored?.subarray(0, header).toString('hex'), `${key}: the header is the writer's`);
    assert.equal(await session.saveDecoded(DB, { text: key }, 'auto', text(shown), 'stale edit'), 'conflict', key);
  }
  const readOnly = await driver.connect({ ...profile, id: 'ro', readOnly: true }, options);
  try {
    await assert.rejects(readOnly.saveDecoded(DB, { text: 'py:brotli-json' }, 'auto', edited, 'x'), (error: unknown) => isDriverError(error) && error.code === 'readOnly');
  } finally {
    await readOnly.close();
  }
});

test('hostile values: a gzip bomb stops at the cap, a truncated pickle and a lying PHP length are explained', async () => {
  await raw.set('bomb', gzipSync(Buffer.alloc(65 * 2 ** 20)));
  await assert.rejects(decoded('bomb'), (error: unknown) => isDriverError(error) && /decompresses to more than 64 MB/.test(error.message));
  const pickle = await raw.getBuffer('py:pickle');
  await raw.set('pickle-cut', pickle!.subarray(0, pickle!.length - 20));
  const cut = await decoded('pickle-cut');
  assert.ok(cut.view.kind !== 'structure', 'a broken pickle is shown as bytes, not half a structure');
  await assert.rejects(decoded('pickle-cut', 'pickle'), (error: unknown) => isDriverError(error) && /pickle/.test(error.message));
  await raw.set('php-lie', 'a:99999:{i:0;s:1:"x";}');
  await assert.rejects(decoded('php-lie', 'php'), (error: unknown) => isDriverError(error) && /count of 99999/.test(error.message));
});
