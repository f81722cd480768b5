import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from 'ioredis';
import { driver, RedisSession } from '../../src/drivers/redis';
import { KeyRow } from '../../src/drivers/redis/shapes';
import { keyRef } from '../../src/drivers/redis/keys';
import { RedisProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';
import { redisSession } from './redisSuite';
import { eventually } from '../eventually';

const nodes = need('REDIS_CLUSTER').split(',');
const [seedHost, seedPort] = nodes[0]!.split(':');
const password = decodeURIComponent(new URL(need('REDIS_URL')).password);
const profile: RedisProfile = { id: 'rc', name: 'cluster', kind: 'redis', host: seedHost!, port: Number(seedPort), tls: false, db: 0, readOnly: false, cluster: true };
const options = { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const KEYS = 300;
const key = (text: string) => ({ text });

let raw: Cluster;
let session: RedisSession;

before(async () => {
  raw = new Cluster(nodes.map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })), { redisOptions: { password } });
  await Promise.all(raw.nodes('master').map((n) => n.flushdb()));
  await Promise.all(Array.from({ length: KEYS }, (_, i) => raw.set(`user:${i}`, `value ${i}`)));
  await raw.hset('profile:{ada}', 'name', 'Ada', 'lang', 'en');
  session = await redisSession(profile, options);
});

after(async () => {
  await session.close();
  await Promise.all(raw.nodes('master').map((n) => n.flushdb()));
  raw.disconnect();
});

test('redis cluster: the tree shows db0 with every master\'s keys, and the nodes with their slots', async () => {
  assert.match(await session.describe(), /^Redis \d.* \(cluster\)$/);
  const [db, clusterNode] = await session.children();
  assert.equal(db?.description, `${KEYS + 1} keys`);
  const members = await session.children(clusterNode);
  assert.equal(members.length, 3);
  const slots = members.map((m) => /slots ([\d-, ]+)/.exec(m.description ?? '')?.[1] ?? '');
  assert.ok(members.every((m) => /^master · slots \d/.test(m.description ?? '')), JSON.stringify(members));
  const covered = slots.flatMap((s) => s.split(', ')).reduce((n, range) => {
    const [from, to = from] = range.split('-').map(Number);
    return n + (to! - from! + 1);
  }, 0);
  assert.equal(covered, 16384, 'every slot is owned once');
});

test('redis cluster: SCAN covers every master, and metadata comes back for keys on different nodes', async () => {
  const found: KeyRow[] = [];
  let last = { scanned: 0, total: 0, done: false };
  const result = await session.scan(0, { match: 'user:*', onKeys: (keys) => found.push(...keys.map((key) => ({ ...keyRef(key), type: '', ttl: -1 }))), onProgress: (p) => { last = p; } });
  assert.equal(found.length, KEYS);
  assert.equal(result.found, KEYS);
  assert.equal(last.total, KEYS + 1);
  assert.ok(last.done);
  const rows = await session.metadata(0, found.slice(0, 50));
  assert.ok(rows.every((r) => r.type === 'string' && r.ttl === -1 && (r.memory ?? 0) > 0), JSON.stringify(rows.slice(0, 3)));
  const exact: Buffer[] = [];
  await session.scan(0, { match: 'profile:{ada}', onKeys: (keys) => exact.push(...keys) });
  assert.deepEqual((await session.metadata(0, exact.map(keyRef))).map((r) => [r.text, r.type]), [['profile:{ada}', 'hash']]);
});

test('redis cluster: values, checked saves on the owning master, edits, renames and deletes', async () => {
  const page = await session.value(0, key('profile:{ada}'), { limit: 10 });
  assert.ok(page.type === 'hash' && page.total === 2);
  assert.equal(await session.saveString(0, key('user:7'), Buffer.from('edited'), Buffer.from('value 7')), 'saved');
  assert.equal(await raw.get('user:7'), 'edited');
  assert.equal(await session.saveString(0, key('user:7'), Buffer.from('again'), Buffer.from('stale')), 'conflict');
  await session.edit(0, key('profile:{ada}'), { type: 'hash', op: 'set', field: 'born', value: '1815' });
  assert.equal(await raw.hget('profile:{ada}', 'born'), '1815');
  assert.equal(await session.rename(0, key('profile:{ada}'), key('archive:{ada}'), false), true, 'same hash tag, same slot');
  await assert.rejects(session.rename(0, key('user:1'), key('user:2-renamed'), true), (e: unknown) => isDriverError(e) && /different cluster slots/.test(e.message));
  assert.equal(await session.deleteKeys(0, [key('user:1'), key('user:2'), key('user:3')]), 3, 'keys on different slots, one UNLINK each');
});

test('redis cluster: delete by pattern counts and removes across every master; export and import round-trip', async () => {
  const lines: string[] = [];
  const { exported, skipped } = await session.exportKeys(0, 'user:1*', async (line) => { lines.push(line); });
  assert.equal(skipped, 0);
  assert.equal(lines.filter((line) => line.startsWith('{"key":')).length, exported);
  assert.ok(exported > 50);
  const count = await session.deleteMatching(0, 'user:1*', { dryRun: true });
  assert.equal(count, exported);
  assert.equal(await session.deleteMatching(0, 'user:1*', { dryRun: false }), exported);
  assert.equal((await raw.keys('user:1*')).length, 0);
  async function* replay() { yield* lines; }
  const result = await session.importLines(0, replay(), false);
  assert.deepEqual([result.written, result.kept], [exported, 0]);
  assert.equal(await raw.get('user:10'), 'value 10');
});

test('redis cluster: other databases, a standalone server and a read-only connection are refused clearly', async () => {
  await assert.rejects(session.scan(1, { match: '*', onKeys: () => undefined }), /only database 0/);
  const standalone = new URL(need('REDIS_URL'));
  await assert.rejects(driver.connect({ ...profile, port: Number(standalone.port) }, options), (e: unknown) => isDriverError(e) && /not answer as part of a Redis Cluster/.test(e.message));
  const ro = await redisSession({ ...profile, readOnly: true }, options);
  try {
    await assert.rejects(ro.deleteMatching(0, 'user:*', { dryRun: false }), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
    await assert.rejects(ro.saveString(0, key('user:5'), Buffer.from('x'), undefined), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  } finally {
    await ro.close();
  }
});

test('redis cluster: the console sends each command to the node owning its key; pub/sub reaches subscribers', async () => {
  const cli = session.console();
  const arg = (text: string) => Buffer.from(text);
  try {
    for (let i = 0; i < 20; i++) await cli.run([arg('SET'), arg(`cli:${i}`), arg(String(i))]);
    assert.equal(String(await cli.run([arg('GET'), arg('cli:13')])), '13');
    assert.equal(await raw.get('cli:19'), '19');
  } finally {
    cli.close();
  }
  const got: string[] = [];
  const subscription = await session.subscribe(['news'], [], (m) => got.push(m.message));
  try {
    // The subscription is made (SUBSCRIBE answered) on the master a publish is sent to: one publish reaches it.
    assert.equal(await session.publish('news', 'hello cluster'), 1);
    await eventually('the published message to arrive', () => got.length > 0);
    assert.deepEqual(got, ['hello cluster']);
  } finally {
    subscription.close();
  }
});
