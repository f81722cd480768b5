import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { parseCommandLine } from '../../src/drivers/redis/cli';
import { isDriverError } from '../../src/drivers/errors';
import { redisSession, suiteRedis } from './redisSuite';
import { eventually } from '../eventually';

/**
 * A read-only Redis console runs only what the server flags readonly (or what changes no data), in every spelling,
 * and scripts only as EVAL_RO / EVALSHA_RO / FCALL_RO. Each line below is typed into a read-only console on the real
 * server; afterwards the server is checked to be as it was.
 */

const NAME = 'prod (read-only)';
const { profile, options, password } = suiteRedis({ id: 'ro-console', name: NAME, readOnly: true });
const K = 'ro:console:k';
let raw: Redis;
let session: RedisSession;
let writingScript = '';
let readingScript = '';

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password });
  await raw.set(K, 'original');
  await raw.rpush('ro:console:list', '3', '1', '2');
  await raw.xadd('ro:console:stream', '1-1', 'f', 'v');
  await raw.xgroup('CREATE', 'ro:console:stream', 'g', '0');
  await raw.geoadd('ro:console:geo', 13.4, 52.5, 'berlin');
  writingScript = String(await raw.script('LOAD', "return redis.call('set', KEYS[1], 'x')"));
  readingScript = String(await raw.script('LOAD', "return redis.call('get', KEYS[1])"));
  await raw.call('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=sbreadonly\nredis.register_function('sbset', function(keys, args) return redis.call('set', keys[1], 'x') end)\nredis.register_function{function_name='sbget', callback=function(keys, args) return redis.call('get', keys[1]) end, flags={'no-writes'}}");
  session = await redisSession(profile, options);
});

after(async () => {
  await session.close();
  await raw.del(K, 'ro:console:list', 'ro:console:stream', 'ro:console:geo', 'ro:console:copy', 'ro:console:dst');
  await raw.call('FUNCTION', 'DELETE', 'sbreadonly');
  raw.disconnect();
});

const REFUSED = [
  `EVAL "redis.call('set',KEYS[1],'x')" 1 ${K}`,
  `eval "redis.call('set',KEYS[1],'x')" 1 ${K}`,
  `EvAl "return 1" 0`,
  () => `EVALSHA ${writingScript} 1 ${K}`,
  () => `evalsha ${readingScript} 1 ${K}`,
  `FCALL sbset 1 ${K}`,
  `FCALL sbget 1 ${K}`,
  'PUBLISH ch x',
  'publish ch x',
  'SPUBLISH ch x',
  `SET ${K} x`,
  `set ${K} x`,
  `"SET" ${K} x`,
  `'s'et ${K} x`,
  `"\\x53ET" ${K} x`,
  `APPEND ${K} x`,
  `SORT ro:console:list STORE ro:console:dst`,
  'SORT ro:console:list',
  'GEORADIUS ro:console:geo 13 52 100 km STORE ro:console:dst',
  `COPY ${K} ro:console:copy`,
  `MOVE ${K} 1`,
  'SWAPDB 0 1',
  'FLUSHALL',
  'flushdb ASYNC',
  'CONFIG SET maxmemory 1',
  'config set maxmemory 1',
  'CONFIG RESETSTAT',
  'CONFIG REWRITE',
  'CONFIG NOSUCHSUB',
  'CLIENT KILL ID 1',
  'client kill ID 1',
  'CLIENT PAUSE 10',
  'CLIENT NO-EVICT on',
  'CLIENT SETNAME x',
  'DEBUG SLEEP 0',
  'DEBUG SET-ACTIVE-EXPIRE 0',
  'WAIT 0 0',
  `SCRIPT LOAD "return 1"`,
  'SCRIPT FLUSH',
  `FUNCTION LOAD "#!lua name=x\\nredis.register_function('f', function() return 1 end)"`,
  'FUNCTION DELETE sbreadonly',
  'FUNCTION FLUSH',
  'XGROUP CREATECONSUMER ro:console:stream g c',
  'XGROUP SETID ro:console:stream g 0',
  'XREADGROUP GROUP g c COUNT 1 STREAMS ro:console:stream >',
  'ACL SETUSER sb-evil on >pw +@all',
  'SLOWLOG RESET',
  'LATENCY RESET',
  'MEMORY PURGE',
  'BGSAVE',
  'SAVE',
  'SHUTDOWN NOSAVE',
  'REPLICAOF NO ONE',
  'FAILOVER',
  'MONITOR',
  'SUBSCRIBE ch',
  'MIGRATE 127.0.0.1 1 k 0 1',
  'OBJECT FREQ-SET k 1',
  'nosuchcommand',
  '"config|get" maxmemory',
  'ЕVAL "return 1" 0',
  'RESET',
  'HELLO 3',
  'CLIENT REPLY OFF',
];

