import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { driver, MemcachedSession } from '../../src/drivers/memcached';
import { MemcachedProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import type { CodecChoice, Decoded } from '../../src/drivers/codecs/shapes';
import { FLAG_COMPRESSED } from '../../src/drivers/memcached/values';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/*
 * Values a non-Python client stores (flags 0: Node's zlib, MessagePack), which python-memcached's flags leave as
 * bytes, decoded by the shared codecs in the Memcached session: detected, or as the user chooses; an edited gzip'd
 * text saved through cas; a structure read-only. Values the flags read stay read by them.
 */

const servers = need('MEMCACHED_SERVERS').split(',').map((entry) => ({ host: entry.split(':')[0]!, port: Number(entry.split(':')[1]), weight: 1 }));
const profile: MemcachedProfile = { id: 'decoders', name: 'decoders', kind: 'memcached', servers, readOnly: false };
const options = { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const prefix = `dec${process.pid}:`;
const GZIP_JSON = `${prefix}gzip-json`;
const MSGPACK = `${prefix}msgpack`;
const ZLIB_TEXT = `${prefix}zlib-text`;
const GZIP_TEXT = `${prefix}gzip-text`;
const PY_ZLIB = `${prefix}py-zlib`;
const PLAIN = `${prefix}plain`;
const doc = { user: 'ada', plan: 'pro', tags: ['a', 'b'], note: 'värde ✓' };
let session: MemcachedSession;

before(async () => {
  session = await driver.connect(profile, options);
  const stored = await Promise.all([
    session.store('set', GZIP_JSON, gzipSync(Buffer.from(JSON.stringify(doc)))),
    session.store('set', MSGPACK, Buffer.from(encode({ id: 7, names: ['ada', 'grace'], raw: new Uint8Array([0, 255]) }))),
    session.store('set', ZLIB_TEXT, deflateSync(Buffer.from('hello zlib '.repeat(20)))),
    session.store('set', GZIP_TEXT, gzipSync(Buffer.from('hello gzip'))),
    // python-memcached's own compression: flag 8 says zlib, and the flags read it.
    session.store('set', PY_ZLIB, deflateSync(Buffer.from('compressed by python '.repeat(10))), { flags: FLAG_COMPRESSED }),
    session.store('set', PLAIN, Buffer.from('just text')),
  ]);
  assert.deepEqual(stored, stored.map(() => true));
});

after(async () => {
  await session.deleteMulti([GZIP_JSON, MSGPACK, ZLIB_TEXT, GZIP_TEXT, PY_ZLIB, PLAIN].map((key) => ({ key })));
  await session.close();
});

async function decoded(key: string, choice: CodecChoice = 'auto'): Promise<Decoded | undefined> {
  const found = await session.decoded(key, session.serverOf(key), choice);
  assert.ok(found, `${key} is there`);
  return found.decoded;
}

const text = (d: Decoded | undefined): string => {
  assert.ok(d?.view.kind === 'text', JSON.stringify(d?.view).slice(0, 200));
  return d.view.text;
};

test('flags 0 from another client: gzip\'d JSON, MessagePack and zlib\'d text are detected; the flags still call them bytes', async () => {
  for (const key of [GZIP_JSON, MSGPACK, ZLIB_TEXT]) assert.equal((await session.get(key))?.decoded.format, 'binary', `${key}: python-memcached's flags read it as bytes, as before`);
  const json = await decoded(GZIP_JSON);
  assert.deepEqual(json?.layers, ['gzip']);
  assert.ok(json?.view.kind === 'text' && json.view.json);
  assert.deepEqual(JSON.parse(text(json)), doc);

  const msgpack = await decoded(MSGPACK);
  assert.ok(msgpack?.view.kind === 'structure' && msgpack.view.format === 'msgpack', JSON.stringify(msgpack).slice(0, 200));
  const entry = (k: string): string | undefined => (msgpack.view.kind === 'structure' ? msgpack.view.root.entries?.find((e) => e.key === k)?.node : undefined)?.value;
  assert.deepEqual([entry('id'), entry('raw')], ['7', '\\x00\\xff']);

  const zlib = await decoded(ZLIB_TEXT);
  assert.deepEqual(zlib?.layers, ['zlib']);
  assert.equal(text(zlib), 'hello zlib '.repeat(20));
});

test('the flags come first where they read a value; an explicit choice decodes any item, and a wrong one says so', async () => {
  assert.equal(await decoded(PLAIN), undefined, 'plain text is read by its flags');
  assert.equal(await decoded(PY_ZLIB), undefined, 'flag 8 is read by the flags, as before');
  const flagged = await session.get(PY_ZLIB);
  assert.equal(flagged?.decoded.format, 'text');
  assert.equal(flagged?.decoded.display, 'compressed by python '.repeat(10));
  // Chosen: zlib on python-memcached's value, gzip and MessagePack on the others.
  const chosen = await decoded(PY_ZLIB, 'zlib');
  assert.deepEqual(chosen?.layers, ['zlib']);
  assert.equal(text(chosen), 'compressed by python '.repeat(10));
  assert.deepEqual(JSON.parse(text(await decoded(GZIP_JSON, 'gzip'))), doc);
  assert.equal((await decoded(MSGPACK, 'msgpack'))?.view.kind, 'structure');
  assert.equal(await decoded(GZIP_JSON, 'none'), undefined, 'none: the item as stored, read by its flags');
  await assert.rejects(decoded(GZIP_JSON, 'zlib'), (error: unknown) => isDriverError(error) && /This is not zlib data/.test(error.message));
  assert.equal(await session.decoded(`${prefix}absent`, session.serverOf(`${prefix}absent`), 'auto'), undefined);
});

test('an edited gzip\'d text is saved gzip\'d again through cas, and reads back decompressed; a stale cas or text writes nothing', async () => {
  const item = await session.get(GZIP_TEXT);
  assert.ok(item);
  const shown = await decoded(GZIP_TEXT);
  assert.ok(shown?.editable, JSON.stringify(shown?.note));
  // Node wrote it: Node's gzip level 6 makes the same bytes again.
  assert.deepEqual(shown.note, { kind: 'recompressed', exact: true, recipes: [{ codec: 'gzip', level: 6 }], layers: ['gzip'] });
  const target = { key: item.key, server: item.server, cas: item.cas };
  assert.equal(await session.saveDecoded(target, 'auto', text(shown), 'hello edited ✓'), 'saved');
  const after = await session.get(GZIP_TEXT);
  assert.ok(after && after.cas !== item.cas, 'a new cas');
  assert.equal(after.flags, 0, 'the flags are kept');
  assert.equal(gunzipSync(after.data).toString('utf8'), 'hello edited ✓', 'stored gzip\'d');
  assert.equal(text(await decoded(GZIP_TEXT)), 'hello edited ✓', 'read back decompressed');

  // The cas the pane showed is old now: nothing is written over the newer value.
  assert.equal(await session.saveDecoded(target, 'auto', 'hello edited ✓', 'stale edit'), 'conflict');
  // Someone else writes after the pane read it: the cas it holds is stale.
  await session.store('set', GZIP_TEXT, gzipSync(Buffer.from('theirs')));
  assert.equal(await session.saveDecoded({ ...target, cas: after.cas }, 'auto', 'hello edited ✓', 'mine'), 'conflict');
  const theirs = await session.get(GZIP_TEXT);
  assert.equal(gunzipSync(theirs!.data).toString('utf8'), 'theirs', 'their write stands');
  // The right cas, but the text it was edited from is not what is stored.
  assert.equal(await session.saveDecoded({ ...target, cas: theirs!.cas }, 'auto', 'hello edited ✓', 'mine'), 'conflict');
  assert.equal(gunzipSync((await session.get(GZIP_TEXT))!.data).toString('utf8'), 'theirs');
  await session.delete(GZIP_TEXT);
  assert.equal(await session.saveDecoded({ ...target, cas: theirs!.cas }, 'auto', 'theirs', 'mine'), 'gone');
});

test('a structure stays read-only, as does an item its flags read; a read-only connection refuses the save', async () => {
  const msgpack = await decoded(MSGPACK);
  assert.equal(msgpack?.editable, false);
  assert.deepEqual(msgpack.note, { kind: 'structure', format: 'msgpack' });
  const item = await session.get(MSGPACK);
  assert.ok(item);
  await assert.rejects(session.saveDecoded(item, 'auto', '', 'x'), (error: unknown) => isDriverError(error) && /read-only/.test(error.message));
  const plain = await session.get(PLAIN);
  await assert.rejects(session.saveDecoded(plain!, 'auto', 'just text', 'x'), (error: unknown) => isDriverError(error) && /read by its flags/.test(error.message));
  assert.ok((await session.get(MSGPACK))?.data.equals(item.data), 'nothing was written');
  assert.equal((await session.get(PLAIN))?.data.toString(), 'just text');

  const readOnly = await driver.connect({ ...profile, id: 'ro', readOnly: true }, options);
  try {
    const zlib = await session.get(ZLIB_TEXT);
    await assert.rejects(readOnly.saveDecoded(zlib!, 'auto', 'hello zlib '.repeat(20), 'x'), (error: unknown) => isDriverError(error) && error.code === 'readOnly');
  } finally {
    await readOnly.close();
  }
});
