import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelModel, connect } from 'amqplib';
import { driver, RabbitMqSession } from '../../src/drivers/rabbitmq';
import { BrowseNode, RabbitMqProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { MessageView } from '../../src/drivers/rabbitmq/shapes';
import { need, pinnedHostKey, refusedPort, TIMEOUT_MS } from './env';
import { eventually } from '../eventually';

const url = new URL(need('AMQP_URL'));
const profile: RabbitMqProfile = {
  id: 'rmq', name: 'rabbit', kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username),
  vhost: '/', tls: false, readOnly: false, managementUrl: need('RABBITMQ_MGMT_URL'),
};
const options = { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const V = '/';
const P = 'sbtest.msg';

let session: RabbitMqSession;
let raw: ChannelModel;

before(async () => {
  session = await driver.connect(profile, options);
  raw = await connect(need('AMQP_URL'));
});

after(async () => {
  const ch = await raw.createChannel();
  for (const q of ['a', 'b', 'dlq', 'work', 'rpc', 'consume', 'redecl', 'ro', 'tail.x']) await ch.deleteQueue(`${P}.${q}`).catch(() => undefined);
  for (const x of ['direct', 'fanout', 'topic', 'headers', 'dlx', 'e2e']) await ch.deleteExchange(`${P}.${x}`).catch(() => undefined);
  await raw.close();
  await session.close();
});

const text = (m: MessageView | undefined): string => (m ? (m.bodyEncoding === 'base64' ? Buffer.from(m.body, 'base64').toString('hex') : m.body) : '<none>');
const body = (b: string) => ({ body: b, encoding: 'text' as const, properties: {} });

test('rabbitmq: declare exchanges and queues, bind, and see the bindings both ways in the tree', async () => {
  await session.declareExchange(V, { name: `${P}.direct`, type: 'direct', durable: false, autoDelete: false, internal: false });
  await session.declareExchange(V, { name: `${P}.e2e`, type: 'fanout', durable: false, autoDelete: false, internal: false });
  const q = await session.declareQueue(V, { name: `${P}.a`, durable: true, exclusive: false, autoDelete: false, messageTtl: 60_000, maxLength: 1000 });
  assert.equal(q, `${P}.a`);
  await session.bind(V, { source: `${P}.direct`, destination: `${P}.a`, destinationType: 'queue', routingKey: 'orders.created' });
  await session.bind(V, { source: `${P}.e2e`, destination: `${P}.direct`, destinationType: 'exchange', routingKey: '' });
  const exchange: BrowseNode = { place: { kind: 'rabbitmq', of: 'exchange', vhost: V, exchange: `${P}.direct` }, label: '', type: 'exchange', icon: '', expandable: true };
  const rows = await session.children(exchange);
  assert.ok(rows.some((r) => r.label === `→ queue ${P}.a` && r.description === 'key orders.created'), JSON.stringify(rows));
  assert.ok(rows.some((r) => r.label === `← exchange ${P}.e2e`), JSON.stringify(rows));
  const queueRows = await session.children({ ...exchange, place: { kind: 'rabbitmq', of: 'queue', vhost: V, queue: `${P}.a` } });
  assert.deepEqual(queueRows.map((r) => r.label), [`← exchange ${P}.direct`]);
  // A binding row carries all it takes to remove exactly it, its arguments too; the same binding seen from the
  // exchange it leaves and from the one it reaches is two rows.
  await session.bind(V, { source: `${P}.direct`, destination: `${P}.a`, destinationType: 'queue', routingKey: 'tagged', arguments: { 'x-tag': ['a', 1, true, { deep: 'yes' }] } });
  const tagged = (await session.children(exchange)).find((r) => r.description?.startsWith('key tagged'));
  assert.deepEqual(tagged?.place, { kind: 'rabbitmq', of: 'binding', vhost: V, direction: 'out', binding: { source: `${P}.direct`, destinationType: 'queue', destination: `${P}.a`, routingKey: 'tagged', arguments: { 'x-tag': ['a', 1, true, { deep: 'yes' }] } } });
  if (tagged?.place.of !== 'binding') throw new Error('no binding row');
  await session.unbind(V, tagged.place.binding);
  assert.ok(!(await session.children(exchange)).some((r) => r.description?.startsWith('key tagged')), 'unbound from what the row carried');
  // A null argument travels as an AMQP void, which the management API lists as "undefined": unbinding the row as
  // listed matches nothing, which the broker does not say. The session then deletes the binding the row lists through
  // the API, by its key, and no other: one of the same route with other arguments stays.
  await session.bind(V, { source: `${P}.direct`, destination: `${P}.a`, destinationType: 'queue', routingKey: 'voided', arguments: { 'x-none': null } });
  await session.bind(V, { source: `${P}.direct`, destination: `${P}.a`, destinationType: 'queue', routingKey: 'voided', arguments: { 'x-other': 1 } });
  const voidedRows = async (): Promise<BrowseNode[]> => (await session.children(exchange)).filter((r) => r.description?.startsWith('key voided'));
  const voided = (await voidedRows()).find((r) => r.description?.includes('x-none'));
  if (voided?.place.of !== 'binding') throw new Error('no row for the binding with a null argument');
  assert.deepEqual(voided.place.binding.arguments, { 'x-none': 'undefined' }, 'as the management API lists it');
  await session.unbind(V, voided.place.binding);
  assert.deepEqual((await voidedRows()).map((r) => r.description), ['key voided · x-other=1'], 'the row unbound is gone, the other binding of its route stays');
  await session.unbind(V, { source: `${P}.direct`, destination: `${P}.a`, destinationType: 'queue', routingKey: 'voided', arguments: { 'x-other': 1 } });
  assert.deepEqual(await voidedRows(), []);
  // An auto-delete exchange goes with its last binding; the unbind that took it is a success, as the broker says.
  await session.declareExchange(V, { name: `${P}.fleeting`, type: 'direct', durable: false, autoDelete: true, internal: false });
  await session.bind(V, { source: `${P}.fleeting`, destination: `${P}.a`, destinationType: 'queue', routingKey: 'once' });
  await session.unbind(V, { source: `${P}.fleeting`, destination: `${P}.a`, destinationType: 'queue', routingKey: 'once' });
  assert.ok(!(await session.names(V)).exchanges.some((e) => e.name === `${P}.fleeting`), 'the auto-delete exchange went with its binding');
  const e2eRows = await session.children({ ...exchange, place: { kind: 'rabbitmq', of: 'exchange', vhost: V, exchange: `${P}.e2e` } });
  const fromBothEnds = [...rows, ...e2eRows].filter((r) => r.place.of === 'binding' && r.place.binding.source === `${P}.e2e`);
  assert.deepEqual(fromBothEnds.map((r) => (r.place.of === 'binding' ? r.place.direction : '')).sort(), ['in', 'out']);
  // Through the exchange-to-exchange binding a fanout publish reaches the queue.
  const result = await session.publish(V, { exchange: `${P}.e2e`, routingKey: 'orders.created', ...body('via e2e') });
  assert.equal(result.confirmed, 1);
  assert.equal(text((await session.get(V, `${P}.a`, 1, 'ack'))[0]), 'via e2e');
  await session.unbind(V, { source: `${P}.direct`, destination: `${P}.a`, destinationType: 'queue', routingKey: 'orders.created' });
  const unrouted = await session.publish(V, { exchange: `${P}.direct`, routingKey: 'orders.created', mandatory: true, ...body('lost') });
  assert.equal(unrouted.returned, 1, 'mandatory publish with no binding comes back');
  assert.match(unrouted.returnReason ?? '', /NO_ROUTE/);
});

test('rabbitmq: a redeclare with different properties names the property, and the session carries on', async () => {
  await session.declareQueue(V, { name: `${P}.redecl`, durable: false, exclusive: false, autoDelete: false });
  await assert.rejects(session.declareQueue(V, { name: `${P}.redecl`, durable: true, exclusive: false, autoDelete: false }), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.equal(error.code, 'config');
    assert.match(error.message, /queue "sbtest\.msg\.redecl" already exists .* durable = false, but true was asked for \(PRECONDITION_FAILED\)/);
    return true;
  });
  await assert.rejects(session.declareQueue(V, { name: `${P}.redecl`, durable: false, exclusive: false, autoDelete: false, messageTtl: 5 }), /message TTL/);
  // The failed channel took nothing else with it.
  assert.equal(await session.declareQueue(V, { name: `${P}.redecl`, durable: false, exclusive: false, autoDelete: false }), `${P}.redecl`);
  await assert.rejects(session.get(V, 'sbtest.no.such.queue', 1, 'requeue'), /no queue 'sbtest\.no\.such\.queue'.*NOT_FOUND/);
});

