import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Redis from 'ioredis';
import { connect as amqpConnect } from 'amqplib';
import { createConnection } from 'mysql2/promise';
import { driver as redisDriver, RedisSession } from '../../src/drivers/redis';
import { driver as memcachedDriver, MemcachedSession } from '../../src/drivers/memcached';
import { driver as rabbitDriver, RabbitMqSession } from '../../src/drivers/rabbitmq';
import { driver as mysqlDriver, MySqlSession, splitStatements } from '../../src/drivers/mysql';
import { driver as sshDriver, SshSession } from '../../src/drivers/ssh';
import { isDriverError } from '../../src/drivers/errors';
import { CollectedRows, need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Read-only connections of every kind, one test per write operation: each is refused in the driver with a
 * 'readOnly' error that names the connection, and what it would have changed is checked to be unchanged.
 */

const NAME = 'prod (read-only)';
const noKeys = pinnedHostKey('x AAAA');
const refused = (error: unknown): boolean => {
  assert.ok(isDriverError(error), String(error));
  assert.equal(error.code, 'readOnly', error.message);
  assert.ok(error.message.includes(NAME), error.message);
  return true;
};

const redisUrl = new URL(need('REDIS_URL'));
const amqpUrl = new URL(need('AMQP_URL'));
const mysqlUrl = new URL(need('MYSQL_URL'));
const DB = mysqlUrl.pathname.slice(1);
const KEY = 'readonly:probe';
const Q = 'switchboard.readonly.probe';
const local = mkdtempSync(join(tmpdir(), 'switchboard-readonly-'));

let redisRaw: Redis;
let redis: RedisSession;
let memcached: MemcachedSession;
let rabbit: RabbitMqSession;
let mysql: MySqlSession;
let ssh: SshSession;
let home: string;

before(async () => {
  redisRaw = new Redis(need('REDIS_URL'));
  await redisRaw.set(KEY, 'original');
  await redisRaw.hset(`${KEY}:hash`, 'field', 'original');
  const base = { id: 'ro', name: NAME, readOnly: true } as const;
  redis = await redisDriver.connect({ ...base, kind: 'redis', host: redisUrl.hostname, port: Number(redisUrl.port), tls: false, db: 0 }, { secrets: { password: decodeURIComponent(redisUrl.password) }, timeoutMs: TIMEOUT_MS, hostKeys: noKeys });
  const [mcHost, mcPort] = need('MEMCACHED_SERVERS').split(',')[0]!.split(':');
  const writer = await memcachedDriver.connect({ ...base, readOnly: false, kind: 'memcached', servers: [{ host: mcHost!, port: Number(mcPort), weight: 1 }] }, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: noKeys });
  await writer.store('set', KEY, Buffer.from('7'));
  await writer.close();
  memcached = await memcachedDriver.connect({ ...base, kind: 'memcached', servers: [{ host: mcHost!, port: Number(mcPort), weight: 1 }] }, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: noKeys });
  const amqp = await amqpConnect(need('AMQP_URL'));
  const channel = await amqp.createConfirmChannel();
  await channel.assertQueue(Q, { durable: false, autoDelete: false });
  await channel.purgeQueue(Q);
  channel.sendToQueue(Q, Buffer.from('keep me'));
  await channel.waitForConfirms();
  await amqp.close();
  rabbit = await rabbitDriver.connect({ ...base, kind: 'rabbitmq', host: amqpUrl.hostname, port: Number(amqpUrl.port), username: decodeURIComponent(amqpUrl.username), vhost: '/', tls: false }, { secrets: { password: decodeURIComponent(amqpUrl.password) }, timeoutMs: TIMEOUT_MS, hostKeys: noKeys });
  const db = await createConnection(need('MYSQL_URL'));
  await db.query('CREATE TABLE IF NOT EXISTS readonly_probe (id INT PRIMARY KEY, v VARCHAR(20))');
  await db.query("REPLACE INTO readonly_probe VALUES (1, 'original')");
  await db.end();
  mysql = await mysqlDriver.connect({ ...base, kind: 'mysql', host: mysqlUrl.hostname, port: Number(mysqlUrl.port), username: decodeURIComponent(mysqlUrl.username), database: DB, tls: false }, { secrets: { password: decodeURIComponent(mysqlUrl.password) }, timeoutMs: TIMEOUT_MS, hostKeys: noKeys });
  ssh = await sshDriver.connect({ ...base, kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false }, { secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() });
  home = await ssh.homeDirectory();
});

after(async () => {
  await Promise.all([redis.close(), memcached.close(), rabbit.close(), mysql.close(), ssh.close()]);
  await redisRaw.del(KEY, `${KEY}:hash`);
  redisRaw.disconnect();
  const db = await createConnection(need('MYSQL_URL'));
  await db.query('DROP TABLE IF EXISTS readonly_probe');
  await db.end();
  rmSync(local, { recursive: true, force: true });
});

