import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Channel, ChannelModel, connect } from 'amqplib';
import { driver, RabbitMqSession } from '../../src/drivers/rabbitmq';
import { RabbitMqProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * What the messages panel (or a command argument from another extension) hands the driver is checked there, whatever
 * its declared type: names and routing keys fit AMQP short strings, counts are whole numbers in range, headers and
 * arguments hold plain JSON values, choices are among their options. Each refusal names the field, and nothing reaches
 * the broker.
 */

/** A value as a webview may send it, whatever its declared type says. */
const hostile = <T>(value: unknown): T => value as T;

const url = new URL(need('AMQP_URL'));
const profile: RabbitMqProfile = {
  id: 'rmq-hostile', name: 'rabbit', kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username),
  vhost: '/', tls: false, readOnly: false, managementUrl: need('RABBITMQ_MGMT_URL'),
};
const options = { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const V = '/';
const Q = 'sbtest.hostile.q';
let session: RabbitMqSession;
let raw: ChannelModel;
let ch: Channel;

before(async () => {
  session = await driver.connect(profile, options);
  raw = await connect(need('AMQP_URL'));
  ch = await raw.createChannel();
  await ch.assertQueue(Q, { durable: false });
  await ch.purgeQueue(Q);
  ch.sendToQueue(Q, Buffer.from('keep me'));
});

after(async () => {
  await ch.deleteQueue(Q);
  await raw.close();
  await session.close();
});

const refusedNaming = (field: RegExp) => (error: unknown): boolean => {
  assert.ok(isDriverError(error), String(error));
  assert.equal(error.code, 'config', error.message);
  assert.match(error.message, field);
  return true;
};
const body = (b = 'x') => ({ body: b, encoding: 'text' as const, properties: {} });
const events = { onMessage: () => undefined, onEnd: () => undefined };
const LONG = 'q'.repeat(256);

const CASES: [string, RegExp, () => Promise<unknown>][] = [
  ['a queue name over 255 bytes', /queue name is 256 bytes/, () => session.get(V, LONG, 1, 'requeue')],
  ['a multibyte name over 255 bytes', /queue name is 256 bytes/, () => session.queueCounts(V, 'é'.repeat(128))],
  ['a queue name that is not text', /queue name must be text/, () => session.get(V, hostile(42), 1, 'requeue')],
  ['a name with a lone surrogate', /lone UTF-16 surrogates/, () => session.purge(V, 'q\ud800')],
  ['a NaN count', /number of messages must be a whole number/, () => session.get(V, Q, Number.NaN, 'requeue')],
  ['a zero count', /number of messages/, () => session.get(V, Q, 0, 'requeue')],
  ['a fractional count', /number of messages/, () => session.get(V, Q, 1.5, 'requeue')],
  ['a count given as text', /number of messages/, () => session.get(V, Q, hostile('5'), 'requeue')],
  ['a get mode that is not one', /get mode must be one of requeue, ack, reject/, () => session.get(V, Q, 1, hostile('purge'))],
  ['a prefetch over 65535', /prefetch/, () => session.consume(V, Q, { prefetch: 70_000, ackMode: 'manual' }, events)],
  ['an ack mode that is not one', /acknowledgement mode/, () => session.consume(V, Q, { prefetch: 1, ackMode: hostile('none') }, events)],
  ['a routing key over 255 bytes', /routing key is 256 bytes/, () => session.publish(V, { exchange: '', routingKey: LONG, ...body() })],
  ['a body encoding that is not one', /body encoding/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), encoding: hostile('hex') })],
  ['a body that is not text', /body must be text/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), body: hostile({ length: 3 }) })],
  ['a repeat of a billion', /Repeat must be a whole number from 1 to 1000000/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), repeat: 1e9 })],
  ['a priority of 300', /priority/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), properties: { priority: 300 } })],
  ['an expiration that is not milliseconds', /expiration/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), properties: { expiration: '-5' } })],
  ['headers that are a list', /headers must be an object/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), properties: { headers: hostile([1, 2]) } })],
  ['a header typed with amqplib\'s "!" trapdoor', /named "!"/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), properties: { headers: { when: hostile({ '!': 'timestamp', value: 1 }) } } })],
  ['a header that is not a finite number', /finite number/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), properties: { headers: { n: Number.POSITIVE_INFINITY } } })],
  ['a header name over 255 bytes', /A name in The headers is 256 bytes/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), properties: { headers: { [LONG]: 'x' } } })],
  ['a content type that is not text', /content type/, () => session.publish(V, { exchange: '', routingKey: Q, ...body(), properties: { contentType: hostile(7) } })],
  ['tail arguments with a "!" entry', /named "!"/, () => session.tail(V, 'amq.headers', '', hostile({ '!': 'x' }), events)],
  ['a tail pattern over 255 bytes', /routing pattern is 256 bytes/, () => session.tail(V, 'amq.topic', LONG, undefined, events)],
  ['an RPC timeout of NaN', /RPC timeout/, () => session.rpc(V, { exchange: '', routingKey: Q, ...body() }, { replyVia: 'direct', timeoutMs: Number.NaN })],
  ['an RPC reply route that is not one', /Reply via/, () => session.rpc(V, { exchange: '', routingKey: Q, ...body() }, { replyVia: hostile('topic'), timeoutMs: 100 })],
  ['a queue spec with a string TTL', /message TTL/, () => session.declareQueue(V, { name: 'sbtest.hostile.new', durable: false, exclusive: false, autoDelete: false, messageTtl: hostile('1000') })],
  ['an exchange type that is not one', /exchange type/, () => session.declareExchange(V, { name: 'sbtest.hostile.x', type: hostile('x-delayed-message'), durable: false, autoDelete: false, internal: false })],
  ['a binding with a destination type that is not one', /destination type/, () => session.bind(V, { source: 'amq.direct', destination: Q, destinationType: hostile('stream'), routingKey: '' })],
];

for (const [name, field, run] of CASES) {
  test(`refused in the driver, naming the field: ${name}`, async () => {
    await assert.rejects(run(), refusedNaming(field));
  });
}

test('after every refusal the queue is as it was, and nothing was declared', async () => {
  assert.equal((await ch.checkQueue(Q)).messageCount, 1);
  const probe = await raw.createChannel();
  probe.on('error', () => undefined);
  await assert.rejects(probe.checkQueue('sbtest.hostile.new'), /NOT_FOUND/);
  const [message] = await session.get(V, Q, 1, 'requeue');
  assert.equal(message?.body, 'keep me');
});

test('settling held messages checks the ids', async () => {
  const consumer = await session.consume(V, Q, { prefetch: 1, ackMode: 'manual' }, events);
  try {
    assert.throws(() => consumer.ack(hostile('1,2')), refusedNaming(/ids/));
    assert.throws(() => consumer.nack(hostile([1.5]), true), refusedNaming(/ids/));
  } finally {
    await consumer.close();
  }
});