test('rabbitmq: every exchange type routes as the broker does, seen through tails', async () => {
  const kinds = ['fanout', 'topic', 'headers'] as const;
  for (const type of kinds) await session.declareExchange(V, { name: `${P}.${type}`, type, durable: false, autoDelete: false, internal: false });
  const seen: Record<string, string[]> = {};
  const tail = async (name: string, exchange: string, pattern: string, args?: Record<string, string>) => {
    seen[name] = [];
    return session.tail(V, exchange, pattern, args, { onMessage: (m) => seen[name]?.push(m.body), onEnd: () => undefined });
  };
  const tails = await Promise.all([
    tail('fanout', `${P}.fanout`, 'ignored'),
    tail('direct', `${P}.direct`, 'eu'),
    tail('star', `${P}.topic`, 'orders.*'),
    tail('hash', `${P}.topic`, 'orders.#'),
    tail('all', `${P}.headers`, '', { 'x-match': 'all', region: 'eu', tier: 'gold' }),
    tail('any', `${P}.headers`, '', { 'x-match': 'any', region: 'eu', tier: 'gold' }),
  ]);
  const send = (exchange: string, key: string, b: string, headers?: Record<string, string>) =>
    session.publish(V, { exchange, routingKey: key, body: b, encoding: 'text', properties: headers ? { headers } : {} });
  await send(`${P}.fanout`, 'anything', 'f1');
  await send(`${P}.direct`, 'eu', 'd-eu');
  await send(`${P}.direct`, 'us', 'd-us');
  await send(`${P}.topic`, 'orders.created', 't1');
  await send(`${P}.topic`, 'orders.created.eu', 't2');
  await send(`${P}.topic`, 'orders', 't3');
  await send(`${P}.headers`, '', 'h-both', { region: 'eu', tier: 'gold' });
  await send(`${P}.headers`, '', 'h-one', { region: 'eu', tier: 'free' });
  // Last, an "end" every tail's binding takes. Each publish was confirmed (in its queues) before the next was sent,
  // so a tail that has its "end" has whatever else was routed to it: nothing more can come.
  await send(`${P}.fanout`, 'anything', 'end');
  await send(`${P}.direct`, 'eu', 'end');
  await send(`${P}.topic`, 'orders.end', 'end');
  await send(`${P}.headers`, '', 'end', { region: 'eu', tier: 'gold' });
  await eventually('every tail to have its "end"', () => Object.values(seen).every((bodies) => bodies.at(-1) === 'end'));
  for (const bodies of Object.values(seen)) bodies.pop();
  assert.deepEqual(seen, {
    fanout: ['f1'], direct: ['d-eu'], star: ['t1'], hash: ['t1', 't2', 't3'], all: ['h-both'], any: ['h-both', 'h-one'],
  });
  await Promise.all(tails.map((t) => t.close()));
  // The tails' queues went with them.
  const ch = await raw.createChannel();
  ch.on('error', () => undefined);
  const rows = await session.children({ place: { kind: 'rabbitmq', of: 'queues', vhost: V }, label: '', type: 'queues', icon: '', expandable: true });
  assert.ok(!rows.some((r) => r.label.startsWith('amq.gen-')), 'no tail queue left behind');
  await ch.close().catch(() => undefined);
});

