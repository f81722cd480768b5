import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { posix } from 'node:path';
import type { SshSession } from '../drivers/ssh';
import type { TransferOutcome } from '../drivers/ssh/sftpTransfers';
import type { TransferPlan } from '../drivers/ssh/transferPlan';
import { SshProfile } from '../drivers/types';
import { messageOf } from '../drivers/errors';
import { localNameProblem, remoteNameProblem } from '../drivers/ssh/remoteNames';
import { SessionManager } from '../core/sessionManager';
import { sshSession } from '../core/sshSessions';
import { rowOf } from './treeArgs';
import { Log } from '../core/log';
import { withCancellableProgress } from '../core/progress';
import { ConnectionsTree } from '../explorer/connectionsTree';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { sftpUri } from '../fs/sftpFileSystem';
import { confirmDeletion, confirmReplacements, reportOutcome } from './sftpTransferPrompts';

interface Services {
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTree;
  readonly log: Log;
}

/** The remote path of a Files row, or undefined for other rows. */
export function remotePath(arg: unknown): { profile: SshProfile; path: string; isDir: boolean } | undefined {
  const row = rowOf(arg, 'ssh');
  if (row?.place.of !== 'dir' && row?.place.of !== 'file') return undefined;
  return { profile: row.profile, path: row.place.path, isDir: row.place.of === 'dir' };
}

/** A name typed for a new or renamed remote entry: one plain path component. */
function validName(value: string): string | undefined {
  if (!value.trim()) return vscode.l10n.t('Enter a name.');
  const problem = remoteNameProblem(value);
  return problem ? vscode.l10n.t('Not a single file name: {0}.', problem) : undefined;
}

