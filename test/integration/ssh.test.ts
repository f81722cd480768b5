import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driver } from '../../src/drivers/ssh';
import { SshProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, refusedPort, TIMEOUT_MS } from './env';

const profile: SshProfile = {
  id: 'h1', name: 'ssh', kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false,
};
const passwordOptions = () => ({ secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() });

test('ssh: password login shows the host facts after verifying the host key', async () => {
  const options = passwordOptions();
  const session = await driver.connect(profile, options);
  try {
    assert.equal(options.hostKeys.seen, 1, 'the host key was checked');
    assert.match(await session.describe(), /^Linux /);
    const facts = await session.children();
    assert.deepEqual(facts.map((f) => f.label), ['System', 'Uptime', 'Files', 'Port Forwards']);
    assert.match(facts[0]?.description ?? '', /^Linux \S+ \S+ x86_64|^Linux /);
    assert.match(facts[1]?.tooltip ?? '', /up .*load average/);
  } finally {
    await session.close();
  }
});

test('ssh: key login with the client key file', async () => {
  const session = await driver.connect({ ...profile, keyFile: need('SSH_KEY_FILE') }, { ...passwordOptions(), secrets: {} });
  assert.match(await session.describe(), /^Linux /);
  await session.close();
});

test('ssh: an untrusted host key is refused before any password is sent', async () => {
  const other = pinnedHostKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl');
  await assert.rejects(driver.connect(profile, { ...passwordOptions(), hostKeys: other }), (error: unknown) => isDriverError(error) && error.code === 'hostKey' && /not trusted/.test(error.message));
});

test('ssh: a wrong password is an auth error naming the endpoint', async () => {
  await assert.rejects(driver.connect(profile, { ...passwordOptions(), secrets: { password: 'bad-pass-1' } }), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.equal(error.code, 'auth');
    assert.match(error.message, new RegExp(`${profile.host}:${profile.port}`));
    assert.doesNotMatch(error.message, /bad-pass-1/);
    return true;
  });
});

test('ssh: a refused port is reported as refused', async () => {
  const port = await refusedPort();
  await assert.rejects(driver.connect({ ...profile, port }, passwordOptions()), (error: unknown) => isDriverError(error) && error.code === 'refused');
});

test('ssh: pointed at Redis it says the server does not speak SSH', async () => {
  const redis = new URL(need('REDIS_URL'));
  await assert.rejects(driver.connect({ ...profile, port: Number(redis.port) }, passwordOptions()), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.ok(['protocol', 'timeout', 'closed'].includes(error.code), `${error.code}: ${error.message}`);
    assert.match(error.message, /SSH/);
    return true;
  });
});
