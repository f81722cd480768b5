import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Channel, ChannelModel, connect } from 'amqplib';
import { driver, RabbitMqSession } from '../../src/drivers/rabbitmq';
import { RabbitMqProfile } from '../../src/drivers/types';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';
import { eventually } from '../eventually';

/**
 * Move and replay publish each copy mandatory with publisher confirms: a copy the broker returns (no queue for it),
 * nacks (a full queue that rejects publishes) or cannot route (its exchange is gone) leaves the original where it
 * was, and the result names that message.
 */

const url = new URL(need('AMQP_URL'));
const profile: RabbitMqProfile = {
  id: 'rmq-transfer', name: 'rabbit', kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username),
  vhost: '/', tls: false, readOnly: false, managementUrl: need('RABBITMQ_MGMT_URL'),
};
const options = { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const V = '/';
const P = 'sbtest.transfer';
const QUEUES = ['work', 'work2', 'dlq', 'full', 'src', 'dst'].map((q) => `${P}.${q}`);
const EXCHANGES = ['dlx', 'gone', 'kept'].map((x) => `${P}.${x}`);

let session: RabbitMqSession;
let raw: ChannelModel;
let ch: Channel;

before(async () => {
  session = await driver.connect(profile, options);
  raw = await connect(need('AMQP_URL'));
  ch = await raw.createChannel();
  for (const q of QUEUES) await ch.deleteQueue(q);
  for (const x of EXCHANGES) await ch.deleteExchange(x);
});

after(async () => {
  for (const q of QUEUES) await ch.deleteQueue(q).catch(() => undefined);
  for (const x of EXCHANGES) await ch.deleteExchange(x).catch(() => undefined);
  await raw.close();
  await session.close();
});

const count = async (queue: string): Promise<number> => (await ch.checkQueue(queue)).messageCount;
const bodies = async (queue: string): Promise<string[]> => (await session.get(V, queue, 100, 'requeue')).map((m) => m.body);

/** Dead-letters one message per entry (body = message id) from `queue` into `${P}.dlq` through `${P}.dlx`. */
async function deadLetter(queue: string, exchange: string, routingKey: string, ids: readonly string[]): Promise<void> {
  await ch.assertExchange(`${P}.dlx`, 'fanout', { durable: false });
  await ch.assertQueue(`${P}.dlq`, { durable: false });
  await ch.bindQueue(`${P}.dlq`, `${P}.dlx`, '');
  await ch.assertQueue(queue, { durable: false, arguments: { 'x-dead-letter-exchange': `${P}.dlx` } });
  if (exchange) await ch.bindQueue(queue, exchange, routingKey);
  const confirm = await raw.createConfirmChannel();
  for (const id of ids) confirm.publish(exchange, routingKey, Buffer.from(id), { messageId: id });
  await confirm.waitForConfirms();
  await confirm.close();
  await session.get(V, queue, ids.length, 'reject');
  await eventually(`${ids.length} dead letters in ${P}.dlq`, async () => (await count(`${P}.dlq`)) >= ids.length);
}

test('replay: a dead letter whose queue is gone stays in the dead-letter queue and is reported by its message id', async () => {
  await deadLetter(`${P}.work`, '', `${P}.work`, ['order-41']);
  await ch.deleteQueue(`${P}.work`);
  assert.equal(await count(`${P}.dlq`), 1);
  const result = await session.replay(V, `${P}.dlq`);
  assert.equal(result.moved, 0, 'nothing was moved');
  assert.equal(result.notMoved.length, 1);
  const [lost] = result.notMoved;
  assert.equal(lost?.messageId, 'order-41');
  assert.equal(lost?.exchange, '');
  assert.equal(lost?.routingKey, `${P}.work`);
  assert.match(lost?.reason ?? '', /NO_ROUTE/);
  assert.deepEqual(await bodies(`${P}.dlq`), ['order-41'], 'the original is still in the dead-letter queue');
  await ch.purgeQueue(`${P}.dlq`);
});

test('replay: a copy to a deleted exchange is reported and the others still replay, in order, through a fresh channel', async () => {
  await ch.assertExchange(`${P}.gone`, 'direct', { durable: false });
  await ch.assertExchange(`${P}.kept`, 'direct', { durable: false });
  await deadLetter(`${P}.work`, `${P}.gone`, 'k', ['from-gone']);
  await deadLetter(`${P}.work2`, `${P}.kept`, 'k', ['from-kept-1', 'from-kept-2']);
  await ch.deleteExchange(`${P}.gone`);
  const result = await session.replay(V, `${P}.dlq`);
  assert.equal(result.moved, 2);
  assert.deepEqual(result.notMoved.map((m) => [m.messageId, m.exchange]), [['from-gone', `${P}.gone`]]);
  assert.match(result.notMoved[0]?.reason ?? '', /NOT_FOUND|no exchange/);
  assert.deepEqual(await bodies(`${P}.dlq`), ['from-gone']);
  assert.deepEqual(await bodies(`${P}.work2`), ['from-kept-1', 'from-kept-2']);
  await ch.purgeQueue(`${P}.dlq`);
  await ch.deleteQueue(`${P}.work`);
});

test('move: a copy the broker nacks (the target rejects publishes when full) leaves the original, and the move stops there', async () => {
  await ch.assertQueue(`${P}.src`, { durable: false });
  await ch.assertQueue(`${P}.full`, { durable: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } });
  const confirm = await raw.createConfirmChannel();
  for (const id of ['m1', 'm2', 'm3']) confirm.sendToQueue(`${P}.src`, Buffer.from(id), { messageId: id });
  await confirm.waitForConfirms();
  await confirm.close();
  const result = await session.move(V, `${P}.src`, `${P}.full`);
  assert.equal(result.moved, 1);
  assert.deepEqual(result.notMoved.map((m) => m.messageId), ['m2']);
  assert.match(result.notMoved[0]?.reason ?? '', /nack/i);
  assert.deepEqual(await bodies(`${P}.full`), ['m1']);
  assert.deepEqual((await bodies(`${P}.src`)).sort(), ['m2', 'm3'], 'the nacked one and the one after it stay');
});

test('move: every message arrives at the target when nothing goes wrong, in order', async () => {
  await ch.assertQueue(`${P}.dst`, { durable: false });
  await ch.purgeQueue(`${P}.src`);
  const confirm = await raw.createConfirmChannel();
  for (let i = 0; i < 50; i++) confirm.sendToQueue(`${P}.src`, Buffer.from(`n${i}`));
  await confirm.waitForConfirms();
  await confirm.close();
  const result = await session.move(V, `${P}.src`, `${P}.dst`);
  assert.deepEqual([result.moved, result.skipped, result.notMoved.length], [50, 0, 0]);
  assert.deepEqual(await bodies(`${P}.dst`), Array.from({ length: 50 }, (_, i) => `n${i}`));
  assert.equal(await count(`${P}.src`), 0);
});
