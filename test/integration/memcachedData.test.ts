import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, Socket } from 'node:net';
import { deflateSync } from 'node:zlib';
import { driver, MemcachedSession } from '../../src/drivers/memcached';
import { MemcachedProfile, MemcachedServer } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { KeyInfo } from '../../src/drivers/memcached/listing';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

const parse = (list: string, weights: number[] = []): MemcachedServer[] =>
  list.split(',').map((entry, i) => ({ host: entry.split(':')[0]!, port: Number(entry.split(':')[1]), weight: weights[i] ?? 1 }));
const profile: MemcachedProfile = { id: 'm2', name: 'cache', kind: 'memcached', servers: parse(need('MEMCACHED_SERVERS')), readOnly: false };
const options = { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const prefix = `t${process.pid}:`;
let session: MemcachedSession;

/** A plain socket speaking the text protocol: the "someone else" of conflict tests, and a fast loader. */
function raw(server: MemcachedServer): Promise<{ send(text: string, replies: number): Promise<string>; close(): void }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(server.port, server.host, () =>
      resolve({
        send: (text, replies) =>
          new Promise((done) => {
            let got = '';
            const onData = (d: Buffer): void => {
              got += d.toString('latin1');
              if ((got.match(/\r\n/g) ?? []).length >= replies) {
                socket.off('data', onData);
                done(got);
              }
            };
            socket.on('data', onData);
            socket.write(text, 'latin1');
          }),
        close: () => socket.destroy(),
      }),
    );
  });
}

before(async () => {
  session = await driver.connect(profile, options);
});
after(() => session.close());

test('set, add, replace, append, prepend, get with flags', async () => {
  const k = `${prefix}ops`;
  assert.equal(await session.store('add', k, Buffer.from('b'), { flags: 16 }), true);
  assert.equal(await session.store('add', k, Buffer.from('x')), false, 'add refuses an existing key');
  assert.equal(await session.store('append', k, Buffer.from('c')), true);
  assert.equal(await session.store('prepend', k, Buffer.from('a')), true);
  const item = await session.get(k);
  assert.equal(item?.data.toString(), 'abc');
  assert.equal(item?.flags, 16);
  assert.equal(item?.decoded.format, 'text');
  assert.equal(await session.store('replace', `${prefix}absent`, Buffer.from('x')), false, 'replace needs an existing key');
  assert.equal(await session.store('set', k, Buffer.from('{"a":[1,2]}')), true);
  assert.equal((await session.get(k))?.decoded.display, '{"a":[1,2]}', 'JSON is shown as stored');
  assert.equal(await session.get(`${prefix}absent`), undefined);
});

test('incr, decr beyond 2^53, touch and delete', async () => {
  const k = `${prefix}counter`;
  await session.store('set', k, Buffer.from('9007199254740993'), { flags: 2 });
  assert.equal(await session.counter('incr', k, 10n), 9007199254741003n);
  assert.equal(await session.counter('decr', k, 3n), 9007199254741000n);
  assert.equal((await session.get(k))?.decoded.format, 'integer');
  assert.equal(await session.counter('incr', `${prefix}nope`, 1n), undefined);
  await session.store('set', `${prefix}text`, Buffer.from('abc'));
  await assert.rejects(session.counter('incr', `${prefix}text`, 1n), (e: unknown) => isDriverError(e) && /does not hold a number/.test(e.message));
  assert.equal(await session.touch(k, 100), true);
  assert.equal(await session.touch(`${prefix}nope`, 100), false);
  assert.equal(await session.delete(k), true);
  assert.equal(await session.delete(k), false);
});

test('multi get, set and delete', async () => {
  const keys = Array.from({ length: 50 }, (_, i) => `${prefix}multi:${i}`);
  assert.equal(await session.setMulti(keys.map((key, i) => ({ key, data: Buffer.from(String(i)) }))), 50);
  const items = await session.getMulti([...keys, `${prefix}missing`]);
  assert.equal(items.length, 50);
  assert.deepEqual(new Set(items.map((i) => i.data.toString())), new Set(keys.map((_, i) => String(i))));
  assert.equal(await session.deleteMulti(keys.map((key) => ({ key }))), 50);
  assert.equal((await session.getMulti(keys)).length, 0);
});

test('gets + cas: a concurrent change is reported, not overwritten', async () => {
  const k = `${prefix}cas`;
  await session.store('set', k, Buffer.from('original'), { flags: 3 });
  const read = await session.get(k);
  assert.ok(read?.cas);
  const other = await raw(profile.servers[0]!);
  await other.send(`set ${k} 0 0 5\r\nother\r\n`, 1);
  assert.equal(await session.compareAndSet(read, Buffer.from('mine')), 'conflict');
  assert.equal((await session.get(k))?.data.toString(), 'other', 'the other write survives');
  const fresh = (await session.get(k))!;
  assert.equal(await session.compareAndSet(fresh, Buffer.from('mine')), 'saved');
  assert.equal((await session.get(k))?.flags, 0, 'flags come from the read item');
  await other.send(`delete ${k}\r\n`, 1);
  assert.equal(await session.compareAndSet(fresh, Buffer.from('again')), 'gone');
  other.close();
});