const redisUnchanged = async (): Promise<void> => {
  assert.equal(await redisRaw.get(KEY), 'original');
  assert.equal(await redisRaw.hget(`${KEY}:hash`, 'field'), 'original');
  assert.equal(await redisRaw.ttl(KEY), -1);
};
const key = { text: KEY };
const REDIS: [string, () => Promise<unknown>][] = [
  ['save a string', () => redis.saveString(0, key, Buffer.from('x'), Buffer.from('original'))],
  ['save a hash field', () => redis.saveHashField(0, { text: `${KEY}:hash` }, Buffer.from('field'), Buffer.from('x'), Buffer.from('original'))],
  ['add a member', () => redis.edit(0, { text: `${KEY}:hash` }, { type: 'hash', op: 'set', field: 'other', value: 'x' })],
  ['create a key', () => redis.create(0, { text: `${KEY}:new` }, { type: 'string', value: 'x' })],
  ['delete keys', () => redis.deleteKeys(0, [key])],
  ['delete by pattern', () => redis.deleteMatching(0, `${KEY}*`, { dryRun: false })],
  ['rename', () => redis.rename(0, key, { text: `${KEY}:renamed` }, true)],
  ['set a TTL', () => redis.expire(0, key, 100)],
  ['remove a TTL', () => redis.persist(0, key)],
  ['import', () => redis.importLines(0, (async function* () { yield '{}'; })(), true)],
  ['publish', () => redis.publish('readonly', 'x')],
  ['a write command in the console', () => redis.console().run(['SET', KEY, 'x'].map((a) => Buffer.from(a)))],
];
for (const [name, write] of REDIS) {
  test(`redis read-only refuses: ${name}`, async () => {
    await assert.rejects(write(), refused);
    await redisUnchanged();
  });
}

const MEMCACHED: [string, () => Promise<unknown>][] = [
  ...(['set', 'add', 'replace', 'append', 'prepend'] as const).map((mode): [string, () => Promise<unknown>] => [mode, () => memcached.store(mode, KEY, Buffer.from('9'))]),
  ['cas save', async () => memcached.compareAndSet((await memcached.get(KEY))!, Buffer.from('9'))],
  ['multi set', () => memcached.setMulti([{ key: KEY, data: Buffer.from('9') }])],
  ['incr', () => memcached.counter('incr', KEY, 1n)],
  ['decr', () => memcached.counter('decr', KEY, 1n)],
  ['touch', () => memcached.touch(KEY, 100)],
  ['delete', () => memcached.delete(KEY)],
  ['multi delete', () => memcached.deleteMulti([{ key: KEY }])],
  ['flush_all', () => memcached.flushAll(memcached.servers[0]!)],
];
for (const [name, write] of MEMCACHED) {
  test(`memcached read-only refuses: ${name}`, async () => {
    await assert.rejects(write(), refused);
    assert.equal((await memcached.get(KEY))?.data.toString(), '7');
  });
}

const body = { body: 'x', encoding: 'text' as const, properties: {} };
const RABBIT: [string, () => Promise<unknown>][] = [
  ['declare a queue', () => rabbit.declareQueue('/', { name: `${Q}.new`, durable: false, exclusive: false, autoDelete: false })],
  ['declare an exchange', () => rabbit.declareExchange('/', { name: `${Q}.x`, type: 'fanout', durable: false, autoDelete: false, internal: false })],
  ['delete a queue', () => rabbit.deleteQueue('/', Q)],
  ['delete an exchange', () => rabbit.deleteExchange('/', 'amq.fanout')],
  ['bind', () => rabbit.bind('/', { source: 'amq.fanout', destination: Q, destinationType: 'queue', routingKey: '' })],
  ['unbind', () => rabbit.unbind('/', { source: 'amq.fanout', destination: Q, destinationType: 'queue', routingKey: '' })],
  ['publish', () => rabbit.publish('/', { exchange: '', routingKey: Q, ...body })],
  ['get with ack', () => rabbit.get('/', Q, 1, 'ack')],
  ['get with reject', () => rabbit.get('/', Q, 1, 'reject')],
  ['purge', () => rabbit.purge('/', Q)],
  ['move', () => rabbit.move('/', Q, `${Q}.other`)],
  ['replay dead letters', () => rabbit.replay('/', Q)],
  ['an RPC request', () => rabbit.rpc('/', { exchange: '', routingKey: Q, ...body }, { replyVia: 'direct', timeoutMs: 500 })],
  ['consume with broker auto-ack', () => rabbit.consume('/', Q, { prefetch: 1, ackMode: 'auto' }, { onMessage: () => undefined, onEnd: () => undefined })],
  ['consume acking as received', () => rabbit.consume('/', Q, { prefetch: 1, ackMode: 'afterReceive' }, { onMessage: () => undefined, onEnd: () => undefined })],
  ['a tail (declares and binds a queue, which changes routing)', () => rabbit.tail('/', 'amq.fanout', '', undefined, { onMessage: () => undefined, onEnd: () => undefined })],
];
for (const [name, write] of RABBIT) {
  test(`rabbitmq read-only refuses: ${name}`, async () => {
    await assert.rejects(write(), refused);
    const [message] = await rabbit.get('/', Q, 1, 'requeue');
    assert.equal(message?.body, 'keep me', 'the message is still there');
  });
}

