import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { driver, MemcachedSession } from '../../src/drivers/memcached';
import { MemcachedProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * What a compromised or buggy webview can send reaches the driver unchecked by the type system. Every word a
 * command line is built from is checked in the driver, on every path (an explicit server included): a key or a
 * mode with CR LF in it would otherwise run a second command, such as flush_all, on the server.
 */

/** A value as a webview may send it, whatever its declared type says. */
const hostile = <T>(value: unknown): T => value as T;

const [host = '', port = ''] = need('MEMCACHED_SERVERS').split(',')[0]!.split(':');
const profile: MemcachedProfile = { id: 'mc-hostile', name: 'hostile', kind: 'memcached', servers: [{ host, port: Number(port), weight: 1 }], readOnly: false };
const SENTINEL = 'sbtest:hostile:sentinel';
let session: MemcachedSession;
let server: string;

before(async () => {
  session = await driver.connect(profile, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
  server = session.servers[0]!;
});
after(() => session.close());

const refused = (error: unknown): boolean => {
  assert.ok(isDriverError(error), String(error));
  assert.equal(error.code, 'config', error.message);
  return true;
};

const INJECTED = ['k\r\nflush_all', 'k\nflush_all', 'k flush_all', 'k\tx', 'k\u0000', 'k\u007f', 'k\u000b', 'x'.repeat(251), 'é'.repeat(126), 'k\ud800', ''];
const BY_KEY: [string, (key: string) => Promise<unknown>][] = [
  ['get', (k) => session.get(k)],
  ['get from a given server', (k) => session.get(k, server)],
  ['get many', (k) => session.getMulti([k])],
  ['set', (k) => session.store('set', k, Buffer.from('x'))],
  ['set on a given server', (k) => session.store('set', k, Buffer.from('x'), { server })],
  ['cas save', (k) => session.compareAndSet({ key: k, server, cas: '1', flags: 0 }, Buffer.from('x'))],
  ['set many', (k) => session.setMulti([{ key: k, data: Buffer.from('x') }])],
  ['incr on a given server', (k) => session.counter('incr', k, 1n, server)],
  ['decr', (k) => session.counter('decr', k, 1n)],
  ['touch on a given server', (k) => session.touch(k, 10, server)],
  ['touch', (k) => session.touch(k, 10)],
  ['delete on a given server', (k) => session.delete(k, server)],
  ['delete many on given servers', (k) => session.deleteMulti([{ key: k, server }])],
];

for (const [name, op] of BY_KEY) {
  test(`every key is checked in the driver: ${name}`, async () => {
    await session.store('set', SENTINEL, Buffer.from('still here'));
    for (const key of INJECTED) await assert.rejects(op(key), refused, JSON.stringify(key));
    assert.equal((await session.get(SENTINEL))?.data.toString(), 'still here', 'nothing was flushed or overwritten');
  });
}

test('every other word of a command is checked too: mode, op, flags, TTL, cas, delta, stats group', async () => {
  await session.store('set', SENTINEL, Buffer.from('7'));
  const cases: [string, () => Promise<unknown>][] = [
    ['mode', () => session.store(hostile('set\r\nflush_all\r\nset'), SENTINEL, Buffer.from('x'))],
    ['mode (cas)', () => session.store(hostile('cas'), SENTINEL, Buffer.from('x'))],
    ['op', () => session.counter(hostile('incr\r\nflush_all\r\nincr'), SENTINEL, 1n, server)],
    ['flags', () => session.store('set', SENTINEL, Buffer.from('x'), { flags: hostile('0 0 1\r\nx\r\nflush_all') })],
    ['negative flags', () => session.store('set', SENTINEL, Buffer.from('x'), { flags: -1 })],
    ['flags over 32 bits', () => session.store('set', SENTINEL, Buffer.from('x'), { flags: 2 ** 32 })],
    ['fractional TTL', () => session.store('set', SENTINEL, Buffer.from('x'), { ttl: 1.5 })],
    ['TTL text', () => session.touch(SENTINEL, hostile('0\r\nflush_all'), server)],
    ['NaN TTL', () => session.touch(SENTINEL, Number.NaN)],
    ['negative TTL', () => session.touch(SENTINEL, -1)],
    ['cas', () => session.compareAndSet({ key: SENTINEL, server, cas: '1\r\nflush_all', flags: 0 }, Buffer.from('x'))],
    ['cas not a number', () => session.compareAndSet({ key: SENTINEL, server, cas: 'abc', flags: 0 }, Buffer.from('x'))],
    ['cas over 64 bits', () => session.compareAndSet({ key: SENTINEL, server, cas: '18446744073709551616', flags: 0 }, Buffer.from('x'))],
    ['cas flags', () => session.compareAndSet({ key: SENTINEL, server, cas: '1', flags: hostile('0 0') }, Buffer.from('x'))],
    ['negative delta', () => session.counter('incr', SENTINEL, -1n)],
    ['delta over 64 bits', () => session.counter('incr', SENTINEL, 2n ** 64n)],
    ['delta as text', () => session.counter('incr', SENTINEL, hostile('1\r\nflush_all'))],
    ['stats group', () => session.stats(server, hostile('items\r\nflush_all'))],
  ];
  for (const [name, op] of cases) await assert.rejects(op(), refused, name);
  assert.equal((await session.get(SENTINEL))?.data.toString(), '7', 'nothing was flushed or changed');
  await assert.rejects(session.touch(SENTINEL, 5, 'not-a-server:1'), refused);
});

test('keys memcached allows are accepted: non-ASCII spaces and controls are bytes above 0x7f, 250 bytes exactly', async () => {
  for (const key of ['sbtest:nbsp\u00a0key', 'sbtest:c1\u0085', 'sbtest:ideographic\u3000space', 'é'.repeat(125), `sbtest:${'k'.repeat(243)}`]) {
    assert.equal(await session.store('set', key, Buffer.from('ok')), true, JSON.stringify(key));
    assert.equal((await session.get(key, server))?.data.toString(), 'ok');
    assert.equal(await session.delete(key, server), true);
  }
});
