import * as vscode from 'vscode';
import { walkthroughDone } from '../core/walkthrough';
import { isKind, PortForward, SshProfile } from '../drivers/types';
import { messageOf } from '../drivers/errors';
import { forwardKey, parseForward } from '../drivers/ssh/forwards';
import { SessionManager } from '../core/sessionManager';
import { sshSession } from '../core/sshSessions';
import { rowOf } from './treeArgs';
import { AuditLog } from '../core/auditLog';
import { Log } from '../core/log';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { ConnectionsTree } from '../explorer/connectionsTree';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { SshTerminal } from '../terminals/sshTerminal';
import { profileFor } from './pickProfile';

interface Services {
  readonly profiles: ConnectionCatalog;
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTree;
  readonly audit: AuditLog;
  readonly log: Log;
}

function forwardOf(arg: unknown, profiles: ConnectionCatalog): { profile: SshProfile; forward: PortForward } | undefined {
  const row = rowOf(arg, 'ssh');
  if (row?.place.of !== 'forward') return undefined;
  const key = row.place.forward;
  const profile = profiles.get(row.profile.id);
  const forward = isKind(profile, 'ssh') ? profile.forwards?.find((f) => forwardKey(f) === key) : undefined;
  return profile && isKind(profile, 'ssh') && forward ? { profile, forward } : undefined;
}

/** Terminals, commands and port forwards of SSH connections. */
export function registerSshCommands(services: Services): vscode.Disposable[] {
  const { profiles, sessions, tree, audit, log } = services;
  const pickSsh = (arg: unknown, placeHolder: string) => profileFor(arg instanceof BrowseItemNode ? undefined : arg, profiles, placeHolder, (p) => p.kind === 'ssh').then((p) => (isKind(p, 'ssh') ? p : undefined));
  const sshOf = async (arg: unknown, placeHolder: string): Promise<SshProfile | undefined> => (arg instanceof BrowseItemNode && isKind(arg.profile, 'ssh') ? arg.profile : pickSsh(arg, placeHolder));

  const openTerminal = (profile: SshProfile, command?: string): { terminal: vscode.Terminal; pty: SshTerminal } => {
    const pty = new SshTerminal(profile, sessions, audit, command);
    const terminal = vscode.window.createTerminal({ name: command ? `${profile.name}: ${command}` : profile.name, pty, iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
    walkthroughDone('openedTerminal');
    return { terminal, pty };
  };

  return [
    vscode.commands.registerCommand('switchboard.ssh.openTerminal', async (arg?: unknown) => {
      const profile = await sshOf(arg, vscode.l10n.t('Open a terminal on…'));
      return profile ? openTerminal(profile) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.ssh.runCommand', async (arg?: unknown, command?: unknown) => {
      const profile = await sshOf(arg, vscode.l10n.t('Run a command on…'));
      if (!profile) return undefined;
      const current = profiles.get(profile.id);
      const snippets = isKind(current, 'ssh') ? (current.snippets ?? []) : [];
      // A command given by the caller (a keybinding's args) runs as it is; otherwise the user picks or types one.
      const picked = typeof command === 'string' && command ? command : await new Promise<string | undefined>((resolve) => {
        const quick = vscode.window.createQuickPick();
        quick.title = vscode.l10n.t('Run on {0} ({1})', profile.name, `${profile.username}@${profile.host}`);
        quick.placeholder = snippets.length ? vscode.l10n.t('Pick a saved command or type one') : vscode.l10n.t('Type a command');
        quick.items = snippets.map((label) => ({ label, description: 'saved' }));
        quick.onDidChangeValue((value) => (quick.items = [...(value && !snippets.includes(value) ? [{ label: value, description: 'run' }] : []), ...snippets.map((label) => ({ label, description: 'saved' }))]));
        quick.onDidAccept(() => {
          resolve(quick.selectedItems[0]?.label ?? (quick.value || undefined));
          quick.hide();
        });
        quick.onDidHide(() => {
          resolve(undefined);
          quick.dispose();
        });
        quick.show();
      });
      if (!picked) return undefined;
      audit.record('exec', profile, { command: picked });
      return openTerminal(profile, picked);
    }),
    vscode.commands.registerCommand('switchboard.ssh.addForward', async (arg?: unknown) => {
      const profile = await sshOf(arg, vscode.l10n.t('Add a port forward to…'));
      if (!profile) return;
      const text = await vscode.window.showInputBox({
        title: vscode.l10n.t('Port forward through {0}', profile.name),
        prompt: 'localPort:remoteHost:remotePort — 127.0.0.1:localPort here reaches remoteHost:remotePort as seen from the SSH host',
        placeHolder: '15432:db.internal:5432',
        validateInput: (value) => (parseForward(value) ? undefined : vscode.l10n.t('Use localPort:remoteHost:remotePort, e.g. 8080:localhost:80')),
      });
      const forward = text ? parseForward(text) : undefined;
      const current = profiles.get(profile.id);
      if (!forward || !isKind(current, 'ssh')) return;
      // A workspace connection is changed in its file: saving it here is refused with where to change it.
      await guarded(log, vscode.l10n.t('Adding the forward {0} to {1}', text ?? '', current.name), async () => {
        await profiles.save({ ...current, forwards: [...(current.forwards ?? []).filter((f) => forwardKey(f) !== forwardKey(forward)), forward] });
        await startForward(current, forward);
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.startForward', async (arg?: unknown) => {
      const found = forwardOf(arg, profiles);
      if (found) await startForward(found.profile, found.forward);
    }),
    vscode.commands.registerCommand('switchboard.ssh.stopForward', async (arg?: unknown) => {
      const found = forwardOf(arg, profiles);
      if (!found) return;
      (await sshSession(sessions, found.profile)).stopForward(found.forward);
      tree.refresh();
    }),
    vscode.commands.registerCommand('switchboard.ssh.removeForward', async (arg?: unknown) => {
      const found = forwardOf(arg, profiles);
      if (!found) return;
      if (sessions.isOpen(found.profile.id)) (await sshSession(sessions, found.profile)).stopForward(found.forward);
      await guarded(log, vscode.l10n.t('Removing the forward from {0}', found.profile.name), () => profiles.save({ ...found.profile, forwards: (found.profile.forwards ?? []).filter((f) => forwardKey(f) !== forwardKey(found.forward)) }));
    }),
  ];

  async function startForward(profile: SshProfile, forward: PortForward): Promise<void> {
    await guarded(log, vscode.l10n.t('Starting the forward {0} on {1}', `127.0.0.1:${forward.localPort} → ${forward.remoteHost}:${forward.remotePort}`, profile.name), async () => {
      await (await sshSession(sessions, profile)).startForward(forward);
      tree.refresh();
    });
  }
}

async function guarded(log: Log, action: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    log.report(action, new Error(messageOf(error)));
  }
}
