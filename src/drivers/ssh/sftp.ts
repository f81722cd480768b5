import { randomBytes } from 'node:crypto';
import { PlatformPath, posix } from 'node:path';
import { Client, SFTPWrapper, Stats } from 'ssh2';
import { DriverError } from '../errors';
import { FileTree, TreeEntry, TreeEntryKind } from './fileTree';
import { RefusedName, remoteNameProblem, shownName } from './remoteNames';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface RemoteEntry {
  readonly name: string;
  readonly path: string;
  /** For a symbolic link, the type of what it points to ('symlink' when that cannot be read). */
  readonly type: EntryType;
  readonly isLink: boolean;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly mtime: number;
  readonly mode: number;
}

/** A folder's entries with plain names, and the names the server sent that are not one path component. */
export interface Listing {
  readonly entries: RemoteEntry[];
  readonly refused: RefusedName[];
}

/** What deleting a folder takes with it, counted before anything goes: deleted as counted and no further. */
export interface DeletionTally {
  readonly root: string;
  readonly files: number;
  readonly folders: number;
  readonly bytes: number;
  /** Paths in the order they are deleted: what a folder holds before the folder. */
  readonly order: readonly { readonly path: string; readonly folder: boolean }[];
  readonly refused: readonly string[];
}

export interface TransferProgress {
  /** Bytes done of the whole transfer, its total, and the file being copied. */
  (done: number, total: number, file: string): void;
}

const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;

/** Maps an SFTP status to a DriverError that says which path and what to do. */
export function sftpError(error: unknown, action: string, path: string): Error {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === SFTP_NO_SUCH_FILE) return new DriverError('server', `${action} ${path}: no such file or directory.`, undefined, { cause: error });
  if (code === SFTP_PERMISSION_DENIED) return new DriverError('server', `${action} ${path}: permission denied.`, 'Check the remote file permissions and the SSH user.', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new DriverError('server', `${action} ${path}: ${message}.`, undefined, { cause: error });
}

function isNoSuchFile(error: unknown): boolean {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return typeof cause === 'object' && cause !== null && 'code' in cause && cause.code === SFTP_NO_SUCH_FILE;
}

/** A hidden sibling of a file, where its new content is written until every byte is there. */
export function partName(path: string, paths: PlatformPath): string {
  return paths.join(paths.dirname(path), `.${paths.basename(path)}.switchboard-${randomBytes(4).toString('hex')}`);
}

function typeOf(stats: Stats): TreeEntryKind {
  return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
}

/** Promise-shaped SFTP over one SSH connection: listing, atomic saves, renames and counted deletes. */
export class RemoteFiles {
  private channel: Promise<SFTPWrapper> | undefined;
  /** The server's files as the transfer planner sees them. */
  readonly tree: FileTree;

  /** `readOnlyProfile` names a read-only connection: every change to remote files is refused. */
  constructor(private readonly client: Client, private readonly readOnlyProfile?: string) {
    const entryAt = (path: string, read: 'stat' | 'lstat'): Promise<TreeEntry | undefined> =>
      this.call<Stats>('Reading', path, (s, done) => s[read](path, done)).then(
        (stats) => ({ name: posix.basename(path), kind: typeOf(stats), size: stats.size, mode: stats.mode }),
        (error: unknown) => {
          if (isNoSuchFile(error)) return undefined;
          throw error;
        },
      );
    this.tree = {
      paths: posix,
      list: async (dir) => (await this.readdir(dir)).map((item) => ({ name: item.filename, kind: typeOf(item.attrs), size: item.attrs.size, mode: item.attrs.mode })),
      realpath: (path) => this.realpath(path),
      stat: (path) => entryAt(path, 'stat'),
      lstat: (path) => entryAt(path, 'lstat'),
    };
  }

  get readOnly(): boolean {
    return this.readOnlyProfile !== undefined;
  }

  /** Throws for a read-only connection. */
  writable(action: string, path: string): void {
    if (this.readOnlyProfile !== undefined) {
      throw new DriverError('readOnly', `${action} ${path} refused: "${this.readOnlyProfile}" is a read-only connection.`, 'Download or read files only, or use a writable connection.');
    }
  }

