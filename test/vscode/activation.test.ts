import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { extension, EXTENSION_ID } from './api';

describe('activation and contributions', () => {
  it('activates and loads no client library until a connection is used', async () => {
    const api = await extension();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.deepEqual(api.drivers.loadedKinds(), []);
  });

  it('registers every contributed command and contributes every registered one', async () => {
    await extension();
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string; category?: string; icon?: string }[]; views: Record<string, { id: string }[]> } };
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    // VS Code adds switchboard.connections.focus and friends for each view itself.
    const views = Object.values(manifest.contributes.views).flat().map((v) => `${v.id}.`);
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('switchboard.') && !views.some((view) => c.startsWith(view))).sort();
    assert.deepEqual(registered, contributed);
    for (const command of manifest.contributes.commands) {
      // The category is a %key% of package.nls.json, like every user-visible string of the manifest.
      assert.equal(command.category, '%command.category%', command.command);
      assert.match(command.icon ?? '', /^\$\([a-z-]+\)$/, command.command);
    }
  });
});
