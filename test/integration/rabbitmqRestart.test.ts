import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver } from '../../src/drivers/rabbitmq';
import { SessionEvent } from '../../src/drivers/types';
import { MessageView } from '../../src/drivers/rabbitmq/shapes';
import { startRabbitMq } from '../services/rabbitmq';
import { pinnedHostKey, TIMEOUT_MS } from './env';
import { eventually } from '../eventually';

// A broker of its own, so that stopping it leaves the shared one alone.
test('rabbitmq: durable queues and persistent messages survive a broker restart, unacked ones included; the session reconnects', { timeout: 180_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-restart-'));
  let broker = await startRabbitMq(root);
  const profile = { id: 'r', name: 'restart', kind: 'rabbitmq' as const, host: '127.0.0.1', port: broker.port, username: broker.user, vhost: '/', tls: false, readOnly: false };
  const session = await driver.connect(profile, { secrets: { password: broker.password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
  const events: SessionEvent['state'][] = [];
  session.onState((e) => events.push(e.state));
  try {
    const q = 'sbtest.durable';
    await session.declareQueue('/', { name: q, durable: true, exclusive: false, autoDelete: false });
    await session.publish('/', { exchange: '', routingKey: q, body: 'kept', encoding: 'text', properties: { persistent: true }, repeat: 20 });
    await session.publish('/', { exchange: '', routingKey: q, body: 'transient', encoding: 'text', properties: {}, repeat: 5 });
    const held: MessageView[] = [];
    let ended = '';
    await session.consume('/', q, { prefetch: 3, ackMode: 'manual' }, { onMessage: (m) => held.push(m), onEnd: (r) => { ended = r; } });
    await eventually('three unacked deliveries', () => held.length === 3, 30_000);

    await broker.stop();
    await eventually('the session to notice', () => events.includes('reconnecting'), 30_000);
    await eventually('the consumer to end', () => ended !== '', 30_000);
    broker = await startRabbitMq(root, broker.ports);
    await eventually('the session to reconnect', () => events.at(-1) === 'connected', 60_000);

    // 20 persistent messages (3 of them were unacked when the broker went), none of the 5 transient ones.
    const counts = await session.queueCounts('/', q);
    assert.equal(counts.messageCount, 20);
    const back = await session.get('/', q, 25, 'ack');
    assert.ok(back.every((m) => m.body === 'kept'));
    assert.equal(back.filter((m) => m.redelivered).length, 3, 'the three held ones come back marked redelivered');
  } finally {
    await session.close();
    await broker.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