  /** The connection's one SFTP channel, opened when first needed. */
  sftp(): Promise<SFTPWrapper> {
    if (!this.channel) {
      this.channel = new Promise((resolve, reject) => this.client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))));
      this.channel.then(
        (sftp) => sftp.on('close', () => (this.channel = undefined)),
        () => (this.channel = undefined),
      );
    }
    return this.channel;
  }

  call<T>(action: string, path: string, fn: (sftp: SFTPWrapper, done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    return this.sftp().then((sftp) => new Promise<T>((resolve, reject) => fn(sftp, (error, value) => (error ? reject(sftpError(error, action, path)) : resolve(value as T)))));
  }

  realpath(path: string): Promise<string> {
    return this.call('Resolving', path, (s, done) => s.realpath(path, done));
  }

  async stat(path: string): Promise<RemoteEntry> {
    const lstats = await this.call<Stats>('Reading', path, (s, done) => s.lstat(path, done));
    return this.entry(posix.basename(path) || '/', path, lstats);
  }

  private readdir(dir: string): Promise<{ filename: string; attrs: Stats }[]> {
    return this.call('Listing', dir, (s, done) => s.readdir(dir, done));
  }

  /** A folder's entries, folders first. Names that are not one plain path component are refused, not joined. */
  async list(dir: string): Promise<Listing> {
    const refused: RefusedName[] = [];
    const plain: { filename: string; attrs: Stats }[] = [];
    const seen = new Set<string>();
    for (const item of await this.readdir(dir)) {
      const problem = remoteNameProblem(item.filename) ?? (seen.has(item.filename) ? 'the server listed this name twice' : undefined);
      if (problem) refused.push({ name: item.filename, problem });
      else plain.push(item);
      seen.add(item.filename);
    }
    const entries = await Promise.all(plain.map((item) => this.entry(item.filename, posix.join(dir, item.filename), item.attrs)));
    entries.sort((a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name));
    return { entries, refused };
  }

  private async entry(name: string, path: string, stats: Stats): Promise<RemoteEntry> {
    const isLink = stats.isSymbolicLink();
    let type: EntryType = typeOf(stats);
    if (isLink) {
      type = await this.call<Stats>('Reading', path, (s, done) => s.stat(path, done)).then(typeOf, () => 'symlink' as const);
    }
    return { name, path, type, isLink, size: stats.size, mtime: stats.mtime * 1000, mode: stats.mode };
  }

  async readFile(path: string, maxBytes: number): Promise<Buffer> {
    const info = await this.stat(path);
    if (info.size > maxBytes) {
      throw new DriverError('config', `${path} is ${info.size} bytes, above the ${maxBytes}-byte limit for opening remote files in the editor.`, 'Download it instead, or raise the editor size limit for remote files.');
    }
    const sftp = await this.sftp();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const stream = sftp.createReadStream(path);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: unknown) => reject(sftpError(error, 'Reading', path)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  }

  /**
   * Saves through a temporary file in the same directory, renamed over the target only once every byte is written,
   * so an interrupted save leaves the old file intact and is reported as failed. The target's mode is kept. Saving
   * a symbolic link saves the file it points to: the link stays a link.
   */
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.writable('Saving', path);
    const target = await this.saveTarget(path);
    const sftp = await this.sftp();
    await this.replaceVia(target.path, true, (temp) => new Promise<void>((resolve, reject) => {
      const stream = sftp.createWriteStream(temp, { mode: target.mode });
      stream.on('error', (error: unknown) => reject(sftpError(error, 'Writing', path)));
      stream.on('close', () => resolve());
      stream.end(Buffer.from(data));
    }));
  }

  /** Where a save of `path` writes, and the mode the file keeps. */
  private async saveTarget(path: string): Promise<{ path: string; mode: number }> {
    const own = await this.tree.lstat(path);
    if (!own) return { path, mode: 0o644 };
    if (own.kind === 'file') return { path, mode: own.mode & 0o7777 };
    if (own.kind !== 'symlink') throw new DriverError('config', `Saving ${path} refused: it is not a regular file.`);
    const real = await this.realpath(path).catch(() => undefined);
    const target = real === undefined ? undefined : await this.tree.lstat(real);
    if (real === undefined || target?.kind !== 'file') {
      const what = real === undefined || target === undefined ? 'which does not exist' : 'which is not a regular file';
      throw new DriverError('config', `Saving ${path} refused: it is a symbolic link to ${real ?? 'a path that cannot be resolved'}, ${what}.`, 'Replace the link with a file on the server, or open the file it should point to.');
    }
    return { path: real, mode: target.mode & 0o7777 };
  }

  /**
   * Writes a hidden temporary file beside `path`, then renames it into place: over what is there when `replace`,
   * else only if nothing is there (SFTP's plain rename never overwrites), resolving false when something was. The
   * temporary goes whenever it was not placed.
   */
  async replaceVia(path: string, replace: boolean, write: (temp: string) => Promise<void>): Promise<boolean> {
    const temp = partName(path, posix);
    let placed = false;
    try {
      await write(temp);
      if (replace) {
        await this.call<void>('Saving', path, (s, done) => s.ext_openssh_rename(temp, path, done));
      } else {
        try {
          await this.call<void>('Saving', path, (s, done) => s.rename(temp, path, done));
        } catch (error) {
          if (await this.tree.lstat(path).catch(() => undefined)) return false;
          throw error;
        }
      }
      placed = true;
      return true;
    } finally {
      if (!placed) await this.call<void>('Cleaning up', temp, (s, done) => s.unlink(temp, done)).catch(() => undefined);
    }
  }

  /** Creates an empty file, only where nothing is: SFTP's exclusive create fails on an existing name, whoever made it. */
  async createEmpty(path: string): Promise<void> {
    this.writable('Creating', path);
    if (await this.tree.lstat(path)) throw new DriverError('config', `${path} already exists: it was left as it is.`, 'Open it, or pick another name.');
    const handle = await this.call<Buffer>('Creating', path, (s, done) => s.open(path, 'wx', 0o644, done));
    await this.call<void>('Creating', path, (s, done) => s.close(handle, done));
  }

  async mkdir(path: string): Promise<void> {
    this.writable('Creating', path);
    return this.call('Creating', path, (s, done) => s.mkdir(path, done));
  }

  /**
   * Renames `from` to `to`. Every component of `to` must be a plain name. An existing folder is never a target (a
   * rename over it would take what it holds); an existing file or link is replaced, atomically, only with
   * `replaceFile`. Without it the plain SFTP rename runs, which never overwrites.
   */
  async rename(from: string, to: string, replaceFile = false): Promise<void> {
    this.writable('Renaming', from);
    const bad = to.split('/').slice(1).map(remoteNameProblem).find((problem) => problem !== undefined);
    if (bad || !to.startsWith('/')) {
      throw new DriverError('config', `Renaming ${from} to ${shownName(to)} refused: ${bad ?? 'the new path is not absolute'}.`, 'Pick a plain name, without "/", and not "." or "..".');
    }
    if (from === to) return;
    const existing = await this.tree.lstat(to);
    if (existing?.kind === 'directory') {
      throw new DriverError('config', `Renaming ${from} to ${to} refused: ${to} is an existing folder, and renaming onto it would delete what it holds.`, 'Pick another name, or move or delete that folder first.');
    }
    if (existing && !replaceFile) throw new DriverError('config', `Renaming ${from} refused: ${to} already exists.`, 'Pick another name, or confirm replacing it.');
    if (existing) await this.call<void>('Renaming', from, (s, done) => s.ext_openssh_rename(from, to, done));
    else await this.call<void>('Renaming', from, (s, done) => s.rename(from, to, done));
  }

  /** Counts what deleting `path` takes with it, following no links (a link goes, not what it points to). Refused read-only. */
  async countForDeletion(path: string, signal?: AbortSignal): Promise<DeletionTally> {
    this.writable('Deleting', path);
    const order: { path: string; folder: boolean }[] = [];
    const refused: string[] = [];
    let files = 0;
    let folders = 0;
    let bytes = 0;
    const visit = async (at: string, entry: TreeEntry): Promise<void> => {
      if (signal?.aborted) throw new DriverError('closed', `Counting ${path} was cancelled.`);
      if (entry.kind === 'directory') {
        const seen = new Set<string>();
        for (const child of await this.tree.list(at)) {
          const problem = remoteNameProblem(child.name);
          if (problem) refused.push(`${at}/${shownName(child.name)} (${problem})`);
          else if (!seen.has(child.name)) await visit(posix.join(at, child.name), child);
          seen.add(child.name);
        }
        folders++;
      } else {
        files++;
        bytes += entry.size;
      }
      order.push({ path: at, folder: entry.kind === 'directory' });
    };
    const root = await this.tree.lstat(path);
    if (!root) throw new DriverError('server', `Deleting ${path}: no such file or directory.`);
    await visit(path, root);
    return { root: path, files, folders, bytes, order, refused };
  }

  /**
   * Deletes what `countForDeletion` counted, deepest first. Anything added since stays, and so does the folder that
   * holds it: its rmdir fails and says so.
   */
  async deleteCounted(tally: DeletionTally): Promise<void> {
    this.writable('Deleting', tally.root);
    for (const { path, folder } of tally.order) {
      if (folder) {
        await this.call<void>('Deleting', path, (s, done) => s.rmdir(path, done)).catch((error: unknown) => {
          throw new DriverError('server', `${path} was not deleted: ${error instanceof Error ? error.message : String(error)} It may hold entries added since it was counted, or names that are not plain.`, 'List it again and delete what is left.', { cause: error });
        });
      } else {
        await this.call<void>('Deleting', path, (s, done) => s.unlink(path, done));
      }
    }
  }

  /** Runs one SFTP transfer call; aborting or losing the connection ends it. */
  async transfer(action: string, path: string, run: (sftp: SFTPWrapper, done: (error?: Error | null) => void) => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new DriverError('closed', `${action} ${path} was cancelled.`);
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) => {
      const abort = (): void => {
        sftp.end();
        reject(new DriverError('closed', `${action} ${path} was cancelled.`));
      };
      // A connection lost mid-transfer closes the channel without calling back: that ends the transfer too.
      const lost = (): void => reject(new DriverError('closed', `${action} ${path} stopped: the SSH connection was lost.`, 'Start it again once the host is back; the file it was writing was not replaced.'));
      signal?.addEventListener('abort', abort, { once: true });
      sftp.once('close', lost);
      run(sftp, (error) => {
        signal?.removeEventListener('abort', abort);
        sftp.removeListener('close', lost);
        if (error) reject(sftpError(error, action, path));
        else resolve();
      });
    });
  }

  close(): void {
    void this.channel?.then((sftp) => sftp.end(), () => undefined);
  }
}
