import * as vscode from 'vscode';
import { SessionManager } from '../core/sessionManager';
import { Log } from '../core/log';
import { ProfileStore } from '../storage/profileStore';
import { ConnectionsTree } from '../explorer/connectionsTree';
import { TreeNode } from '../explorer/nodes/treeNode';
import { profileFor } from './pickProfile';

/** Connect, disconnect, refresh, show log. */
export function registerConnectionCommands(profiles: ProfileStore, sessions: SessionManager, tree: ConnectionsTree, log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.connect', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, 'Connect to…');
      if (!profile) return;
      await sessions.disconnect(profile.id);
      try {
        await vscode.window.withProgress({ location: { viewId: 'switchboard.connections' }, title: `Connecting to ${profile.name}` }, () => sessions.session(profile));
      } catch (error) {
        log.report(`Connecting to ${profile.name}`, error);
      }
      const node = tree.connectionNode(profile.id);
      if (node) {
        tree.refresh(node);
        await tree.view.reveal(node, { expand: true }).then(undefined, () => undefined);
      }
    }),
    vscode.commands.registerCommand('switchboard.disconnect', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, 'Disconnect…', (p) => sessions.isOpen(p.id));
      if (profile) await sessions.disconnect(profile.id);
    }),
    vscode.commands.registerCommand('switchboard.refresh', (node?: TreeNode) => tree.refresh(node)),
    vscode.commands.registerCommand('switchboard.showLog', () => log.channel.show()),
  ];
}
