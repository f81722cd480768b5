import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver, RabbitMqSession } from '../../src/drivers/rabbitmq';
import { RabbitMqProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { RabbitMqService, startRabbitMq } from '../services/rabbitmq';
import { pinnedHostKey } from './env';
import { eventually } from '../eventually';

/**
 * A broker of its own that stops answering without closing anything (SIGSTOP on all its processes): every operation
 * ends within the timeout with an error naming the broker instead of waiting for heartbeats (a minute) or for ever,
 * and the session works again once the broker does (SIGCONT).
 */

const TIMEOUT = 2000;
const root = mkdtempSync(join(tmpdir(), 'switchboard-rmqstall-'));
const Q = 'sbtest.stall';
let broker: RabbitMqService;
let session: RabbitMqSession;

before(async () => {
  broker = await startRabbitMq(root);
  const profile: RabbitMqProfile = { id: 'rmq-stall', name: 'stalling', kind: 'rabbitmq', host: '127.0.0.1', port: broker.port, username: broker.user, vhost: '/', tls: false, readOnly: false, managementUrl: broker.managementUrl };
  session = await driver.connect(profile, { secrets: { password: broker.password }, timeoutMs: TIMEOUT, hostKeys: pinnedHostKey('x AAAA') });
  await session.declareQueue('/', { name: Q, durable: false, exclusive: false, autoDelete: false });
  await session.publish('/', { exchange: '', routingKey: Q, body: 'kept', encoding: 'text', properties: {} });
}, { timeout: 120_000 });

after(async () => {
  broker.signal('SIGCONT');
  await session.close();
  await broker.stop();
  rmSync(root, { recursive: true, force: true });
}, { timeout: 60_000 });

async function endsNamingBroker(what: string, operation: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await assert.rejects(operation(), (error: unknown) => {
    assert.ok(isDriverError(error), `${what}: ${String(error)}`);
    assert.ok(error.message.includes(`127.0.0.1:${broker.port}`) || error.message.includes(broker.managementUrl), `${what}: ${error.message}`);
    return true;
  }, what);
  const took = Date.now() - started;
  assert.ok(took < TIMEOUT * 3, `${what} took ${took} ms`);
}

test('a stopped broker fails each operation within the timeout, naming it; the session works again once it resumes', { timeout: 120_000 }, async () => {
  assert.equal((await session.queueCounts('/', Q)).messageCount, 1);
  broker.signal('SIGSTOP');
  const events = { onMessage: () => undefined, onEnd: () => undefined };
  await endsNamingBroker('peek', () => session.get('/', Q, 1, 'requeue'));
  await endsNamingBroker('counts', () => session.queueCounts('/', Q));
  await endsNamingBroker('publish', () => session.publish('/', { exchange: '', routingKey: Q, body: 'x', encoding: 'text', properties: {} }));
  await endsNamingBroker('declare', () => session.declareQueue('/', { name: `${Q}.2`, durable: false, exclusive: false, autoDelete: false }));
  await endsNamingBroker('consume', () => session.consume('/', Q, { prefetch: 1, ackMode: 'manual' }, events));
  await endsNamingBroker('tail', () => session.tail('/', 'amq.fanout', '', undefined, events));
  await endsNamingBroker('move', () => session.move('/', Q, `${Q}.2`));
  await endsNamingBroker('rpc', () => session.rpc('/', { exchange: '', routingKey: Q, body: 'x', encoding: 'text', properties: {} }, { replyVia: 'direct', timeoutMs: 60_000 }));
  await endsNamingBroker('the tree', () => session.children());
  await endsNamingBroker('another vhost', () => session.queueCounts('other', Q));
  broker.signal('SIGCONT');
  const counts = await eventually('the session to come back', () => session.queueCounts('/', Q).catch(() => undefined), 90_000);
  assert.equal(counts.messageCount, 1, 'the message is still there');
  const [message] = await session.get('/', Q, 1, 'requeue');
  assert.equal(message?.body, 'kept');
});
