import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'amqplib';
import { driver } from '../../src/drivers/rabbitmq';
import { RabbitMqProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, refusedPort, TIMEOUT_MS } from './env';
import { eventually } from '../eventually';

const url = new URL(need('AMQP_URL'));
const password = decodeURIComponent(url.password);
const profile: RabbitMqProfile = {
  id: 'q1', name: 'rabbit', kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username),
  vhost: '/', tls: false, readOnly: false, managementUrl: need('RABBITMQ_MGMT_URL'),
};
const options = { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };

test('rabbitmq: connects and lists vhosts, exchanges and queues with message counts', async () => {
  const raw = await connect(need('AMQP_URL'));
  const channel = await raw.createConfirmChannel();
  await channel.assertQueue('switchboard.test.counts', { durable: false, autoDelete: false });
  await channel.purgeQueue('switchboard.test.counts');
  channel.sendToQueue('switchboard.test.counts', Buffer.from('one'));
  channel.sendToQueue('switchboard.test.counts', Buffer.from('two'));
  await channel.waitForConfirms();
  const session = await driver.connect(profile, options);
  try {
    assert.match(await session.describe(), /^RabbitMQ \d+\.\d+/);
    const [vhost] = await session.children();
    assert.equal(vhost?.label, '/');
    const groups = await session.children(vhost);
    assert.deepEqual(groups.map((g) => g.label), ['Exchanges', 'Queues']);
    const exchanges = await session.children(groups[0]);
    assert.ok(exchanges.some((e) => e.label === 'amq.topic' && e.description?.startsWith('topic')));
    // The management API samples queue counts every few seconds.
    const queue = await eventually('the management API to count the two messages', async () =>
      (await session.children(groups[1])).find((q) => q.label === 'switchboard.test.counts' && q.description?.startsWith('2 ready')));
    assert.equal(queue.description, '2 ready · 0 unacked · 0 consumers');
  } finally {
    await session.close();
    await channel.deleteQueue('switchboard.test.counts');
    await raw.close();
  }
});

test('rabbitmq: without a management URL it says what is missing', async () => {
  const { managementUrl: _omitted, ...plain } = profile;
  const session = await driver.connect(plain, options);
  const [notice] = await session.children();
  assert.equal(notice?.type, 'notice');
  assert.match(notice?.tooltip ?? '', /management API URL/);
  await session.close();
});

test('rabbitmq: a wrong password is ACCESS_REFUSED, named with the endpoint', async () => {
  await assert.rejects(driver.connect(profile, { ...options, secrets: { password: 'wrong-one' } }), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.equal(error.code, 'auth', error.message);
    assert.match(error.message, new RegExp(`${profile.host}:${profile.port}`));
    assert.doesNotMatch(error.message, /wrong-one/);
    return true;
  });
});

test('rabbitmq: a refused port is reported as refused', async () => {
  const port = await refusedPort();
  await assert.rejects(driver.connect({ ...profile, port }, options), (error: unknown) => isDriverError(error) && error.code === 'refused');
});

test('rabbitmq: pointed at Redis it says the server does not speak AMQP', async () => {
  const redis = new URL(need('REDIS_URL'));
  await assert.rejects(driver.connect({ ...profile, port: Number(redis.port) }, options), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    // Redis waits silently for the rest of an inline command, so the AMQP handshake never arrives.
    assert.ok(['protocol', 'timeout', 'closed'].includes(error.code), `${error.code}: ${error.message}`);
    assert.match(error.message, /RabbitMQ|AMQP/);
    assert.match(error.message, new RegExp(`:${redis.port}`));
    return true;
  });
});

test('rabbitmq: amqps with the private CA connects; without it, or against the wrong port, the failure is explained', async () => {
  const tlsUrl = new URL(need('AMQPS_URL'));
  const caFile = need('AMQP_CA_FILE');
  const tlsProfile: RabbitMqProfile = { ...profile, host: tlsUrl.hostname, port: Number(tlsUrl.port), tls: true, caFile };
  const session = await driver.connect(tlsProfile, options);
  try {
    assert.match(await session.describe(), /^RabbitMQ \d+/);
  } finally {
    await session.close();
  }
  const { caFile: _none, ...untrusting } = tlsProfile;
  await assert.rejects(driver.connect(untrusting, options), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.equal(error.code, 'tls');
    assert.match(error.message, /certificate is not trusted .*CA certificate file/);
    return true;
  });
  await assert.rejects(driver.connect({ ...tlsProfile, port: profile.port }, options), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.equal(error.code, 'tls', error.message);
    assert.match(error.message, /does not speak TLS on this port/);
    return true;
  });
  await assert.rejects(driver.connect({ ...profile, port: Number(tlsUrl.port) }, options), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.match(error.message, /TLS/, error.message);
    return true;
  });
  await assert.rejects(driver.connect({ ...tlsProfile, caFile: '/nonexistent/ca.pem' }, options), /could not be read/);
});