test('rabbitmq: publish with properties, peek with requeue, get with ack, reject, binary bodies', async () => {
  await session.declareQueue(V, { name: `${P}.b`, durable: false, exclusive: false, autoDelete: false });
  const result = await session.publish(V, {
    exchange: '', routingKey: `${P}.b`, body: '{"id": 7}', encoding: 'json', repeat: 3,
    properties: { persistent: true, headers: { tenant: 'acme', attempt: 2 }, priority: 3, correlationId: 'c-1', messageId: 'm-1', type: 'order', appId: 'shop', expiration: '600000' },
  });
  assert.deepEqual([result.published, result.confirmed, result.returned], [3, 3, 0]);
  await session.publish(V, { exchange: '', routingKey: `${P}.b`, body: Buffer.from([0, 255, 1, 2]).toString('base64'), encoding: 'base64', properties: {} });
  const peeked = await session.get(V, `${P}.b`, 10, 'requeue');
  assert.equal(peeked.length, 4);
  const [first] = peeked;
  assert.equal(first?.body, '{"id": 7}');
  assert.equal(first?.properties['contentType'], 'application/json');
  assert.equal(first?.properties['deliveryMode'], 2);
  assert.equal(first?.properties['correlationId'], 'c-1');
  assert.deepEqual(first?.headers, { tenant: 'acme', attempt: 2 });
  assert.equal(first?.remaining, 3);
  assert.equal(peeked[3]?.bodyEncoding, 'base64');
  assert.equal(text(peeked[3]), '00ff0102');
  // Peeked messages went back, marked redelivered.
  const again = await session.get(V, `${P}.b`, 2, 'ack');
  assert.equal(again.length, 2);
  assert.ok(again[0]?.redelivered);
  await session.get(V, `${P}.b`, 1, 'reject');
  assert.equal((await session.queueCounts(V, `${P}.b`)).messageCount, 1);
  await assert.rejects(session.publish(V, { exchange: '', routingKey: `${P}.b`, body: '{bad', encoding: 'json', properties: {} }), /not valid JSON/);
  await assert.rejects(session.publish(V, { exchange: '', routingKey: `${P}.b`, body: '***', encoding: 'base64', properties: {} }), /not valid base64/);
  assert.equal(await session.purge(V, `${P}.b`), 1);
});

