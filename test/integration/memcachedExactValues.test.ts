import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { driver, MemcachedSession } from '../../src/drivers/memcached';
import { MemcachedProfile } from '../../src/drivers/types';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * What the value editor shows is the stored text exactly, so saving it unchanged writes the same bytes back: no
 * parse and re-stringify (which turns 9007199254740993 into …992 and 1.10 into 1.1), no trimming; carriage returns
 * included (the browser puts them back where a text area turned them into line feeds).
 */

const [host = '', port = ''] = need('MEMCACHED_SERVERS').split(',')[0]!.split(':');
const profile: MemcachedProfile = { id: 'mc-exact', name: 'exact', kind: 'memcached', servers: [{ host, port: Number(port), weight: 1 }], readOnly: false };
const prefix = 'sbtest:exact:';
let session: MemcachedSession;

before(async () => {
  session = await driver.connect(profile, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
});
after(() => session.close());

const EXACT: [string, string, number][] = [
  ['a big integer and a decimal with a trailing zero', '{"id":9007199254740993,"price":1.10}', 0],
  ['JSON laid out by hand', '{ "spaced" :  true,\n\t"list": [1.0, 2e5, -0, 1E-7] }\n', 0],
  ['a JSON array of floats', '[0.1, 0.30000000000000004, 1e400]', 0],
  ['JSON with duplicate keys', '{"a":1,"a":2}', 0],
  ['JSON with escapes', '{"s":"\\u00e9\\n\\/"}', 0],
  ['JSON flagged as text (16)', '{"theme":"dark"}', 16],
  ['an integer with spaces (flag 2)', '  42  ', 2],
  ['text with trailing whitespace', 'hello world \n\n', 0],
  ['non-ASCII text', 'naïve ☃ 𝄞 with a BOM \ufeff', 0],
];
for (const [name, text, flags] of EXACT) {
  test(`saving unchanged writes the same bytes back: ${name}`, async () => {
    const key = `${prefix}${name.replace(/\W+/g, '-')}`;
    const stored = Buffer.from(text, 'utf8');
    await session.store('set', key, stored, { flags });
    const item = await session.get(key);
    assert.ok(item);
    assert.equal(item.decoded.editable, true, JSON.stringify(item.decoded.notes));
    assert.equal(item.decoded.display, text, 'shown exactly as stored');
    assert.equal(await session.compareAndSet(item, Buffer.from(item.decoded.display, 'utf8')), 'saved');
    assert.deepEqual((await session.get(key))?.data, stored, 'the bytes are the ones that were there');
    await session.delete(key);
  });
}

test('a value with carriage returns is shown exactly and editable: the browser puts CRLFs back (and shows mixed ones read-only)', async () => {
  const key = `${prefix}crlf`;
  await session.store('set', key, Buffer.from('{"a":1,\r\n"b":2}\r\n'));
  const item = await session.get(key);
  assert.equal(item?.decoded.editable, true);
  assert.equal(item?.decoded.display, '{"a":1,\r\n"b":2}\r\n');
  await session.delete(key);
});
