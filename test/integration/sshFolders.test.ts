import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { driver, SshSession } from '../../src/drivers/ssh';
import { SshProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

const profile: SshProfile = {
  id: 'folders', name: 'folders', kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: true,
};
let session: SshSession;

before(async () => {
  session = await driver.connect(profile, { secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() });
});
after(() => session.close());

/** The Files row and what it lists. */
async function filesRow(): Promise<{ description: string; names: string[] }> {
  const files = (await session.children()).find((n) => n.label === 'Files');
  assert.ok(files, 'there is a Files row');
  return { description: files.description ?? '', names: (await session.children(files)).map((n) => n.label) };
}

test('Files starts at home and can go anywhere the user may list: /, /etc, /var/log, up, home again', async () => {
  const home = await session.homeDirectory();
  assert.equal((await filesRow()).description, home);
  assert.equal(await session.goToFolder('/etc'), '/etc');
  const etc = await filesRow();
  assert.equal(etc.description, '/etc');
  assert.ok(etc.names.includes('passwd'), etc.names.join(', '));
  assert.equal(await session.goToFolder('/'), '/');
  assert.ok((await filesRow()).names.includes('etc'));
  assert.equal(await session.goToFolder('/var/log/../log'), '/var/log', 'the server resolves the path');
  assert.equal(await session.goToFolder('..'), home.split('/').slice(0, -1).join('/') || '/', 'relative paths start at home');
  assert.equal(await session.goToFolder('~'), home);
  assert.equal(await session.goToFolder('~/.'), home);
});

test('a folder that is missing, a file, or empty text is refused, and Files stays where it was', async () => {
  await session.goToFolder('/etc');
  for (const [path, why] of [['/no/such/folder', /No such file|does not exist|not found/i], ['/etc/passwd', /not a folder/], ['   ', /Name the folder/]] as const) {
    await assert.rejects(session.goToFolder(path), (error: unknown) => isDriverError(error) && why.test(error.message), path);
  }
  assert.equal((await filesRow()).description, '/etc');
});
