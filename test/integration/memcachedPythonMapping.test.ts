import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { driver } from '../../src/drivers/memcached';
import { keyMapper } from '../../src/drivers/memcached/hashing';
import { MemcachedProfile, MemcachedServer } from '../../src/drivers/types';
import { need, pinnedHostKey, refusedPort, TIMEOUT_MS } from './env';
import { eventually } from '../eventually';

/**
 * The python mapping is checked against python-memcached itself (Debian's python3-memcache, the client the mapping
 * claims to follow): for thousands of keys, on pools with weights and with servers down, the real client's
 * `_get_server` and Switchboard name the same server; and keys the real client stored are found where it put them.
 */

const PYTHON = '/usr/bin/python3';
/** Reads {servers: [["host:port", weight]], keys: [...], store?: value} and prints the index each key goes to (or null). */
const CLIENT = `
import json, sys, memcache
job = json.load(sys.stdin)
client = memcache.Client([(s, w) for s, w in job["servers"]])
index = {id(s): i for i, s in enumerate(client.servers)}
out = []
for key in job["keys"]:
    server, _ = client._get_server(client._encode_key(key))
    out.append(None if server is None else index[id(server)])
    if "store" in job and not client.set(key, job["store"] + key):
        raise SystemExit("python-memcached did not store " + repr(key))
print(json.dumps(out))
`;

