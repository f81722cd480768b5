import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { posix, basename, join } from 'node:path';
import type { RemoteFiles } from '../drivers/ssh/sftp';
import { PortForward, SshProfile } from '../drivers/types';
import { messageOf } from '../drivers/errors';
import { forwardKey, parseForward } from '../drivers/ssh/forwards';
import { SessionManager } from '../core/sessionManager';
import { isSsh, sshSession } from '../core/sshSessions';
import { AuditLog } from '../core/auditLog';
import { Log } from '../core/log';
import { ProfileStore } from '../storage/profileStore';
import { ConnectionsTree } from '../explorer/connectionsTree';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { SshTerminal } from '../terminals/sshTerminal';
import { sftpUri } from '../fs/sftpFileSystem';
import { profileFor } from './pickProfile';

interface Services {
  readonly profiles: ProfileStore;
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTree;
  readonly audit: AuditLog;
  readonly log: Log;
}

/** The remote path of a Files row, or undefined for other rows. */
export function remotePath(arg: unknown): { profile: SshProfile; path: string; isDir: boolean } | undefined {
  if (!(arg instanceof BrowseItemNode) || !isSsh(arg.profile)) return undefined;
  const [what, path] = arg.node.path;
  if ((what !== 'dir' && what !== 'file') || path === undefined) return undefined;
  return { profile: arg.profile, path, isDir: what === 'dir' };
}

function forwardOf(arg: unknown, profiles: ProfileStore): { profile: SshProfile; forward: PortForward } | undefined {
  if (!(arg instanceof BrowseItemNode) || arg.node.path[0] !== 'forward') return undefined;
  const profile = profiles.get(arg.profile.id);
  const forward = isSsh(profile) ? profile.forwards?.find((f) => forwardKey(f) === arg.node.path[1]) : undefined;
  return profile && isSsh(profile) && forward ? { profile, forward } : undefined;
}

