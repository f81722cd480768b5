import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isDriverError } from '../../src/drivers/errors';
import type { ConnectionNode } from '../../src/explorer/nodes/connectionNode';
import { TreeNode } from '../../src/explorer/nodes/treeNode';
import { workspaceRuntimeId } from '../../src/storage/workspaceFile/workspaceIds';
import { env, eventually, extension } from './api';

type Api = Awaited<ReturnType<typeof extension>>;
const folder = (): vscode.WorkspaceFolder => {
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!first) throw new Error('the suite runs with a workspace folder open');
  return first;
};
const filePath = (): string => join(folder().uri.fsPath, '.vscode', 'switchboard.json');
const idOf = (localId: string): string => workspaceRuntimeId(folder().uri.toString(), localId);
function writeFile(profiles: unknown[]): void {
  mkdirSync(join(folder().uri.fsPath, '.vscode'), { recursive: true });
  writeFileSync(filePath(), `// shared by the team\n${JSON.stringify({ profiles }, null, 2)}\n`);
}
/** The workspace group's rows, once the file watcher has applied the file. */
async function workspaceRows(api: Api, until: (rows: TreeNode[]) => boolean): Promise<TreeNode[]> {
  return eventually('the workspace group to show the file', async () => {
    const group = (await api.tree.getChildren()).find((n) => n.id === `workspace/${folder().uri.toString()}`);
    const rows = group ? await api.tree.getChildren(group) : [];
    return until(rows) ? rows : undefined;
  });
}
const label = (node: TreeNode): string => String(node.treeItem().label);

