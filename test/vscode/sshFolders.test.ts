import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { env, eventually, extension, storePassword } from './api';

const ID = 'test-ssh-folders';

describe('SSH Files beyond the home folder', () => {
  it('goes to /etc, up to /, and home again from the Files row, and lists what is there', async () => {
    const api = await extension();
    await api.profiles.save({ id: ID, name: 'Folders', kind: 'ssh', host: env('SSH_HOST'), port: Number(env('SSH_PORT')), username: env('SSH_USER'), useAgent: false, readOnly: true });
    await storePassword(api, ID, env('SSH_PASSWORD'));
    const [, base64] = env('SSH_HOST_KEY').split(' ');
    await api.hostKeys.remember(env('SSH_HOST'), Number(env('SSH_PORT')), Buffer.from(base64!, 'base64'));
    const filesRow = async () => {
      const connection = (await api.tree.getChildren()).find((n) => n.id === `conn/${ID}`)!;
      const files = (await api.tree.getChildren(connection)).find((n) => n.treeItem().label === 'Files');
      assert.ok(files, 'the connection lists Files');
      return files;
    };
    const home = String((await filesRow()).treeItem().description);
    assert.match((await filesRow()).treeItem().contextValue ?? '', /^node:ssh:filesRoot/);
    assert.equal(await vscode.commands.executeCommand('switchboard.ssh.goToFolder', ID, '/etc'), '/etc');
    const etc = await eventually('Files at /etc', async () => ((await filesRow()).treeItem().description === '/etc' ? filesRow() : undefined));
    const names = (await api.tree.getChildren(etc)).map((n) => String(n.treeItem().label));
    assert.ok(names.includes('passwd'), names.join(', '));
    assert.equal(await vscode.commands.executeCommand('switchboard.ssh.goUp', etc), '/');
    assert.equal(await vscode.commands.executeCommand('switchboard.ssh.goHome', await filesRow()), home);
    assert.equal(String((await filesRow()).treeItem().description), home);
    await api.sessions.disconnect(ID);
  });
});
