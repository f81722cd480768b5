import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { isDriverError } from '../../src/drivers/errors';
import { redisSession, suiteRedis } from './redisSuite';

const { profile, options, password } = suiteRedis({ id: 'rs', name: 'redis' });
let raw: Redis;
let session: RedisSession;
let readOnly: RedisSession;
let threshold: string;

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password, db: 14 });
  threshold = String((await raw.config('GET', 'slowlog-log-slower-than'))[1]);
  session = await redisSession(profile, options);
  readOnly = await redisSession({ ...profile, readOnly: true }, options);
});

after(async () => {
  await raw.config('SET', 'slowlog-log-slower-than', threshold);
  raw.disconnect();
  await session.close();
  await readOnly.close();
});

const readOnlyRefusal = (error: unknown): boolean => isDriverError(error) && error.code === 'readOnly';

test('slow log: entries with time, duration, arguments and client; the threshold as the server has it; reset and threshold changes refused on read-only', async () => {
  await session.admin().setSlowLogThreshold(0);
  assert.equal((await raw.config('GET', 'slowlog-log-slower-than'))[1], '0');
  await raw.client('SETNAME', 'slow-writer');
  await raw.set('slow:key', 'värde');
  const log = await readOnly.admin().slowLog(128);
  assert.equal(log.thresholdMicros, 0);
  assert.ok((log.maxLen ?? 0) > 0);
  const entry = log.entries.find((e) => e.args[0]?.toUpperCase() === 'SET' && e.args[1] === 'slow:key');
  assert.ok(entry, 'the SET is logged');
  assert.deepEqual(entry.args, ['set', 'slow:key', 'värde']);
  assert.equal(entry.clientName, 'slow-writer');
  assert.ok(entry.at > Date.now() - 60_000 && entry.micros >= 0);
  await assert.rejects(readOnly.admin().resetSlowLog(), readOnlyRefusal);
  await assert.rejects(readOnly.admin().setSlowLogThreshold(10_000), readOnlyRefusal);
  assert.equal((await raw.config('GET', 'slowlog-log-slower-than'))[1], '0', 'the refused change did not happen');
  await assert.rejects(session.admin().setSlowLogThreshold(-5), /whole number of microseconds/);
  await assert.rejects(session.admin().setSlowLogThreshold(1.5), /whole number of microseconds/);
  await session.admin().setSlowLogThreshold(1_000_000);
  await session.admin().resetSlowLog();
  assert.equal(Number(await raw.call('SLOWLOG', 'LEN')), 0);
});

test('clients: every connection with address, name, db, idle time and last command; kill by id, refused on read-only', async () => {
  const victim = new Redis({ host: profile.host, port: profile.port, password, db: 14, connectionName: 'victim', retryStrategy: () => null });
  victim.on('error', () => undefined);
  const id = String(await victim.client('ID'));
  await victim.get('anything');
  const clients = await readOnly.admin().clients();
  const found = clients.find((c) => c.id === id);
  assert.ok(found, 'the victim is listed');
  assert.deepEqual([found.name, found.db, found.cmd, found.own], ['victim', 14, 'get', false]);
  assert.match(found.addr, /^127\.0\.0\.1:\d+$/);
  assert.ok(found.idleSeconds >= 0 && found.ageSeconds >= 0);
  assert.ok(clients.some((c) => c.own), 'the session\'s own connections are marked');
  await assert.rejects(readOnly.admin().killClient(id, found.server), readOnlyRefusal);
  assert.equal(victim.status, 'ready', 'the refused kill did not happen');
  await assert.rejects(session.admin().killClient('1 TYPE normal', found.server), /client id is a number/);
  await assert.rejects(session.admin().killClient(id, '10.0.0.1:6379'), /not one of this connection's servers/);
  const closed = new Promise((resolve) => victim.once('end', resolve));
  assert.equal(await session.admin().killClient(id, found.server), true);
  await closed;
  assert.equal(await session.admin().killClient(id, found.server), false, 'a client already gone');
  victim.disconnect();
});
