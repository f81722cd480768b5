import * as vscode from 'vscode';
import { posix } from 'node:path';
import { isKind, SshProfile } from '../drivers/types';
import { SessionManager } from '../core/sessionManager';
import { sshSession } from '../core/sshSessions';
import { Log } from '../core/log';
import { ConnectionsTree } from '../explorer/connectionsTree';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { profileFor } from './pickProfile';

interface Services {
  readonly profiles: ConnectionCatalog;
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTree;
  readonly log: Log;
}

/**
 * Where the Files row of an SSH connection starts: any folder of the host (`/`, `/etc`, `/var/log`), its parent, or
 * home again. Invoked on the Files row, on the connection, or from the palette (which asks for the connection).
 */
export function registerRemoteFolderCommands({ profiles, sessions, tree, log }: Services): vscode.Disposable[] {
  const profileOf = async (arg: unknown, placeHolder: string): Promise<SshProfile | undefined> => {
    if (arg instanceof BrowseItemNode) return isKind(arg.profile, 'ssh') ? arg.profile : undefined;
    const profile = await profileFor(arg, profiles, placeHolder, (p) => p.kind === 'ssh');
    return isKind(profile, 'ssh') ? profile : undefined;
  };
  const go = async (profile: SshProfile, folder: (current: string) => string | Promise<string | undefined>): Promise<string | undefined> => {
    try {
      const session = await sshSession(sessions, profile);
      const target = await folder(await session.filesFolder());
      if (target === undefined) return undefined;
      const reached = await session.goToFolder(target);
      tree.refresh(tree.connectionNode(profile.id));
      return reached;
    } catch (error) {
      log.report(vscode.l10n.t('Going to another folder on {0}', profile.name), error);
      return undefined;
    }
  };
  return [
    // A path given (from another command or a keybinding) goes there without asking.
    vscode.commands.registerCommand('switchboard.ssh.goToFolder', async (arg?: unknown, path?: unknown) => {
      const profile = await profileOf(arg, vscode.l10n.t('Browse the files of which SSH host?'));
      if (!profile) return undefined;
      return go(profile, async (current) => (typeof path === 'string' ? path : vscode.window.showInputBox({
        title: vscode.l10n.t('Go to Folder on {0}', profile.name),
        prompt: vscode.l10n.t('An absolute path (/var/log), or one from the home folder (~/app, or app).'),
        value: current,
        valueSelection: [current.length, current.length],
        validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Name a folder.')),
      })));
    }),
    vscode.commands.registerCommand('switchboard.ssh.goUp', async (arg?: unknown) => {
      const profile = await profileOf(arg, vscode.l10n.t('Go up on which SSH host?'));
      return profile ? go(profile, (current) => posix.dirname(current)) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.ssh.goHome', async (arg?: unknown) => {
      const profile = await profileOf(arg, vscode.l10n.t('Go home on which SSH host?'));
      return profile ? go(profile, () => '~') : undefined;
    }),
  ];
}