test('a read-only console refuses every write, admin and script variant, in every spelling', async () => {
  const cli = session.console();
  const ran: string[] = [];
  try {
    for (const entry of REFUSED) {
      const line = typeof entry === 'string' ? entry : entry();
      try {
        const reply: unknown = await cli.run(parseCommandLine(line));
        ran.push(`${line} → ${String(reply)}`);
      } catch (error) {
        if (!isDriverError(error)) ran.push(`${line} reached the server: ${String(error)}`);
        else if (error.code === 'readOnly') assert.ok(error.message.includes(NAME), error.message);
      }
    }
  } finally {
    cli.close();
  }
  assert.deepEqual(ran, [], 'these ran on a read-only connection');
  assert.equal(await raw.get(K), 'original');
  assert.equal(await raw.exists('ro:console:copy', 'ro:console:dst'), 0);
  assert.deepEqual(await raw.lrange('ro:console:list', 0, -1), ['3', '1', '2']);
  assert.notEqual(String((await raw.config('GET', 'maxmemory'))[1]), '1');
  assert.equal(await raw.script('EXISTS', writingScript).then((r) => (Array.isArray(r) ? Number(r[0]) : 0)), 1, 'scripts were not flushed');
  const groups = await raw.xinfo('GROUPS', 'ro:console:stream');
  assert.match(JSON.stringify(groups), /"consumers",0,"pending",0,"last-delivered-id","0-0"/, 'the consumer group is as it was');
});

test('a read-only console runs reads: EVAL_RO, EVALSHA_RO and FCALL_RO (kept read-only by the server), CONFIG GET, CLIENT LIST, OBJECT, XINFO, SELECT, MULTI', async () => {
  const cli = session.console();
  const run = (line: string): Promise<unknown> => cli.run(parseCommandLine(line));
  try {
    assert.deepEqual(await run(`GET ${K}`), Buffer.from('original'));
    assert.deepEqual(await run(`get ${K}`), Buffer.from('original'));
    assert.deepEqual(await run(`EVAL_RO "return redis.call('get',KEYS[1])" 1 ${K}`), Buffer.from('original'));
    await assert.rejects(run(`EVAL_RO "return redis.call('set',KEYS[1],'x')" 1 ${K}`), /Write commands are not allowed from read-only scripts/);
    assert.deepEqual(await run(`EVALSHA_RO ${readingScript} 1 ${K}`), Buffer.from('original'));
    await assert.rejects(run(`evalsha_ro ${writingScript} 1 ${K}`), /Write commands are not allowed from read-only scripts/);
    assert.deepEqual(await run(`FCALL_RO sbget 1 ${K}`), Buffer.from('original'));
    await assert.rejects(run(`FCALL_RO sbset 1 ${K}`), /write flag/);
    assert.ok(Array.isArray(await run('CONFIG GET maxmemory')));
    assert.ok(Array.isArray(await run('config get maxmemory')));
    assert.match(String(await run('CLIENT LIST')), /name=switchboard/);
    assert.deepEqual(await run(`OBJECT ENCODING ${K}`), Buffer.from('embstr'));
    assert.ok(Array.isArray(await run('XINFO GROUPS ro:console:stream')));
    assert.ok(Array.isArray(await run('SORT_RO ro:console:list')));
    assert.ok(Array.isArray(await run('GEORADIUS_RO ro:console:geo 13 52 100 km')));
    assert.ok(Array.isArray(await run('SCAN 0 MATCH ro:console:*')));
    assert.equal(typeof (await run(`MEMORY USAGE ${K}`)), 'number');
    assert.ok(Array.isArray(await run('PUBSUB CHANNELS')));
    assert.equal(typeof (await run('COMMAND COUNT')), 'number');
    assert.deepEqual(await run('PING'), Buffer.from('PONG'));
    assert.deepEqual(await run('SELECT 1'), Buffer.from('OK'));
    assert.deepEqual(await run('SELECT 0'), Buffer.from('OK'));
    // A transaction runs only what was allowed into it: the SET is refused before it is queued.
    assert.deepEqual(await run('MULTI'), Buffer.from('OK'));
    await assert.rejects(run(`SET ${K} x`), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
    assert.deepEqual(await run(`GET ${K}`), Buffer.from('QUEUED'));
    assert.deepEqual(await run('EXEC'), [Buffer.from('original')]);
  } finally {
    cli.close();
  }
  assert.equal(await raw.get(K), 'original');
});

test('a read-only session may subscribe (it only receives) but not publish', async () => {
  const got: string[] = [];
  const subscription = await session.subscribe(['ro:console:ch'], [], (m) => got.push(m.message));
  try {
    await raw.publish('ro:console:ch', 'hello');
    await eventually('the published message to arrive', () => got.length > 0);
    assert.deepEqual(got, ['hello']);
    await assert.rejects(session.publish('ro:console:ch', 'x'), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  } finally {
    subscription.close();
  }
});
