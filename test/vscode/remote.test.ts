import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { eventually, extension, EXTENSION_ID } from './api';

/**
 * code-server is a remote setup: the workbench runs in the browser, extensions on the server. Switchboard must run on
 * the server side, where the servers are reachable and where ~/.ssh is.
 */
describe('remote development', () => {
  it('runs in the workspace (remote) extension host, not in the UI', async () => {
    await extension();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    // Declared, not left to VS Code's guess (which could change, or pick the UI side for a web-capable bundle).
    assert.deepEqual((ext?.packageJSON as { extensionKind?: unknown }).extensionKind, ['workspace']);
    assert.equal(ext?.extensionKind, vscode.ExtensionKind.Workspace);
    assert.equal(vscode.env.uiKind, vscode.UIKind.Web, 'the UI is a browser, so a UI-side extension could not reach ~/.ssh at all');
    assert.equal(typeof process.versions.node, 'string', 'the extension host is Node on the server');
  });

  it('imports hosts from ~/.ssh/config of the home on the server side', async () => {
    const api = await extension();
    // The harness gives the server its own home; this is the home of the process the extension runs in.
    assert.equal(homedir(), process.env['HOME']);
    assert.ok(process.env['SWITCHBOARD_TEST_DIR'] && homedir().startsWith(process.env['SWITCHBOARD_TEST_DIR']), `the suite's own home, not a developer's: ${homedir()}`);
    mkdirSync(join(homedir(), '.ssh'), { recursive: true });
    writeFileSync(join(homedir(), '.ssh', 'config'), 'Host remote-home-probe\n  HostName 192.0.2.44\n  User probe\n  Port 2202\n');
    const running = vscode.commands.executeCommand('switchboard.importSshConfig');
    // The command offers the hosts in a quick pick (all ticked); accepting it is what a user's Enter does.
    const imported = await eventually('the host from ~/.ssh/config to be imported', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return api.profiles.all().find((p) => p.name === 'remote-home-probe');
    });
    await running;
    assert.equal(imported.kind, 'ssh');
    assert.ok(imported.kind === 'ssh' && imported.host === '192.0.2.44' && imported.port === 2202 && imported.username === 'probe', JSON.stringify(imported));
    await api.profiles.delete(imported.id);
  });
});