test('rabbitmq: dead-lettered messages show x-death and replay to where they came from; move keeps every message', async () => {
  await session.declareExchange(V, { name: `${P}.dlx`, type: 'fanout', durable: false, autoDelete: false, internal: false });
  await session.declareQueue(V, { name: `${P}.dlq`, durable: false, exclusive: false, autoDelete: false });
  await session.bind(V, { source: `${P}.dlx`, destination: `${P}.dlq`, destinationType: 'queue', routingKey: '' });
  await session.declareQueue(V, { name: `${P}.work`, durable: false, exclusive: false, autoDelete: false, deadLetterExchange: `${P}.dlx` });
  await session.publish(V, { exchange: '', routingKey: `${P}.work`, ...body('job'), repeat: 5 });
  await session.get(V, `${P}.work`, 5, 'reject');
  await eventually('the five rejected messages to be dead-lettered', async () => (await session.queueCounts(V, `${P}.dlq`)).messageCount === 5);
  const [dead] = await session.get(V, `${P}.dlq`, 1, 'requeue');
  assert.equal(dead?.deaths[0]?.queue, `${P}.work`);
  assert.equal(dead?.deaths[0]?.reason, 'rejected');
  assert.equal(dead?.deaths[0]?.exchange, '');
  assert.deepEqual(dead?.deaths[0]?.routingKeys, [`${P}.work`]);
  assert.match(dead?.deaths[0]?.time ?? '', /^\d{4}-\d\d-\d\dT/);
  // One message without x-death is skipped and stays.
  await session.publish(V, { exchange: '', routingKey: `${P}.dlq`, ...body('not dead') });
  const replayed = await session.replay(V, `${P}.dlq`);
  assert.deepEqual(replayed, { moved: 5, skipped: 1, notMoved: [] });
  assert.equal((await session.queueCounts(V, `${P}.work`)).messageCount, 5);
  assert.equal(text((await session.get(V, `${P}.dlq`, 5, 'requeue'))[0]), 'not dead');
  const moved = await session.move(V, `${P}.work`, `${P}.dlq`);
  assert.deepEqual(moved, { moved: 5, skipped: 0, notMoved: [] });
  assert.equal((await session.queueCounts(V, `${P}.dlq`)).messageCount, 6);
  assert.equal((await session.queueCounts(V, `${P}.work`)).messageCount, 0);
  await assert.rejects(session.move(V, `${P}.work`, 'sbtest.none'), /NOT_FOUND/);
});