/** Terminals, commands, remote files and port forwards of SSH connections. */
export function registerSshCommands(services: Services): vscode.Disposable[] {
  const { profiles, sessions, tree, audit, log } = services;
  const pickSsh = (arg: unknown, placeHolder: string) => profileFor(arg instanceof BrowseItemNode ? undefined : arg, profiles, placeHolder, (p) => p.kind === 'ssh').then((p) => (isSsh(p) ? p : undefined));
  const sshOf = async (arg: unknown, placeHolder: string): Promise<SshProfile | undefined> => (arg instanceof BrowseItemNode && isSsh(arg.profile) ? arg.profile : pickSsh(arg, placeHolder));

  const openTerminal = (profile: SshProfile, command?: string): { terminal: vscode.Terminal; pty: SshTerminal } => {
    const pty = new SshTerminal(profile, sessions, audit, command);
    const terminal = vscode.window.createTerminal({ name: command ? `${profile.name}: ${command}` : profile.name, pty, iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
    return { terminal, pty };
  };

  return [
    vscode.commands.registerCommand('switchboard.ssh.openTerminal', async (arg?: unknown) => {
      const profile = await sshOf(arg, 'Open a terminal on…');
      return profile ? openTerminal(profile) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.ssh.runCommand', async (arg?: unknown, command?: unknown) => {
      const profile = await sshOf(arg, 'Run a command on…');
      if (!profile) return undefined;
      const current = profiles.get(profile.id);
      const snippets = isSsh(current) ? (current.snippets ?? []) : [];
      // A command given by the caller (a keybinding's args) runs as it is; otherwise the user picks or types one.
      const picked = typeof command === 'string' && command ? command : await new Promise<string | undefined>((resolve) => {
        const quick = vscode.window.createQuickPick();
        quick.title = `Run on ${profile.name} (${profile.username}@${profile.host})`;
        quick.placeholder = snippets.length ? 'Pick a saved command or type one' : 'Type a command';
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
    vscode.commands.registerCommand('switchboard.ssh.newFile', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target?.isDir) return;
      const name = await vscode.window.showInputBox({ title: `New file in ${target.path}`, validateInput: validName });
      if (!name) return;
      const uri = sftpUri(target.profile.id, posix.join(target.path, name));
      await guarded(log, `Creating ${uri.path}`, async () => {
        await vscode.workspace.fs.writeFile(uri, new Uint8Array());
        tree.refresh(arg as BrowseItemNode);
        await vscode.commands.executeCommand('vscode.open', uri);
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.newFolder', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target?.isDir) return;
      const name = await vscode.window.showInputBox({ title: `New folder in ${target.path}`, validateInput: validName });
      if (!name) return;
      await guarded(log, `Creating ${posix.join(target.path, name)}`, async () => {
        await vscode.workspace.fs.createDirectory(sftpUri(target.profile.id, posix.join(target.path, name)));
        tree.refresh(arg as BrowseItemNode);
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.renameRemote', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target) return;
      const name = await vscode.window.showInputBox({ title: `Rename ${target.path}`, value: posix.basename(target.path), validateInput: validName });
      if (!name || name === posix.basename(target.path)) return;
      const to = sftpUri(target.profile.id, posix.join(posix.dirname(target.path), name));
      await guarded(log, `Renaming ${target.path}`, async () => {
        let overwrite = false;
        if (await exists(to)) {
          const choice = await vscode.window.showWarningMessage(`${to.path} already exists. Replace it?`, { modal: true }, 'Replace');
          if (choice !== 'Replace') return;
          overwrite = true;
        }
        await vscode.workspace.fs.rename(sftpUri(target.profile.id, target.path), to, { overwrite });
        tree.refresh();
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.deleteRemote', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target) return;
      const what = target.isDir ? `the folder ${target.path} and everything in it` : target.path;
      const choice = await vscode.window.showWarningMessage(`Delete ${what} on ${target.profile.name}?`, { modal: true, detail: 'This cannot be undone.' }, 'Delete');
      if (choice !== 'Delete') return;
      await guarded(log, `Deleting ${target.path}`, async () => {
        await vscode.workspace.fs.delete(sftpUri(target.profile.id, target.path), { recursive: true });
        tree.refresh();
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.download', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target) return undefined;
      const destination = target.isDir
        ? (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: 'Download Here' }))?.[0]?.fsPath
        : (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(homedir(), posix.basename(target.path))), saveLabel: 'Download' }))?.fsPath;
      if (!destination) return undefined;
      const local = target.isDir ? join(destination, posix.basename(target.path)) : destination;
      return transfer(`Downloading ${posix.basename(target.path)}`, async (files, progress, signal) => files.download(target.path, local, progress, signal), target.profile);
    }),
    vscode.commands.registerCommand('switchboard.ssh.uploadFiles', (arg?: unknown) => upload(arg, false)),
    vscode.commands.registerCommand('switchboard.ssh.uploadFolder', (arg?: unknown) => upload(arg, true)),
    vscode.commands.registerCommand('switchboard.ssh.addForward', async (arg?: unknown) => {
      const profile = await sshOf(arg, 'Add a port forward to…');
      if (!profile) return;
      const text = await vscode.window.showInputBox({
        title: `Port forward through ${profile.name}`,
        prompt: 'localPort:remoteHost:remotePort — 127.0.0.1:localPort here reaches remoteHost:remotePort as seen from the SSH host',
        placeHolder: '15432:db.internal:5432',
        validateInput: (value) => (parseForward(value) ? undefined : 'Use localPort:remoteHost:remotePort, e.g. 8080:localhost:80'),
      });
      const forward = text ? parseForward(text) : undefined;
      const current = profiles.get(profile.id);
      if (!forward || !isSsh(current)) return;
      await profiles.save({ ...current, forwards: [...(current.forwards ?? []).filter((f) => forwardKey(f) !== forwardKey(forward)), forward] });
      await startForward(current, forward);
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
      await profiles.save({ ...found.profile, forwards: (found.profile.forwards ?? []).filter((f) => forwardKey(f) !== forwardKey(found.forward)) });
    }),
  ];

  async function startForward(profile: SshProfile, forward: PortForward): Promise<void> {
    await guarded(log, `Starting the forward 127.0.0.1:${forward.localPort} → ${forward.remoteHost}:${forward.remotePort} on ${profile.name}`, async () => {
      await (await sshSession(sessions, profile)).startForward(forward);
      tree.refresh();
    });
  }

  async function upload(arg: unknown, folder: boolean): Promise<number | undefined> {
    const target = remotePath(arg);
    if (!target?.isDir) return undefined;
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: !folder, canSelectFolders: folder, canSelectMany: true, openLabel: 'Upload' });
    if (!picked?.length) return undefined;
    const total = await transfer(`Uploading to ${target.path}`, async (files, progress, signal) => {
      let bytes = 0;
      for (const uri of picked) bytes += await files.upload(uri.fsPath, posix.join(target.path, basename(uri.fsPath)), progress, signal);
      return bytes;
    }, target.profile);
    tree.refresh(arg as BrowseItemNode);
    return total;
  }

  async function transfer(
    title: string,
    work: (files: RemoteFiles, progress: (done: number, total: number, file: string) => void, signal: AbortSignal) => Promise<number>,
    profile: SshProfile,
  ): Promise<number | undefined> {
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        const files = (await sshSession(sessions, profile)).files;
        return work(files, (done, total, file) => {
          const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
          progress.report({ message: `${posix.basename(file)} ${percent}%` });
        }, controller.signal);
      });
    } catch (error) {
      log.report(title, error);
      return undefined;
    }
  }
}

function validName(value: string): string | undefined {
  if (!value.trim()) return 'Enter a name.';
  if (value.includes('/')) return 'A name cannot contain "/".';
  return undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(() => true, () => false);
}

async function guarded(log: Log, action: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    log.report(action, new Error(messageOf(error)));
  }
}
