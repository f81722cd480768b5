import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extension, EXTENSION_ID } from './api';

describe('importing from other tools', () => {
  it('imports a DBeaver data-sources.json through the Import Connections command, with no secret in globalState', async () => {
    const api = await extension();
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const before = api.profiles.all().length;
    await vscode.commands.executeCommand('switchboard.importConnections', vscode.Uri.file(join(root, 'test', 'fixtures', 'imports', 'dbeaver-data-sources.json')));
    const replica = api.profiles.get('dbeaver-mariaDB-18f2b3c4d60-1b2c3d4e5f6a7b8c');
    assert.ok(replica?.kind === 'mysql' && replica.readOnly && replica.group === 'Production/Reporting', JSON.stringify(replica));
    const bastion = replica.viaSsh ? api.profiles.get(replica.viaSsh) : undefined;
    assert.ok(bastion?.kind === 'ssh' && bastion.host === 'db-bastion.example.com');
    // Four MySQL connections and the two SSH hosts of the tunnel; the PostgreSQL one and the broken one are not.
    assert.equal(api.profiles.all().length - before, 6);
    const state = JSON.stringify(api.globalState.keys().map((key) => [key, api.globalState.get(key)]));
    for (const secret of ['plain-billing-pass', 'legacy-pass']) assert.ok(!state.includes(secret), secret);
    assert.equal((await api.secrets.read(replica.id)).password, undefined);
    for (const profile of api.profiles.all().filter((p) => p.id.startsWith('dbeaver-'))) await api.profiles.delete(profile.id);
  });
});
