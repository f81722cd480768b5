import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveDeliveryLimit, policyFor } from '../../src/drivers/rabbitmq/requeueLimit';
import { PolicyInfo, QueueDetails } from '../../src/drivers/rabbitmq/managementApi';

/**
 * The rules for brokers the test servers are not: RabbitMQ 4 gives quorum queues a delivery limit of 20 unless one is
 * set, and -1 turns it off. (The integration tests read real limits from RabbitMQ 3.10.)
 */

const quorum = (args: Record<string, unknown> = {}): QueueDetails => ({ name: 'q', type: 'quorum', arguments: { 'x-queue-type': 'quorum', ...args } });

test('RabbitMQ 4: a quorum queue without a limit has the default of 20; 3.x has none', () => {
  assert.deepEqual(effectiveDeliveryLimit({ details: quorum(), brokerVersion: '4.0.5' }), { deliveries: 20, source: 'default' });
  assert.deepEqual(effectiveDeliveryLimit({ details: quorum(), brokerVersion: '4.1.0' }), { deliveries: 20, source: 'default' });
  assert.equal(effectiveDeliveryLimit({ details: quorum(), brokerVersion: '3.13.7' }), undefined);
  assert.equal(effectiveDeliveryLimit({ details: quorum() }), undefined);
});

test('RabbitMQ 4: -1 turns the limit off; a set limit replaces the default', () => {
  assert.equal(effectiveDeliveryLimit({ details: quorum({ 'x-delivery-limit': -1 }), brokerVersion: '4.0.5' }), undefined);
  assert.equal(effectiveDeliveryLimit({ details: quorum(), policy: { name: 'p', definition: { 'delivery-limit': -1 } }, brokerVersion: '4.0.5' }), undefined);
  assert.deepEqual(effectiveDeliveryLimit({ details: quorum({ 'x-delivery-limit': 50 }), brokerVersion: '4.0.5' }), { deliveries: 50, source: 'argument' });
});

test('the lowest of argument, policy and operator policy wins; classic queues never count', () => {
  assert.deepEqual(effectiveDeliveryLimit({ details: quorum({ 'x-delivery-limit': 9 }), policy: { name: 'p', definition: { 'delivery-limit': 4 } }, operatorPolicy: { name: 'o', definition: { 'delivery-limit': 6 } } }), { deliveries: 4, source: 'policy', policy: 'p' });
  assert.equal(effectiveDeliveryLimit({ details: { name: 'q', type: 'classic', arguments: { 'x-delivery-limit': 2 } }, brokerVersion: '4.0.5' }), undefined);
});

test('the highest-priority matching policy is the one in force; queue-type scopes of 3.12+ are honoured', () => {
  const policies: PolicyInfo[] = [
    { name: 'low', pattern: '^orders', applyTo: 'all', priority: 1, definition: {} },
    { name: 'high', pattern: '^orders\\.', applyTo: 'queues', priority: 5, definition: {} },
    { name: 'exchanges', pattern: '.*', applyTo: 'exchanges', priority: 99, definition: {} },
    { name: 'classic only', pattern: '.*', applyTo: 'classic_queues', priority: 50, definition: {} },
  ];
  assert.equal(policyFor(policies, 'orders.eu', 'quorum')?.name, 'high');
  assert.equal(policyFor(policies, 'ordersX', 'quorum')?.name, 'low');
  assert.equal(policyFor(policies, 'orders.eu', 'classic')?.name, 'classic only');
  assert.equal(policyFor(policies, 'payments', 'quorum'), undefined);
});