function python(servers: readonly [string, number][], keys: readonly string[], store?: string): (number | null)[] {
  const run = spawnSync(PYTHON, ['-c', CLIENT], { input: JSON.stringify({ servers, keys, ...(store !== undefined ? { store } : {}) }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `python3-memcache (apt-get install -y python3-memcache): ${run.stderr}`);
  const parsed: unknown = JSON.parse(run.stdout);
  assert.ok(Array.isArray(parsed));
  return parsed.map((v) => (typeof v === 'number' ? v : null));
}

/** A small deterministic generator, so a failure names keys that come back on the next run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cmemcacheHash = (key: string): number => (crc32(Buffer.from(key, 'utf8')) >>> 16) & 0x7fff;
const ALPHABETS = ['abcdefghijklmnopqrstuvwxyz0123456789:_-./', '!"#$%&\'()*+,;<=>?@[\\]^`{|}~', 'äöüßéèçñøå', 'ключ键値키', '𝄞😀🀄'];

/** Keys of every kind python-memcached accepts: printable ASCII, non-ASCII, up to exactly 250 bytes, and hash 0. */
function sampleKeys(): string[] {
  const next = random(20240611);
  const keys = new Set<string>();
  while (keys.size < 6000) {
    const alphabet = [...ALPHABETS[Math.floor(next() * ALPHABETS.length)]!, ...ALPHABETS[0]!];
    const length = next() < 0.1 ? 250 : 1 + Math.floor(next() * 60);
    let key = '';
    for (;;) {
      const char = alphabet[Math.floor(next() * alphabet.length)]!;
      if (Buffer.byteLength(key + char) > length) break;
      key += char;
    }
    if (key) keys.add(key);
  }
  // cmemcache_hash maps a hash of 0 to 1: the keys where a plain CRC mapping goes wrong.
  for (let i = 0, zero = 0, one = 0; zero < 40 || one < 10; i++) {
    const key = `sbpy:${i}`;
    const hash = cmemcacheHash(key);
    if (hash === 0 && zero < 40) (keys.add(key), zero++);
    if (hash === 1 && one < 10) (keys.add(key), one++);
  }
  for (const edge of ['a', '0', '~', 'é', '𝄞', 'x'.repeat(250), 'é'.repeat(125), `${'x'.repeat(246)}𝄞`]) keys.add(edge);
  return [...keys];
}

const KEYS = sampleKeys();
const live = need('MEMCACHED_POOL').split(',');
const asServers = (entries: readonly [string, number][]): MemcachedServer[] => entries.map(([address, weight]) => {
  const [host = '', port = ''] = address.split(':');
  return { host, port: Number(port), weight };
});

test('python mapping: the sample holds keys of hash 0, non-ASCII keys and 250-byte keys', () => {
  assert.ok(KEYS.length > 6000);
  assert.ok(KEYS.filter((k) => cmemcacheHash(k) === 0).length >= 40);
  assert.ok(KEYS.some((k) => /[^\x00-\x7f]/.test(k) && Buffer.byteLength(k) === 250));
});

const POOLS: [string, [number, number, number]][] = [['equal weights', [1, 1, 1]], ['weights 1, 3, 2', [1, 3, 2]], ['weights 7, 1, 4', [7, 1, 4]]];
for (const [name, weights] of POOLS) {
  test(`python mapping agrees with python-memcached for every key: three servers, ${name}`, () => {
    const servers: [string, number][] = live.map((address, i) => [address, weights[i]!]);
    const expected = python(servers, KEYS);
    const mapper = keyMapper(asServers(servers), 'python');
    const differing = KEYS.filter((key, i) => mapper(key) !== expected[i]);
    assert.deepEqual(differing.slice(0, 10), [], `${differing.length} of ${KEYS.length} keys differ`);
  });
}

test('python mapping agrees with python-memcached when servers are down: its rehash is followed, and no server at all is none', async () => {
  const dead = [`127.0.0.1:${await refusedPort()}`, `127.0.0.1:${await refusedPort()}`];
  const pools: [string, number][][] = [
    [[live[0]!, 1], [dead[0]!, 2], [live[1]!, 1]],
    [[dead[0]!, 1], [dead[1]!, 1], [live[2]!, 3]],
    [[dead[0]!, 1], [dead[1]!, 1]],
  ];
  for (const servers of pools) {
    const expected = python(servers, KEYS);
    const up = servers.map(([address]) => !dead.includes(address));
    const mapper = keyMapper(asServers(servers), 'python');
    const differing = KEYS.filter((key, i) => mapper(key, (index) => up[index] === true) !== (expected[i] ?? undefined));
    assert.deepEqual(differing.slice(0, 10), [], `${servers.map(([a, w]) => `${a}×${w}`).join(', ')}: ${differing.length} of ${KEYS.length} keys differ`);
  }
});

test('keys python-memcached stored in a weighted pool are read by Switchboard from the server it chose, hash-0 keys included', async () => {
  const servers: [string, number][] = live.map((address, i) => [address, [1, 3, 2][i]!]);
  const keys = [...KEYS.filter((k) => k.startsWith('sbpy:')), ...KEYS.slice(0, 500)];
  python(servers, keys, 'from python:');
  const profile: MemcachedProfile = { id: 'py', name: 'python pool', kind: 'memcached', servers: asServers(servers), mapping: 'python', readOnly: true };
  const session = await driver.connect(profile, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
  try {
    const missing: string[] = [];
    for (const key of keys) {
      const item = await session.get(key);
      if (item?.data.toString('utf8') !== `from python:${key}`) missing.push(key);
    }
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${keys.length} keys not found where the mapping says`);
  } finally {
    await session.close();
    const cleaner = await driver.connect({ ...profile, readOnly: false }, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
    await cleaner.deleteMulti(keys.map((key) => ({ key })));
    await cleaner.close();
  }
});

test('a session on a python-mapped pool follows python-memcached\'s rehash while a server is down, down to keys no live server takes', { timeout: 60_000 }, async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { startMemcached } = await import('../services/memcached');
  const root = mkdtempSync(join(tmpdir(), 'switchboard-pyrehash-'));
  const servers = await Promise.all([1, 2, 3].map((n) => startMemcached(root, `py-${n}`)));
  const pool: [string, number][] = servers.map((s, i) => [s.servers, [2, 1, 1][i]!]);
  const profile: MemcachedProfile = { id: 'py-rehash', name: 'python pool', kind: 'memcached', servers: asServers(pool), mapping: 'python', readOnly: true };
  const session = await driver.connect(profile, { secrets: {}, timeoutMs: 1000, hostKeys: pinnedHostKey('x AAAA') });
  try {
    const keys = KEYS.slice(0, 2000);
    const allUp = python(pool, keys);
    assert.deepEqual(keys.map((k) => session.servers.indexOf(session.serverOf(k))), allUp);
    const picked = (key: string): number | null => {
      try {
        return session.servers.indexOf(session.serverOf(key));
      } catch {
        return null;
      }
    };
    // The server python puts most keys on goes away: the session sees the connection drop, python sees it refused.
    await servers[0]!.stop();
    await eventually('the session to see the first server gone', () => picked(keys[allUp.indexOf(0)]!) !== 0);
    const oneDown = python(pool, keys);
    assert.ok(oneDown.every((i) => i !== 0) && oneDown.some((i, n) => i !== allUp[n]));
    assert.ok(oneDown.includes(null), 'some keys hit the dead server on all ten tries');
    const differing = keys.filter((k, i) => picked(k) !== oneDown[i]);
    assert.deepEqual(differing.slice(0, 10), [], `${differing.length} keys differ with a server down`);
  } finally {
    await session.close();
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(root, { recursive: true, force: true });
  }
});

/** What python-memcached stores for Python values: a dict pickled (flag 1), a long text zlib-compressed (flag 8), an object whose pickle would run a command. */
const WRITER = `
import os, memcache
class Evil:
    def __reduce__(self):
        return (os.system, ('touch ' + os.environ['MARKER'],))
client = memcache.Client([os.environ['SERVER']])
assert client.set('sb:py:dict', {'user': 'ada', 'visits': [1, 2.5], 'name': '张三'})
assert client.set('sb:py:long', 'lorem ipsum ' * 500, min_compress_len=100)
assert client.set('sb:py:evil', Evil())
`;

test('values python-memcached pickles and compresses read as what they hold: a dict as its structure, never unpickled; a compressed text inflated', async () => {
  const [server] = need('MEMCACHED_SERVERS').split(',');
  const dir = mkdtempSync(join(tmpdir(), 'sb-mc-pickle-'));
  const marker = join(dir, 'ran');
  try {
    const run = spawnSync(PYTHON, ['-c', WRITER], { env: { ...process.env, SERVER: server!, MARKER: marker }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const [host, port] = server!.split(':');
    const profile: MemcachedProfile = { id: 'pyvalues', name: 'python values', kind: 'memcached', servers: [{ host: host!, port: Number(port), weight: 1 }], readOnly: true };
    const session = await driver.connect(profile, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
    try {
      const dict = (await session.get('sb:py:dict'))?.decoded;
      assert.equal(dict?.format, 'pickle');
      assert.equal(dict?.editable, false);
      assert.deepEqual(dict?.notes, [{ kind: 'pickle' }]);
      for (const line of ['dict', '  user: ada', '  visits: list', '    0: 1 (int)', '    1: 2.5 (float)', '  name: 张三']) assert.ok(dict?.display.split('\n').includes(line), `${line} in\n${dict?.display}`);
      const long = (await session.get('sb:py:long'))?.decoded;
      assert.equal(long?.display, 'lorem ipsum '.repeat(500));
      assert.deepEqual(long?.notes.map((n) => n.kind), ['inflated', 'text']);
      const evil = (await session.get('sb:py:evil'))?.decoded;
      assert.match(evil?.display ?? '', /posix\.system \(REDUCE, never run\)/);
      assert.equal(existsSync(marker), false, 'the pickle\'s command did not run');
    } finally {
      await session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
