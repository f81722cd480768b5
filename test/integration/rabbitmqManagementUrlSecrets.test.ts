import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driver } from '../../src/drivers/rabbitmq';
import { rabbitMqProfile } from '../../src/drivers/rabbitmq/form';
import { RabbitMqProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, refusedPort, TIMEOUT_MS } from './env';

/**
 * A management API URL with a user name or password in it would keep that password in the profile (globalState,
 * exports) and in every error that names the URL. Such URLs are refused by the form and by the driver (the API
 * signs in with the connection's own user and secret), and no error text carries credentials.
 */

const url = new URL(need('AMQP_URL'));
const mgmt = new URL(need('RABBITMQ_MGMT_URL'));
const profile: RabbitMqProfile = {
  id: 'rmq-mgmt-url', name: 'rabbit', kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username),
  vhost: '/', tls: false, readOnly: false,
};
const options = { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };
const SECRET = 'mgmt-s3cret';

const WITH_CREDENTIALS = [
  `http://admin:${SECRET}@${mgmt.host}`,
  `http://admin:${SECRET}@${mgmt.host}/`,
  `HTTP://admin:${SECRET}@${mgmt.host}`,
  `https://admin:${encodeURIComponent(`${SECRET}@:/`)}@${mgmt.host}/prefix`,
  `http://:${SECRET}@${mgmt.host}`,
  `http://${SECRET}@${mgmt.host}`,
  `http://ad%6Din:${SECRET}@${mgmt.host}`,
];

for (const managementUrl of WITH_CREDENTIALS) {
  test(`the driver refuses a management URL with credentials, without repeating them: ${managementUrl.replace(SECRET, '<secret>')}`, async () => {
    await assert.rejects(driver.connect({ ...profile, managementUrl }, options), (error: unknown) => {
      assert.ok(isDriverError(error), String(error));
      assert.equal(error.code, 'config');
      assert.match(error.message, /user name or password/);
      assert.ok(!error.message.includes(SECRET) && !error.message.includes(encodeURIComponent(SECRET)), error.message);
      assert.ok(!error.message.includes('admin'), error.message);
      return true;
    });
  });
  test(`the connection form refuses it too: ${managementUrl.replace(SECRET, '<secret>')}`, () => {
    const { errors } = rabbitMqProfile('x', { name: 'n', host: 'h', username: 'u', managementUrl });
    assert.match(errors['managementUrl'] ?? '', /user name and password/);
  });
}

test('a management URL without credentials works, and its errors name it without the connection password', async () => {
  const session = await driver.connect({ ...profile, managementUrl: mgmt.origin }, options);
  assert.ok((await session.children()).length > 0);
  await session.close();
  const dead = `http://127.0.0.1:${await refusedPort()}`;
  const broken = await driver.connect({ ...profile, managementUrl: dead }, options);
  await assert.rejects(broken.children(), (error: unknown) => isDriverError(error) && error.message.includes(dead) && !error.message.includes(options.secrets.password));
  await broken.close();
});
