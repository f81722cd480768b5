import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver } from '../../src/drivers/ssh';
import { SshProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { run } from '../services/process';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

const profile: SshProfile = {
  id: 'k', name: 'keys', kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false,
};
const PASSPHRASE = 'correct horse ✓';
const KEYS = [
  { name: 'ed25519, OpenSSH format, with passphrase', args: ['-t', 'ed25519'], passphrase: PASSPHRASE },
  { name: 'ECDSA P-256, PEM format', args: ['-t', 'ecdsa', '-b', '256', '-m', 'PEM'], passphrase: '' },
  { name: 'RSA 3072, PEM format, with passphrase', args: ['-t', 'rsa', '-b', '3072', '-m', 'PEM'], passphrase: PASSPHRASE },
  { name: 'RSA 2048, OpenSSH format', args: ['-t', 'rsa', '-b', '2048'], passphrase: '' },
];
let dir: string;
let original: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-keys-'));
  original = readFileSync(need('SSH_AUTHORIZED_KEYS'), 'utf8');
  for (const [index, key] of KEYS.entries()) {
    const file = join(dir, `key${index}`);
    await run('/usr/bin/ssh-keygen', ['-q', ...key.args, '-N', key.passphrase, '-C', key.name, '-f', file]);
    appendFileSync(need('SSH_AUTHORIZED_KEYS'), readFileSync(`${file}.pub`));
  }
});

after(() => {
  // Leave the authorized keys as the services wrote them.
  writeFileSync(need('SSH_AUTHORIZED_KEYS'), original);
  rmSync(dir, { recursive: true, force: true });
});

for (const [index, key] of KEYS.entries()) {
  test(`key login: ${key.name}`, async () => {
    const session = await driver.connect({ ...profile, keyFile: join(dir, `key${index}`) }, { secrets: key.passphrase ? { passphrase: key.passphrase } : {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() });
    assert.match(await session.describe(), /^Linux /);
    await session.close();
  });
}

test('a wrong or missing passphrase says the key could not be used, without echoing it', async () => {
  for (const secrets of [{ passphrase: 'not it' }, {}]) {
    await assert.rejects(driver.connect({ ...profile, keyFile: join(dir, 'key0') }, { secrets, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() }), (e: unknown) => {
      assert.ok(isDriverError(e), String(e));
      assert.equal(e.code, 'auth');
      assert.match(e.message, /key|passphrase/i);
      assert.doesNotMatch(e.message, /not it/);
      return true;
    });
  }
});

test('a key file that does not exist is named in the error', async () => {
  await assert.rejects(driver.connect({ ...profile, keyFile: join(dir, 'missing') }, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() }), (e: unknown) => isDriverError(e) && e.code === 'config' && e.message.includes(join(dir, 'missing')));
});
