import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver } from '../../src/drivers/ssh';
import { sshProfile } from '../../src/drivers/ssh/form';
import { SshProfile } from '../../src/drivers/types';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

// A connection synced from another machine, or defined in a shared workspace file, names its key as ~/.ssh/…:
// it must be found in the home of the machine the extension runs on.
let home: string;
let realHome: string | undefined;

before(() => {
  realHome = process.env['HOME'];
  home = mkdtempSync(join(tmpdir(), 'switchboard-home-'));
  mkdirSync(join(home, '.ssh'));
  copyFileSync(need('SSH_KEY_FILE'), join(home, '.ssh', 'team_key'));
  process.env['HOME'] = home;
});

after(() => {
  process.env['HOME'] = realHome;
  rmSync(home, { recursive: true, force: true });
});

test('a key file given as ~/.ssh/… is read from the home directory of the machine that connects', async () => {
  const profile: SshProfile = {
    id: 'home-key', name: 'home key', kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false, keyFile: '~/.ssh/team_key',
  };
  const session = await driver.connect(profile, { secrets: {}, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() });
  assert.match(await session.describe(), /^Linux /);
  await session.close();
});

test('the form keeps a key picked under the home directory as ~/…, and other paths as they are', () => {
  const values = { name: 'k', host: 'h', username: 'u' };
  assert.equal(sshProfile('a', { ...values, keyFile: join(home, '.ssh', 'team_key') }).profile.keyFile, '~/.ssh/team_key');
  assert.equal(sshProfile('a', { ...values, keyFile: '/etc/ssh/shared_key' }).profile.keyFile, '/etc/ssh/shared_key');
  assert.equal(sshProfile('a', { ...values, keyFile: `${home}-other/key` }).profile.keyFile, `${home}-other/key`, 'a sibling of home is not under it');
});