/** New, rename, delete, download and upload on the Files rows of SSH connections. */
export function registerRemoteFileCommands({ sessions, tree, log }: Services): vscode.Disposable[] {
  const guarded = async (action: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (error) {
      log.report(action, new Error(messageOf(error)));
    }
  };

  /** Plans under a cancellable progress, asks once about replacements, then runs the plan as shown. */
  const transfer = async (
    profile: SshProfile,
    title: string,
    plan: (session: SshSession, signal: AbortSignal) => Promise<TransferPlan>,
    confirm: (plan: TransferPlan) => Promise<boolean | undefined>,
  ): Promise<{ plan: TransferPlan; outcome: TransferOutcome } | undefined> => {
    try {
      const session = await sshSession(sessions, profile);
      const planned = await withCancellableProgress(vscode.l10n.t('{0}: looking at what is there', title), (_report, signal) => plan(session, signal));
      const replace = await confirm(planned);
      if (replace === undefined) return undefined;
      const outcome = await withCancellableProgress(title, (report, signal) => {
        let shown = 0;
        return session.transfers.run(planned, replace, (done, total, file) => {
          const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
          report(`${posix.basename(file)} ${percent}%`, percent - shown);
          shown = percent;
        }, signal);
      });
      return { plan: planned, outcome };
    } catch (error) {
      log.report(title, error);
      return undefined;
    }
  };

  const upload = async (arg: unknown, folder: boolean): Promise<TransferOutcome | undefined> => {
    const target = remotePath(arg);
    if (!target?.isDir) return undefined;
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: !folder, canSelectFolders: folder, canSelectMany: true, openLabel: vscode.l10n.t('Upload') });
    if (!picked?.length) return undefined;
    const roots = picked.map((uri) => ({ source: uri.fsPath, target: posix.join(target.path, basename(uri.fsPath)) }));
    const where = vscode.l10n.t('{0} on {1}', target.path, target.profile.name);
    const done = await transfer(target.profile, vscode.l10n.t('Uploading to {0}', target.path), (session, signal) => session.transfers.planUpload(roots, signal),
      (plan) => confirmReplacements(plan, where, (path) => posix.relative(target.path, path)));
    tree.refresh(arg instanceof BrowseItemNode ? arg : undefined);
    if (done) reportOutcome(log, 'Uploaded', where, done.plan, done.outcome);
    return done?.outcome;
  };

  return [
    vscode.commands.registerCommand('switchboard.ssh.newFile', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target?.isDir) return;
      const name = await vscode.window.showInputBox({ title: vscode.l10n.t('New file in {0}', target.path), validateInput: validName });
      if (!name || validName(name)) return;
      const uri = sftpUri(target.profile.id, posix.join(target.path, name));
      await guarded(vscode.l10n.t('Creating {0}', uri.path), async () => {
        // An exclusive create: an existing file of that name is reported, never emptied.
        await (await sshSession(sessions, target.profile)).files.createEmpty(uri.path);
        tree.refresh(arg instanceof BrowseItemNode ? arg : undefined);
        await vscode.commands.executeCommand('vscode.open', uri);
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.newFolder', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target?.isDir) return;
      const name = await vscode.window.showInputBox({ title: vscode.l10n.t('New folder in {0}', target.path), validateInput: validName });
      if (!name || validName(name)) return;
      await guarded(vscode.l10n.t('Creating {0}', posix.join(target.path, name)), async () => {
        await vscode.workspace.fs.createDirectory(sftpUri(target.profile.id, posix.join(target.path, name)));
        tree.refresh(arg instanceof BrowseItemNode ? arg : undefined);
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.renameRemote', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target) return;
      const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Rename {0}', target.path), value: posix.basename(target.path), validateInput: validName });
      if (!name || name === posix.basename(target.path)) return;
      await guarded(vscode.l10n.t('Renaming {0}', target.path), async () => {
        const problem = validName(name);
        if (problem) throw new Error(vscode.l10n.t('"{0}" refused. {1}', name, problem));
        const to = posix.join(posix.dirname(target.path), name);
        const files = (await sshSession(sessions, target.profile)).files;
        const existing = await files.stat(to).catch(() => undefined);
        if (existing?.type === 'directory' && !existing.isLink) throw new Error(vscode.l10n.t('{0} is an existing folder; renaming onto a folder is refused, as it would delete what the folder holds.', to));
        if (existing) {
          const is = existing.isLink
            ? vscode.l10n.t('{0} is a symbolic link (the link is replaced, not what it points to).', to)
            : vscode.l10n.t('{0} is a file of {1} bytes, modified {2}.', to, existing.size, new Date(existing.mtime).toISOString().replace('T', ' ').slice(0, 19));
          const detail = `${is} ${vscode.l10n.t('It is replaced by {0} in one step.', target.path)}`;
          const replace = vscode.l10n.t('Replace');
          const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Replace {0} with {1}?', to, posix.basename(target.path)), { modal: true, detail }, replace);
          if (choice !== replace) return;
        }
        await vscode.workspace.fs.rename(sftpUri(target.profile.id, target.path), sftpUri(target.profile.id, to), { overwrite: existing !== undefined });
        tree.refresh();
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.deleteRemote', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target) return;
      await guarded(vscode.l10n.t('Deleting {0}', target.path), async () => {
        const files = (await sshSession(sessions, target.profile)).files;
        const tally = await withCancellableProgress(vscode.l10n.t('Counting what {0} holds', target.path), (_report, signal) => files.countForDeletion(target.path, signal));
        if (!(await confirmDeletion(tally, target.isDir, target.profile.name))) return;
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting {0}', target.path) }, () => files.deleteCounted(tally));
        tree.refresh();
      });
    }),
    vscode.commands.registerCommand('switchboard.ssh.download', async (arg?: unknown) => {
      const target = remotePath(arg);
      if (!target) return undefined;
      const name = posix.basename(target.path);
      const problem = localNameProblem(name);
      if (problem) return void log.report(vscode.l10n.t('Downloading {0}', target.path), new Error(vscode.l10n.t('"{0}" cannot be a file name here: {1}.', name, problem)));
      if (!target.isDir) {
        // The save dialog itself asks before it names an existing file.
        const picked = (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(homedir(), name)), saveLabel: vscode.l10n.t('Download') }))?.fsPath;
        if (!picked) return undefined;
        const done = await transfer(target.profile, vscode.l10n.t('Downloading {0}', name), (session, signal) => session.transfers.planDownload(target.path, picked, signal), async () => true);
        if (done) reportOutcome(log, 'Downloaded', picked, done.plan, done.outcome);
        return done?.outcome;
      }
      const folder = (await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: vscode.l10n.t('Download Here') }))?.[0]?.fsPath;
      if (!folder) return undefined;
      const local = join(folder, name);
      const done = await transfer(target.profile, vscode.l10n.t('Downloading {0}', name), (session, signal) => session.transfers.planDownload(target.path, local, signal),
        (plan) => confirmReplacements(plan, local, (path) => relative(local, path)));
      if (done) reportOutcome(log, 'Downloaded', local, done.plan, done.outcome);
      return done?.outcome;
    }),
    vscode.commands.registerCommand('switchboard.ssh.uploadFiles', (arg?: unknown) => upload(arg, false)),
    vscode.commands.registerCommand('switchboard.ssh.uploadFolder', (arg?: unknown) => upload(arg, true)),
  ];
}
