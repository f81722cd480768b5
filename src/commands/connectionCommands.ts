import * as vscode from 'vscode';
import { SessionManager } from '../core/sessionManager';
import { Log } from '../core/log';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { ConnectionsTree } from '../explorer/connectionsTree';
import { TreeNode } from '../explorer/nodes/treeNode';
import { profileFor } from './pickProfile';

/** Connect, disconnect, refresh, show log. */
export function registerConnectionCommands(profiles: ConnectionCatalog, sessions: SessionManager, tree: ConnectionsTree, log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.connect', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, vscode.l10n.t('Connect to…'));
      if (!profile) return;
      await sessions.disconnect(profile.id);
      try {
        await vscode.window.withProgress({ location: { viewId: 'switchboard.connections' }, title: vscode.l10n.t('Connecting to {0}', profile.name) }, () => sessions.session(profile));
      } catch (error) {
        log.report(vscode.l10n.t('Connecting to {0}', profile.name), error);
      }
      const node = tree.connectionNode(profile.id);
      if (node) {
        tree.refresh(node);
        await tree.view.reveal(node, { expand: true }).then(undefined, () => undefined);
      }
    }),
    vscode.commands.registerCommand('switchboard.disconnect', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, vscode.l10n.t('Disconnect…'), (p) => sessions.isOpen(p.id));
      if (profile) await sessions.disconnect(profile.id);
    }),
    vscode.commands.registerCommand('switchboard.refresh', (node?: TreeNode) => tree.refresh(node)),
    vscode.commands.registerCommand('switchboard.showLog', () => log.channel.show()),
  ];
}