test('binary values round-trip byte for byte; compressed, pickled and integer flags decode', async () => {
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  await session.store('set', `${prefix}bin`, Buffer.concat([bytes, Buffer.from('\r\nEND\r\n')]));
  const bin = await session.get(`${prefix}bin`);
  assert.deepEqual(bin?.data, Buffer.concat([bytes, Buffer.from('\r\nEND\r\n')]));
  assert.equal(bin?.decoded.format, 'binary');
  assert.match(bin?.decoded.display ?? '', /^00000000  00 01 02 03/);
  await session.store('set', `${prefix}zjson`, deflateSync(Buffer.from('{"compressed":true}')), { flags: 8 });
  const z = await session.get(`${prefix}zjson`);
  assert.equal(z?.decoded.format, 'json');
  assert.deepEqual(z?.decoded.notes, [{ kind: 'inflated' }, { kind: 'json' }]);
  assert.equal(z?.decoded.editable, false, 'compressed values are not written back as text');
  await session.store('set', `${prefix}pickle`, Buffer.from([0x80, 0x04, 0x95, 0x05, 0x00, 0x2e]), { flags: 1 });
  const p = await session.get(`${prefix}pickle`);
  assert.equal(p?.decoded.format, 'pickle');
  assert.deepEqual(p?.decoded.notes.map((n) => n.kind), ['pickleUnreadable'], 'a cut pickle is shown as bytes, never unpickled');
  await session.store('set', `${prefix}ünïcode:键`, Buffer.from('värde ✓'));
  assert.equal((await session.get(`${prefix}ünïcode:键`))?.data.toString(), 'värde ✓');
  await assert.rejects(session.store('set', 'has space', Buffer.from('x')), (e: unknown) => isDriverError(e) && /space/.test(e.message));
  await assert.rejects(session.store('set', 'k'.repeat(251), Buffer.from('x')), (e: unknown) => isDriverError(e) && /250 bytes/.test(e.message));
  await assert.rejects(session.store('set', `${prefix}huge`, Buffer.alloc(2 * 1024 * 1024)), (e: unknown) => isDriverError(e) && /item size limit/.test(e.message));
});

test('stats groups are listed under each server', async () => {
  const [server] = await session.children();
  const groups = await session.children(server);
  assert.deepEqual(groups.map((g) => g.label), ['stats', 'slabs', 'items', 'settings', 'conns']);
  const settings = await session.children(groups[3]);
  assert.ok(settings.some((s) => s.label === 'maxbytes'));
});

for (const mapping of ['memjs', 'ketama', 'python'] as const) {
  test(`a pool of three weighted servers: every key is on the server the ${mapping} mapping names`, async () => {
    const pool = await driver.connect({ ...profile, servers: parse(need('MEMCACHED_POOL'), [1, 2, 3]), mapping }, options);
    const keys = Array.from({ length: 600 }, (_, i) => `${prefix}${mapping}:${i}`);
    await pool.setMulti(keys.map((key) => ({ key, data: Buffer.from('v') })));
    const found: KeyInfo[] = [];
    await pool.listKeys((batch) => found.push(...batch.filter((k) => k.key.startsWith(`${prefix}${mapping}:`))), { cap: 1_000_000 });
    assert.equal(found.length, 600);
    for (const info of found) assert.equal(info.server, pool.serverOf(info.key), info.key);
    const perServer = pool.servers.map((s) => found.filter((f) => f.server === s).length);
    assert.ok(perServer.every((n) => n > 0), `every server holds keys: ${perServer.join(', ')}`);
    if (mapping !== 'memjs') assert.ok(perServer[2]! > perServer[0]!, `weights count: ${perServer.join(', ')}`);
    await pool.deleteMulti(keys.map((key) => ({ key })));
    await pool.close();
  });
}

test('listing streams 100,000 keys in batches, with a cap and cancel', async () => {
  const server = parse(need('MEMCACHED_POOL'))[0]!;
  const loader = await raw(server);
  await loader.send('flush_all\r\n', 1);
  for (let start = 0; start < 100_000; start += 10_000) {
    let text = '';
    for (let i = start; i < start + 10_000; i++) text += `set bulk:${i} 0 0 1 noreply\r\nx\r\n`;
    await loader.send(`${text}version\r\n`, 1);
  }
  loader.close();
  const single = await driver.connect({ ...profile, servers: [server] }, options);
  try {
    let batches = 0;
    const seen = new Set<string>();
    const [result] = await single.listKeys((batch) => {
      batches++;
      for (const k of batch) seen.add(k.key);
    }, { cap: 1_000_000 });
    assert.equal(result?.method, 'metadump');
    // The crawler walks live LRU segments; the server's LRU maintainer may move an item past it mid-walk.
    assert.ok(seen.size >= 99_990 && seen.size <= 100_000, `${seen.size} keys listed`);
    assert.ok(batches > 10, 'delivered in batches as it streams');
    let capped = 0;
    const [cappedResult] = await single.listKeys((batch) => (capped += batch.length), { cap: 5000 });
    assert.equal(cappedResult?.capped, true);
    assert.ok(capped >= 5000 && capped < 7000, String(capped));
    const controller = new AbortController();
    let got = 0;
    await assert.rejects(single.listKeys((batch) => {
      got += batch.length;
      if (got > 10_000) controller.abort();
    }, { cap: 1_000_000, signal: controller.signal }));
    assert.ok(got < 100_000);
  } finally {
    await single.close();
  }
});