test('rabbitmq: a live consumer with prefetch, manual ack / requeue, pause and resume; unacked come back when it stops', async () => {
  const q = `${P}.consume`;
  await session.declareQueue(V, { name: q, durable: false, exclusive: false, autoDelete: false });
  await session.publish(V, { exchange: '', routingKey: q, ...body('m'), repeat: 10 });
  const got: MessageView[] = [];
  const consumer = await session.consume(V, q, { prefetch: 3, ackMode: 'manual' }, { onMessage: (m) => got.push(m), onEnd: () => undefined });
  await eventually('the prefetch window', () => got.length === 3);
  // An absence window: no event says that nothing more comes, so 200 ms without a fourth delivery. The positive
  // control is the next step: two acks, and the two they make room for arrive.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(got.length, 3, 'prefetch holds the rest back');
  assert.equal(consumer.ack(got.slice(0, 2).map((m) => m.id)), 2);
  await eventually('two more after two acks', () => got.length === 5);
  await consumer.pause();
  assert.equal(consumer.nack([got[2]!.id], true), 1);
  consumer.ack(got.slice(3, 5).map((m) => m.id));
  // An absence window again: paused, nothing arrives in 200 ms (the requeued one and two more are ready, and room
  // was made for them); the positive control is the resume below, after which those three arrive.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(got.length, 5, 'paused: nothing more arrives');
  await consumer.resume();
  await eventually('three more once resumed', () => got.length === 8);
  assert.ok(got.slice(5).some((m) => m.redelivered), 'the requeued one comes back redelivered');
  assert.equal(consumer.unacked, 3);
  await consumer.close();
  assert.throws(() => consumer.ack([got[7]!.id]), /stopped/);
  // 10 published, 4 acked: the 3 held went back with the 3 never delivered.
  await eventually('the 6 unacked and undelivered to be in the queue', async () => (await session.queueCounts(V, q)).messageCount === 6);
});

test('rabbitmq: a consumer ends with a reason when its queue is deleted', async () => {
  const q = `${P}.consume`;
  let reason = '';
  const consumer = await session.consume(V, q, { prefetch: 10, ackMode: 'afterReceive' }, { onMessage: () => undefined, onEnd: (r) => { reason = r; } });
  await session.deleteQueue(V, q);
  await eventually('the consumer to end', () => reason !== '');
  assert.match(reason, /cancelled the consumer on "sbtest\.msg\.consume"/);
  await consumer.close();
});

test('rabbitmq: RPC round trip with direct reply-to and with a callback queue, against a plain amqplib server', async () => {
  const server = await raw.createChannel();
  await server.assertQueue(`${P}.rpc`, { durable: false });
  await server.consume(`${P}.rpc`, (m) => {
    if (!m) return;
    server.sendToQueue(m.properties.replyTo, Buffer.from(`echo:${m.content.toString()}`), { correlationId: m.properties.correlationId });
    server.ack(m);
  });
  for (const replyVia of ['direct', 'queue'] as const) {
    const result = await session.rpc(V, { exchange: '', routingKey: `${P}.rpc`, ...body(`ping-${replyVia}`) }, { replyVia, timeoutMs: 5000 });
    assert.equal(result.reply.body, `echo:ping-${replyVia}`);
    assert.ok(result.ms > 0 && result.ms < 5000);
    assert.equal(result.reply.properties['correlationId'], result.correlationId);
  }
  await server.close();
  await assert.rejects(session.rpc(V, { exchange: '', routingKey: `${P}.nobody`, ...body('x') }, { replyVia: 'direct', timeoutMs: 1000 }), /returned the request as unroutable/);
  await assert.rejects(session.rpc(V, { exchange: '', routingKey: `${P}.rpc`, ...body('x') }, { replyVia: 'direct', timeoutMs: 500 }), (e: unknown) => isDriverError(e) && e.code === 'timeout');
});