async function listener(): Promise<{ server: Server; port: number; received: () => string; connections: () => number }> {
  let data = '';
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.once('data', (chunk) => {
      data += chunk.toString('latin1');
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return { server, port: address.port, received: () => data, connections: () => connections };
}

describe('workspace connection files', () => {
  const redis = new URL(env('REDIS_URL'));
  const password = decodeURIComponent(redis.password);
  const cache = { id: 'cache', name: 'Team cache', kind: 'redis', host: redis.hostname, port: Number(redis.port), readOnly: true };
  const ssh = { id: 'box', name: 'Team box', kind: 'ssh', host: env('SSH_HOST'), port: Number(env('SSH_PORT')), username: env('SSH_USER'), keyFile: env('SSH_KEY_FILE') };

  after(async () => {
    const api = await extension();
    await api.sessions.closeAll();
    rmSync(filePath(), { force: true });
  });

  it('shows the file\'s connections in a group of their own, marked as from the workspace, and applies edits live', async () => {
    const api = await extension();
    writeFile([cache]);
    const rows = await workspaceRows(api, (r) => r.some((n) => label(n) === 'Team cache'));
    const node = rows.find((n) => label(n) === 'Team cache')!;
    assert.equal(node.id, `conn/${idOf('cache')}`);
    assert.match(String(node.treeItem().contextValue), /^conn:redis:disconnected:readonly:workspace$/);
    assert.equal(api.profiles.get(idOf('cache'))?.name, 'Team cache');
    assert.equal(api.userProfiles.get(idOf('cache')), undefined, 'not one of the user\'s own, so not synced or exported');

    writeFile([{ ...cache, name: 'Renamed cache' }, ssh]);
    await workspaceRows(api, (r) => r.some((n) => label(n) === 'Renamed cache') && r.some((n) => label(n) === 'Team box'));
    writeFile([ssh]);
    await workspaceRows(api, (r) => !r.some((n) => label(n) === 'Renamed cache'));
    await assert.rejects(api.profiles.save({ id: idOf('box'), name: 'x', kind: 'ssh', host: 'h', port: 22, username: 'u', useAgent: false, readOnly: false }), /defined in .*switchboard\.json/);
  });

  it('refuses an entry with a password, marks it in the file, and never reads the value', async () => {
    const api = await extension();
    writeFile([{ ...cache, password: 'committed-by-mistake' }, ssh]);
    await workspaceRows(api, (r) => r.some((n) => /1 problem/.test(label(n))));
    assert.equal(api.profiles.get(idOf('cache')), undefined);
    const diagnostics = await eventually('the diagnostic on the file', () => {
      const found = vscode.languages.getDiagnostics(vscode.Uri.file(filePath()));
      return found.some((d) => /never holds a password/.test(d.message)) ? found : undefined;
    });
    assert.ok(diagnostics.every((d) => !d.message.includes('committed-by-mistake')));
    assert.equal((await api.secrets.read(idOf('cache'))).password, undefined);
    const state = JSON.stringify(api.globalState.keys().map((key) => [key, api.globalState.get(key)]));
    assert.ok(!state.includes('committed-by-mistake'));
  });

  it('asks for a missing password instead of connecting without it; a dismissed question connects nothing and stores nothing', async () => {
    const api = await extension();
    writeFile([cache]);
    await workspaceRows(api, (r) => r.some((n) => label(n) === 'Team cache'));
    const profile = api.profiles.get(idOf('cache'))!;
    let outcome: unknown;
    let settled = false;
    void api.sessions.session(profile).then(() => 'connected', (error: unknown) => error).then((value) => {
      outcome = value;
      settled = true;
    });
    // The question is an input box; Escape is what a user who does not know the password presses. It is pressed until
    // the attempt ends: nothing says when the box has opened.
    await eventually('the password question to be dismissed', async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return settled;
    });
    assert.ok(isDriverError(outcome) && outcome.code === 'auth' && /no password was entered/.test(outcome.message), String(outcome));
    assert.deepEqual(await api.secrets.has(profile.id), { password: false, passphrase: false, sentinelPassword: false });
  });

  it('keeps the password under the connection\'s id, bound to its endpoint: a file edited to point elsewhere does not get it', async () => {
    const api = await extension();
    writeFile([cache]);
    await workspaceRows(api, (r) => r.some((n) => label(n) === 'Team cache'));
    // What the password question stores (the e2e suite types it into the real box).
    await api.secrets.write(api.profiles.get(idOf('cache'))!, { password }, (id) => api.profiles.get(id));
    const session = await api.sessions.session(api.profiles.get(idOf('cache'))!);
    assert.match(await session.describe(), /Redis/);
    const elsewhere = await listener();
    try {
      writeFile([{ ...cache, port: elsewhere.port }]);
      await eventually('the edit to apply and the old session to close', () => api.profiles.get(idOf('cache'))?.kind === 'redis' && api.sessions.state(idOf('cache')).status === 'disconnected' || undefined);
      await assert.rejects(api.sessions.session(api.profiles.get(idOf('cache'))!), /was not sent/);
      assert.equal(elsewhere.connections(), 0);
      assert.ok(!elsewhere.received().includes(password));
    } finally {
      elsewhere.server.close();
    }
  });

  it('checks a pinned host key exactly: the pinned key connects without asking, any other is refused as changed', async () => {
    const api = await extension();
    const realKey = env('SSH_HOST_KEY').split(' ').slice(0, 2).join(' ');
    writeFile([{ ...ssh, hostKey: `[${ssh.host}]:${ssh.port} ${realKey}` }]);
    await workspaceRows(api, (r) => r.some((n) => label(n) === 'Team box'));
    const session = await api.sessions.session(api.profiles.get(idOf('box'))!);
    assert.match(await session.describe(), /Linux/);
    await api.sessions.disconnect(idOf('box'));

    // The user's own store trusts the real key; the file pins another one: the pin wins.
    await api.hostKeys.remember(ssh.host, ssh.port, Buffer.from(realKey.split(' ')[1]!, 'base64'));
    const otherKey = env('SSH_JUMP_HOST_KEY').split(' ').slice(0, 2).join(' ');
    writeFile([{ ...ssh, hostKey: otherKey }]);
    await eventually('the new pin to apply', () => api.workspaceConnections.pinnedHostKey(idOf('box'))?.key.toString('base64') === otherKey.split(' ')[1] || undefined);
    await assert.rejects(api.sessions.session(api.profiles.get(idOf('box'))!), (error: unknown) => isDriverError(error) && error.code === 'hostKey');
  });

  it('Move to My Connections copies it (and its SSH carrier) into the user\'s own list with its password; Save to Workspace adds one of the user\'s to the file', async () => {
    const api = await extension();
    writeFile([{ ...ssh, id: 'bastion', name: 'Team bastion' }, { ...cache, viaSsh: 'bastion' }]);
    const rows = await workspaceRows(api, (r) => r.some((n) => label(n) === 'Team cache'));
    await api.secrets.write(api.profiles.get(idOf('cache'))!, { password }, (id) => api.profiles.get(id));
    await vscode.commands.executeCommand('switchboard.moveToMyConnections', rows.find((n) => label(n) === 'Team cache') as ConnectionNode);
    const mine = await eventually('the copy among the user\'s own', () => api.userProfiles.all().find((p) => p.name === 'Team cache'));
    assert.ok(!api.profiles.isWorkspace(mine.id));
    const carrier = mine.viaSsh ? api.userProfiles.get(mine.viaSsh) : undefined;
    assert.equal(carrier?.name, 'Team bastion', 'its SSH carrier came along');
    assert.equal((await api.secrets.read(mine.id)).password, password);
    assert.ok(api.profiles.get(idOf('cache')), 'still in the file for everyone else');

    await api.userProfiles.save({ ...mine, id: 'own-to-share', name: 'Shared later', viaSsh: carrier!.id });
    await api.secrets.write(api.profiles.get('own-to-share')!, { password }, (id) => api.profiles.get(id));
    await vscode.commands.executeCommand('switchboard.saveToWorkspace', 'own-to-share');
    const added = await eventually('the saved connection in the file', () => api.workspaceConnections.all().find((p) => p.name === 'Shared later'));
    assert.equal(added.id, idOf('shared-later'));
    assert.equal((await api.secrets.read(added.id)).password, password, 'the user\'s password came along, in SecretStorage');
    const text = (await vscode.workspace.openTextDocument(vscode.Uri.file(filePath()))).getText();
    assert.match(text, /^\/\/ shared by the team/, 'the file keeps its comments');
    assert.ok(!text.includes(password));
    for (const id of ['own-to-share', mine.id, carrier!.id]) await api.userProfiles.delete(id);
  });
});
