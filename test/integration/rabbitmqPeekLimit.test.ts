import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Channel, ChannelModel, connect } from 'amqplib';
import { driver, RabbitMqSession } from '../../src/drivers/rabbitmq';
import { RabbitMqProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';
import { eventually } from '../eventually';

/**
 * A peek hands messages back with a nack, and a quorum queue counts that as a delivery: past its delivery limit the
 * broker drops (or dead-letters) the message. Before such a peek the driver reads the limit in force (argument,
 * policy, operator policy) and runs it only when the caller accepted exactly that limit; read-only never does.
 */

const url = new URL(need('AMQP_URL'));
const mgmt = need('RABBITMQ_MGMT_URL');
const user = decodeURIComponent(url.username);
const password = decodeURIComponent(url.password);
const profile: RabbitMqProfile = { id: 'rmq-peek', name: 'peek limits', kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: user, vhost: '/', tls: false, readOnly: false, managementUrl: mgmt };
const options = { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const V = '/';
const P = 'sbtest.peeklimit';
const Q = { arg: `${P}.arg`, policy: `${P}.policy`, operator: `${P}.operator`, classic: `${P}.classic`, dlx: `${P}.dlx` };
const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function api(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${mgmt}${path}`, { method, headers: { authorization, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  assert.ok(response.ok || (method === 'DELETE' && response.status === 404), `${method} ${path}: ${response.status}`);
}

let session: RabbitMqSession;
let readOnly: RabbitMqSession;
let raw: ChannelModel;
let ch: Channel;

const cleanUp = async (): Promise<void> => {
  for (const q of Object.values(Q)) await ch.deleteQueue(q);
  await api('DELETE', '/api/policies/%2F/sbtest-peeklimit');
  await api('DELETE', '/api/operator-policies/%2F/sbtest-peeklimit-op');
};

before(async () => {
  session = await driver.connect(profile, options);
  readOnly = await driver.connect({ ...profile, readOnly: true, name: 'prod (read-only)' }, options);
  raw = await connect(need('AMQP_URL'));
  ch = await raw.createChannel();
  await cleanUp();
});

after(async () => {
  await cleanUp();
  await raw.close();
  await Promise.all([session.close(), readOnly.close()]);
});

async function fill(queue: string, args: Record<string, unknown>, body = 'precious'): Promise<void> {
  await ch.assertQueue(queue, { durable: true, arguments: args });
  const confirm = await raw.createConfirmChannel();
  confirm.sendToQueue(queue, Buffer.from(body), { messageId: body });
  await confirm.waitForConfirms();
  await confirm.close();
}

const limitRefused = (code: string, deliveries: number, from: RegExp) => (error: unknown): boolean => {
  assert.ok(isDriverError(error), String(error));
  assert.equal(error.code, code, error.message);
  assert.match(error.message, new RegExp(`delivery limit of ${deliveries}\\b`));
  assert.match(error.message, from);
  return true;
};

test('a quorum queue with x-delivery-limit: the limit is read, a peek without accepting it does nothing, with it the peek runs', async () => {
  await fill(Q.arg, { 'x-queue-type': 'quorum', 'x-delivery-limit': 2 });
  assert.deepEqual(await session.requeueCounting(V, Q.arg), { known: true, queue: Q.arg, type: 'quorum', limit: { deliveries: 2, source: 'argument' } });
  await assert.rejects(session.get(V, Q.arg, 1, 'requeue'), limitRefused('config', 2, /x-delivery-limit argument.*dropped/));
  await assert.rejects(session.get(V, Q.arg, 1, 'requeue', { acceptDeliveryLimit: 3 }), limitRefused('config', 2, /argument/), 'another limit than the one in force is not accepted');
  await assert.rejects(session.consume(V, Q.arg, { prefetch: 1, ackMode: 'manual' }, { onMessage: () => undefined, onEnd: () => undefined }), limitRefused('config', 2, /manual acks/));
  const [first] = await session.get(V, Q.arg, 1, 'requeue', { acceptDeliveryLimit: 2 });
  assert.equal(first?.body, 'precious');
  assert.equal(first?.headers['x-delivery-count'], 0, 'the refused calls delivered nothing');
});

test('the danger is real on this broker: peeks past the limit make the broker drop the message', async () => {
  for (let i = 0; i < 2; i++) assert.equal((await session.get(V, Q.arg, 1, 'requeue', { acceptDeliveryLimit: 2 })).length, 1);
  assert.deepEqual(await session.get(V, Q.arg, 1, 'requeue', { acceptDeliveryLimit: 2 }), [], 'delivered three times with a limit of 2: gone');
});

test('a limit from a policy, and a lower one from an operator policy, are found (also before the broker\'s statistics cover the queue)', async () => {
  await api('PUT', '/api/policies/%2F/sbtest-peeklimit', { pattern: `^${P.replace(/\./g, '\\.')}\\.(policy|operator)$`, definition: { 'delivery-limit': 5, 'dead-letter-exchange': 'sbtest.dead' }, 'apply-to': 'queues', priority: 7 });
  await fill(Q.policy, { 'x-queue-type': 'quorum' });
  const fresh = await session.requeueCounting(V, Q.policy);
  assert.deepEqual(fresh, { known: true, queue: Q.policy, type: 'quorum', limit: { deliveries: 5, source: 'policy', policy: 'sbtest-peeklimit', deadLetterExchange: 'sbtest.dead' } });
  await assert.rejects(session.get(V, Q.policy, 1, 'requeue'), limitRefused('config', 5, /policy "sbtest-peeklimit".*dead-lettered to "sbtest\.dead"/));
  await api('PUT', '/api/operator-policies/%2F/sbtest-peeklimit-op', { pattern: `^${P.replace(/\./g, '\\.')}\\.operator$`, definition: { 'delivery-limit': 1 }, 'apply-to': 'queues', priority: 0 });
  await fill(Q.operator, { 'x-queue-type': 'quorum', 'x-delivery-limit': 9 });
  const lowest = await session.requeueCounting(V, Q.operator);
  assert.ok(lowest.known && lowest.limit?.deliveries === 1 && lowest.limit.source === 'operator policy', JSON.stringify(lowest));
  // Once the statistics are in, the broker's own merged definition is read, with the same result.
  await eventually('the broker\'s statistics to cover the queue', () => policyApplied(Q.policy), 20_000);
  const settled = await session.requeueCounting(V, Q.policy);
  assert.ok(settled.known && settled.limit?.deliveries === 5 && settled.limit.policy === 'sbtest-peeklimit', JSON.stringify(settled));
});

async function policyApplied(queue: string): Promise<boolean> {
  const response = await fetch(`${mgmt}/api/queues/%2F/${encodeURIComponent(queue)}`, { headers: { authorization } });
  const body: unknown = await response.json();
  return typeof body === 'object' && body !== null && 'effective_policy_definition' in body;
}

test('a classic queue does not count requeues: peeks need nothing accepted', async () => {
  await fill(Q.classic, {});
  assert.deepEqual(await session.requeueCounting(V, Q.classic), { known: true, queue: Q.classic, type: 'classic' });
  assert.equal((await session.get(V, Q.classic, 1, 'requeue'))[0]?.body, 'precious');
  assert.equal((await readOnly.get(V, Q.classic, 1, 'requeue'))[0]?.body, 'precious');
});

test('read-only refuses peeks and manual consumers on a queue that counts requeues, whatever is accepted', async () => {
  await fill(Q.dlx, { 'x-queue-type': 'quorum', 'x-delivery-limit': 4, 'x-dead-letter-exchange': '' });
  await assert.rejects(readOnly.get(V, Q.dlx, 1, 'requeue', { acceptDeliveryLimit: 4 }), limitRefused('readOnly', 4, /prod \(read-only\)/));
  await assert.rejects(readOnly.consume(V, Q.dlx, { prefetch: 1, ackMode: 'manual', acceptDeliveryLimit: 4 }, { onMessage: () => undefined, onEnd: () => undefined }), limitRefused('readOnly', 4, /dead-lettered to "\(default\)"/));
  const [message] = await session.get(V, Q.dlx, 1, 'requeue', { acceptDeliveryLimit: 4 });
  assert.equal(message?.headers['x-delivery-count'], 0, 'the read-only attempts delivered nothing');
});

test('without the management API the counting is unknown, and says why', async () => {
  const { managementUrl: _none, ...withoutApi } = profile;
  const bare = await driver.connect(withoutApi, options);
  try {
    const counting = await bare.requeueCounting(V, Q.arg);
    assert.equal(counting.known, false);
    assert.ok(!counting.known && /management API/.test(counting.reason));
  } finally {
    await bare.close();
  }
});