const mysqlUnchanged = async (): Promise<void> => {
  const run = await mysql.openRun(DB);
  try {
    const rows = new CollectedRows();
    await run.run(splitStatements('SELECT v FROM readonly_probe WHERE id = 1')[0]!, rows, { maxRows: 10 });
    assert.deepEqual(rows.cells(), [[['original']]]);
  } finally {
    run.close();
  }
};
const SQL_WRITES = ["INSERT INTO readonly_probe VALUES (2, 'x')", "UPDATE readonly_probe SET v = 'x'", 'DELETE FROM readonly_probe', 'DROP TABLE readonly_probe', 'TRUNCATE readonly_probe',
  'CREATE TABLE readonly_other (id INT)', 'ALTER TABLE readonly_probe ADD COLUMN w INT', 'SET SESSION TRANSACTION READ WRITE', 'CALL some_procedure()', 'LOCK TABLES readonly_probe WRITE'];
for (const sql of SQL_WRITES) {
  test(`mysql read-only refuses: ${sql}`, async () => {
    const run = await mysql.openRun(DB);
    try {
      const outcome = await run.run(splitStatements(sql)[0]!, { columns: () => undefined, rows: () => undefined }, { maxRows: 10 });
      assert.equal(outcome.error?.code, 'READ_ONLY', sql);
      assert.ok(outcome.error?.message.includes(NAME));
    } finally {
      run.close();
    }
    await mysqlUnchanged();
  });
}

const target = { database: DB, table: 'readonly_probe', columns: [], keyColumns: [0] };
const MYSQL: [string, () => Promise<unknown>][] = [
  ['reviewed row edits', () => Promise.resolve().then(() => mysql.editStatements(target, [{ kind: 'delete', row: 0, original: ['1', 'original'] }]))],
  ['applying statements', () => mysql.applyStatements([{ sql: "UPDATE readonly_probe SET v = 'x' WHERE id = 1", params: [], label: 'row 1' }])],
  ['a committed scratchpad', () => mysql.scratchpad(DB, 'return 1', { language: 'javascript', timeoutMs: 5000, commit: true, print: () => undefined })],
];
for (const [name, write] of MYSQL) {
  test(`mysql read-only refuses: ${name}`, async () => {
    await assert.rejects(write(), refused);
    await mysqlUnchanged();
  });
}

const SSH: [string, () => Promise<unknown>][] = [
  ['save a file', () => ssh.files.writeFile(`${home}/.bashrc`, Buffer.from('x'))],
  ['create a folder', () => ssh.files.mkdir(`${home}/readonly-new`)],
  ['rename', () => ssh.files.rename(`${home}/.bashrc`, `${home}/.bashrc-renamed`)],
  ['delete', async () => ssh.files.deleteCounted(await ssh.files.countForDeletion(`${home}/.bashrc`))],
  ['upload', () => {
    writeFileSync(join(local, 'up.txt'), 'x');
    return ssh.transfers.planUpload([{ source: join(local, 'up.txt'), target: `${home}/up.txt` }]);
  }],
  ['a terminal', () => ssh.shell({ rows: 24, cols: 80 }, { onOutput: () => undefined, onExit: () => undefined })],
  ['a command', () => ssh.exec('touch readonly-touched', () => undefined, () => undefined)],
];
for (const [name, write] of SSH) {
  test(`ssh read-only refuses: ${name}`, async () => {
    const before = await ssh.files.stat(`${home}/.bashrc`);
    await assert.rejects(write(), refused);
    const names = (await ssh.files.list(home)).entries.map((e) => e.name);
    assert.ok(!names.includes('readonly-new') && !names.includes('up.txt') && !names.includes('readonly-touched') && !names.includes('.bashrc-renamed'));
    const now = await ssh.files.stat(`${home}/.bashrc`);
    assert.equal(now.mtime, before.mtime);
    assert.equal(now.size, before.size);
  });
}

test('read-only connections still read: a value, a listing, a peek, a SELECT and a file download', async () => {
  const value = await redis.value(0, key, { limit: 10 });
  assert.ok(value.type === 'string' && value.value.text === 'original');
  assert.equal((await memcached.get(KEY))?.data.toString(), '7');
  assert.equal((await rabbit.get('/', Q, 1, 'requeue'))[0]?.body, 'keep me');
  await mysqlUnchanged();
  const out = new PassThrough();
  assert.ok((await mysql.export('SELECT * FROM readonly_probe', out, { format: 'csv', database: DB })) === 1);
  assert.ok((await ssh.transfers.run(await ssh.transfers.planDownload(`${home}/.bashrc`, join(local, 'bashrc')), false, () => undefined)).bytes > 0);
});
