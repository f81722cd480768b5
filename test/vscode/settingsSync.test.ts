import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { knownHostsLine } from '../../src/drivers/ssh/knownHosts';
import { keysForSync, SYNCED_KNOWN_HOSTS_KEY } from '../../src/core/settingsSync';
import { eventually, extension } from './api';

/** An ed25519 public key blob in SSH wire format, as a server presents it. */
function hostKey(): Buffer {
  const type = Buffer.from('ssh-ed25519');
  const key = randomBytes(32);
  const length = (n: number): Buffer => Buffer.from([0, 0, 0, n]);
  return Buffer.concat([length(type.length), type, length(key.length), key]);
}

/** Whether the key is trusted without asking: in this host the question cannot be asked, which is a no. */
const trusted = (api: Awaited<ReturnType<typeof extension>>, host: string, port: number, key: Buffer): Promise<boolean> => api.hostKeys.verify(host, port, key).catch(() => false);

const setOptIn = (value: boolean | undefined): Thenable<void> => vscode.workspace.getConfiguration('switchboard').update('sync.knownHostKeys', value, vscode.ConfigurationTarget.Global);

describe('Settings Sync', () => {
  after(() => setOptIn(undefined));

  it('syncs the connection list, and the trusted host keys only when the user opts in', () => {
    assert.deepEqual(keysForSync(false), ['switchboard.profiles']);
    assert.deepEqual(keysForSync(true), ['switchboard.profiles', SYNCED_KNOWN_HOSTS_KEY]);
  });

  it('known host keys travel only after opting in, a key synced from another machine is trusted, and opting out keeps it', async () => {
    const api = await extension();
    const local = hostKey();
    await api.hostKeys.remember('sync-local.example', 22, local);
    assert.equal(api.globalState.get(SYNCED_KNOWN_HOSTS_KEY), undefined, 'nothing leaves this machine before opting in');

    const fromElsewhere = hostKey();
    await api.globalState.update(SYNCED_KNOWN_HOSTS_KEY, `${knownHostsLine('sync-remote.example', 2222, fromElsewhere)}\n`);
    // Not opted in: a key in the synced state is not trusted (nobody answers the question, which is a no).
    assert.equal(await trusted(api, 'sync-remote.example', 2222, fromElsewhere), false);

    await setOptIn(true);
    const synced = await eventually('the local key to join the synced ones', () => {
      const text = api.globalState.get<string>(SYNCED_KNOWN_HOSTS_KEY, '');
      return text.includes(local.toString('base64')) ? text : undefined;
    });
    assert.ok(synced.includes(fromElsewhere.toString('base64')));
    assert.equal(await trusted(api, 'sync-remote.example', 2222, fromElsewhere), true, 'trusted as it was on the other machine');
    assert.equal(await trusted(api, 'sync-remote.example', 2222, hostKey()), false, 'another key for that host is a changed key');

    await setOptIn(false);
    await eventually('the synced key to be kept in the local file', () => readFileSync(api.hostKeys.storeFile, 'utf8').includes(fromElsewhere.toString('base64')) || undefined);
    assert.equal(await trusted(api, 'sync-remote.example', 2222, fromElsewhere), true);
    await api.hostKeys.forget('[sync-remote.example]:2222');
    await api.hostKeys.forget('sync-local.example');
  });
});
