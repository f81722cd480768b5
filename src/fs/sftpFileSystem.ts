import * as vscode from 'vscode';
import { config } from '../core/config';
import type { RemoteEntry, RemoteFiles } from '../drivers/ssh/sftp';
import { isDriverError, messageOf } from '../drivers/errors';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { SessionManager } from '../core/sessionManager';
import { sshSession } from '../core/sshSessions';
import { isKind } from '../drivers/types';

export const SFTP_SCHEME = 'switchboard-sftp';

/** switchboard-sftp://<profile id>/absolute/path */
export function sftpUri(profileId: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SFTP_SCHEME, authority: profileId, path });
}

function fileType(entry: RemoteEntry): vscode.FileType {
  const base = entry.type === 'directory' ? vscode.FileType.Directory : entry.type === 'file' ? vscode.FileType.File : vscode.FileType.Unknown;
  return entry.isLink ? base | vscode.FileType.SymbolicLink : base;
}

/** Remote files over SFTP as editor documents: saves go through a temporary file renamed into place. */
export class SftpFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  constructor(private readonly profiles: ConnectionCatalog, private readonly sessions: SessionManager) {}

  private async files(uri: vscode.Uri): Promise<RemoteFiles> {
    const profile = this.profiles.get(uri.authority);
    if (!isKind(profile, 'ssh')) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('No SSH connection with id {0}; it may have been deleted.', uri.authority));
    return (await sshSession(this.sessions, profile)).files;
  }

  private async run<T>(uri: vscode.Uri, fn: (files: RemoteFiles) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.files(uri));
    } catch (error) {
      if (error instanceof vscode.FileSystemError) throw error;
      const text = messageOf(error);
      if (/no such file/i.test(text)) throw vscode.FileSystemError.FileNotFound(uri);
      if (/permission denied/i.test(text)) throw vscode.FileSystemError.NoPermissions(text);
      throw isDriverError(error) ? vscode.FileSystemError.Unavailable(text) : error;
    }
  }

  watch(): vscode.Disposable {
    // Remote changes are not pushed; VS Code compares stat (mtime, size) before a save, so a file changed underneath is reported.
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.run(uri, async (files) => {
      const entry = await files.stat(uri.path);
      return { type: fileType(entry), ctime: entry.mtime, mtime: entry.mtime, size: entry.size, ...(files.readOnly ? { permissions: vscode.FilePermission.Readonly } : {}) };
    });
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    // Names that are not one plain file name are left out: they are refused, never joined to a path.
    return this.run(uri, async (files) => (await files.list(uri.path)).entries.map((entry) => [entry.name, fileType(entry)]));
  }

  createDirectory(uri: vscode.Uri): Promise<void> {
    return this.run(uri, async (files) => {
      await files.mkdir(uri.path);
      this.changes.fire([{ type: vscode.FileChangeType.Created, uri }]);
    });
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const limitMb = config.sshMaxEditorFileMB();
    return this.run(uri, (files) => files.readFile(uri.path, limitMb * 1024 * 1024));
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
    return this.run(uri, async (files) => {
      const exists = await files.stat(uri.path).then(() => true, () => false);
      if (!exists && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
      if (exists && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
      await files.writeFile(uri.path, content);
      this.changes.fire([{ type: exists ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
    });
  }

  /**
   * Deletes a file, a link or an empty folder. A folder with anything in it is refused whatever `recursive` says:
   * VS Code also deletes through here before a move with overwrite, and a folder and what it holds go only through
   * the Delete command, which counts them and asks first.
   */
  delete(uri: vscode.Uri): Promise<void> {
    return this.run(uri, async (files) => {
      const tally = await files.countForDeletion(uri.path);
      if (tally.order.length > 1 || tally.refused.length > 0) {
        throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('{0} is a folder holding {1} files and {2} folders; it is deleted only with Switchboard\'s Delete command, which counts them and asks first.', uri.path, tally.files, tally.folders - 1));
      }
      await files.deleteCounted(tally);
      this.changes.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    });
  }

  /** Never onto a folder (the driver refuses it); onto a file only with `overwrite`, replacing it in one atomic rename. */
  rename(from: vscode.Uri, to: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    return this.run(from, async (files) => {
      const exists = await files.stat(to.path).then(() => true, () => false);
      if (exists && !options.overwrite) throw vscode.FileSystemError.FileExists(to);
      await files.rename(from.path, to.path, options.overwrite);
      this.changes.fire([{ type: vscode.FileChangeType.Deleted, uri: from }, { type: vscode.FileChangeType.Created, uri: to }]);
    });
  }
}