test('rabbitmq: a read-only connection refuses every write and every removal, and still peeks', async () => {
  const ro = await driver.connect({ ...profile, readOnly: true }, options);
  try {
    await session.declareQueue(V, { name: `${P}.ro`, durable: false, exclusive: false, autoDelete: false });
    await session.publish(V, { exchange: '', routingKey: `${P}.ro`, ...body('keep') });
    const refused = (e: unknown) => isDriverError(e) && e.code === 'readOnly' && /read-only/.test(e.message);
    const spec = { name: `${P}.ro2`, durable: false, exclusive: false, autoDelete: false };
    await assert.rejects(ro.declareQueue(V, spec), refused);
    await assert.rejects(ro.declareExchange(V, { name: `${P}.ro`, type: 'fanout', durable: false, autoDelete: false, internal: false }), refused);
    await assert.rejects(ro.deleteQueue(V, `${P}.ro`), refused);
    await assert.rejects(ro.deleteExchange(V, `${P}.direct`), refused);
    await assert.rejects(ro.bind(V, { source: 'amq.fanout', destination: `${P}.ro`, destinationType: 'queue', routingKey: '' }), refused);
    await assert.rejects(ro.unbind(V, { source: 'amq.fanout', destination: `${P}.ro`, destinationType: 'queue', routingKey: '' }), refused);
    await assert.rejects(ro.publish(V, { exchange: '', routingKey: `${P}.ro`, ...body('x') }), refused);
    await assert.rejects(ro.get(V, `${P}.ro`, 1, 'ack'), refused);
    await assert.rejects(ro.get(V, `${P}.ro`, 1, 'reject'), refused);
    await assert.rejects(ro.purge(V, `${P}.ro`), refused);
    await assert.rejects(ro.move(V, `${P}.ro`, `${P}.a`), refused);
    await assert.rejects(ro.replay(V, `${P}.ro`), refused);
    await assert.rejects(ro.rpc(V, { exchange: '', routingKey: `${P}.ro`, ...body('x') }, { replyVia: 'direct', timeoutMs: 500 }), refused);
    await assert.rejects(ro.consume(V, `${P}.ro`, { prefetch: 1, ackMode: 'auto' }, { onMessage: () => undefined, onEnd: () => undefined }), refused);
    await assert.rejects(ro.consume(V, `${P}.ro`, { prefetch: 1, ackMode: 'afterReceive' }, { onMessage: () => undefined, onEnd: () => undefined }), refused);
    assert.equal((await ro.get(V, `${P}.ro`, 1, 'requeue'))[0]?.body, 'keep');
    const got: MessageView[] = [];
    const consumer = await ro.consume(V, `${P}.ro`, { prefetch: 1, ackMode: 'manual' }, { onMessage: (m) => got.push(m), onEnd: () => undefined });
    await eventually('the read-only manual consumer\'s delivery', () => got.length === 1);
    assert.throws(() => consumer.ack([got[0]!.id]), refused);
    assert.throws(() => consumer.nack([got[0]!.id], false), refused);
    assert.equal(consumer.nack([got[0]!.id], true), 1);
    await consumer.close();
    assert.equal((await session.queueCounts(V, `${P}.ro`)).messageCount, 1, 'nothing was removed');
  } finally {
    await ro.close();
  }
});

test('rabbitmq: other vhosts get their own connection; an unknown one is explained', async () => {
  const ch = await raw.createChannel();
  await ch.close();
  await assert.rejects(session.get('no-such-vhost', 'q', 1, 'requeue'), (e: unknown) => isDriverError(e) && /vhost/.test(e.message));
});

test('rabbitmq: a cluster profile fails over to the next node at connect', async () => {
  const dead = await refusedPort();
  const cluster = await driver.connect({ ...profile, port: dead, otherHosts: [`127.0.0.1:${await refusedPort()}`, `${profile.host}:${profile.port}`] }, options);
  try {
    assert.equal(cluster.endpoint, `${profile.host}:${profile.port}`);
    assert.match(await cluster.describe(), /RabbitMQ/);
  } finally {
    await cluster.close();
  }
  await assert.rejects(driver.connect({ ...profile, port: dead, otherHosts: [`127.0.0.1:${dead}`] }, options), /None of the 2 RabbitMQ nodes answered/);
});
