import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Channel, ChannelModel, connect } from 'amqplib';
import { driver, RabbitMqSession } from '../../src/drivers/rabbitmq';
import { RabbitMqProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Read-only RabbitMQ is an allow-list of operations that read: a tail declares and binds a queue, which changes
 * where the broker routes (an unroutable message no longer reaches the exchange's alternate exchange, and the tail
 * auto-acks it away), so it is refused like every other declaration; so is everything not on the list.
 */

const url = new URL(need('AMQP_URL'));
const mgmt = need('RABBITMQ_MGMT_URL');
const NAME = 'prod (read-only)';
const profile: RabbitMqProfile = {
  id: 'rmq-ro-routing', name: NAME, kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username),
  vhost: '/', tls: false, readOnly: true, managementUrl: mgmt,
};
const options = { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const V = '/';
const P = 'sbtest.rorouting';
const X = `${P}.orders`;
const AE = `${P}.ae`;
const AEQ = `${P}.unrouted`;
const Q = `${P}.q`;
const authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;

let ro: RabbitMqSession;
let raw: ChannelModel;
let ch: Channel;

before(async () => {
  ro = await driver.connect(profile, options);
  raw = await connect(need('AMQP_URL'));
  ch = await raw.createChannel();
  await ch.deleteExchange(X);
  await ch.assertExchange(AE, 'fanout', { durable: false });
  await ch.assertQueue(AEQ, { durable: false });
  await ch.bindQueue(AEQ, AE, '');
  await ch.assertExchange(X, 'topic', { durable: false, alternateExchange: AE });
  await ch.assertQueue(Q, { durable: false });
  await ch.purgeQueue(AEQ);
});

after(async () => {
  for (const q of [AEQ, Q]) await ch.deleteQueue(q);
  for (const x of [X, AE]) await ch.deleteExchange(x);
  await raw.close();
  await ro.close();
});

const refused = (error: unknown): boolean => {
  assert.ok(isDriverError(error), String(error));
  assert.equal(error.code, 'readOnly', error.message);
  assert.ok(error.message.includes(NAME), error.message);
  return true;
};
const events = { onMessage: () => undefined, onEnd: () => undefined };

async function bindingsOf(exchange: string): Promise<unknown[]> {
  const response = await fetch(`${mgmt}/api/exchanges/%2F/${encodeURIComponent(exchange)}/bindings/source`, { headers: { authorization } });
  const body: unknown = await response.json();
  assert.ok(Array.isArray(body));
  return body;
}

const TAILS: [string, () => Promise<unknown>][] = [
  ['a topic pattern', () => ro.tail(V, X, 'orders.*', undefined, events)],
  ['everything (#)', () => ro.tail(V, X, '#', undefined, events)],
  ['header arguments', () => ro.tail(V, X, '', { 'x-match': 'any', region: 'eu' }, events)],
  ['a predefined exchange', () => ro.tail(V, 'amq.fanout', '', undefined, events)],
  ['an exchange that does not exist', () => ro.tail(V, `${P}.missing`, '#', undefined, events)],
];
for (const [name, tail] of TAILS) {
  test(`read-only refuses a tail: ${name}; no queue is declared and no binding added`, async () => {
    const before = await bindingsOf(X);
    await assert.rejects(tail(), refused);
    assert.deepEqual(await bindingsOf(X), before);
  });
}

test('read-only: an unroutable message still reaches the alternate exchange after a tail was tried', async () => {
  await assert.rejects(ro.tail(V, X, '#', undefined, events), refused);
  const confirm = await raw.createConfirmChannel();
  confirm.publish(X, 'orders.created', Buffer.from('for the alternate exchange'));
  await confirm.waitForConfirms();
  await confirm.close();
  const [message] = await ro.get(V, AEQ, 1, 'requeue');
  assert.equal(message?.body, 'for the alternate exchange');
});

/**
 * Every public operation of a session, and what read-only does with it. A method added to RabbitMqSession without a
 * row here fails the last test: each one is decided, none slips through as allowed by default.
 */
const body = { body: 'x', encoding: 'text' as const, properties: {} };
const READS: Record<string, () => Promise<unknown>> = {
  describe: () => ro.describe(),
  children: () => ro.children(),
  routingKeys: () => ro.routingKeys(V, X),
  names: () => ro.names(V),
  queueCounts: () => ro.queueCounts(V, Q),
  requeueCounting: () => ro.requeueCounting(V, Q),
  get: () => ro.get(V, Q, 1, 'requeue'),
  consume: async () => (await ro.consume(V, Q, { prefetch: 1, ackMode: 'manual' }, events)).close(),
};
const WRITES: Record<string, () => Promise<unknown>> = {
  declareExchange: () => ro.declareExchange(V, { name: `${P}.new`, type: 'fanout', durable: false, autoDelete: false, internal: false }),
  declareQueue: () => ro.declareQueue(V, { name: `${P}.new`, durable: false, exclusive: false, autoDelete: false }),
  deleteExchange: () => ro.deleteExchange(V, X),
  deleteQueue: () => ro.deleteQueue(V, Q),
  bind: () => ro.bind(V, { source: X, destination: Q, destinationType: 'queue', routingKey: '#' }),
  unbind: () => ro.unbind(V, { source: AE, destination: AEQ, destinationType: 'queue', routingKey: '' }),
  publish: () => ro.publish(V, { exchange: X, routingKey: 'k', ...body }),
  purge: () => ro.purge(V, AEQ),
  move: () => ro.move(V, AEQ, Q),
  replay: () => ro.replay(V, AEQ),
  tail: () => ro.tail(V, X, '#', undefined, events),
  rpc: () => ro.rpc(V, { exchange: '', routingKey: Q, ...body }, { replyVia: 'queue', timeoutMs: 500 }),
};
const LIFECYCLE = new Set(['constructor', 'close', 'onState']);

test('read-only: every reading operation runs, every other one is refused, and every method of the session is in one list', async () => {
  for (const [name, read] of Object.entries(READS)) await assert.doesNotReject(read(), name);
  for (const [name, write] of Object.entries(WRITES)) await assert.rejects(write(), refused, name);
  const methods = Object.getOwnPropertyNames(RabbitMqSession.prototype).filter((m) => !LIFECYCLE.has(m) && typeof Object.getOwnPropertyDescriptor(RabbitMqSession.prototype, m)?.value === 'function');
  const listed = new Set([...Object.keys(READS), ...Object.keys(WRITES)]);
  assert.deepEqual(methods.filter((m) => !listed.has(m)), [], 'methods no list decides');
  assert.equal((await bindingsOf(X)).length, 0, 'nothing was bound');
});
