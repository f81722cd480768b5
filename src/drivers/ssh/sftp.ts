import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename as localRename, rm, stat as localStat } from 'node:fs/promises';
import localPaths, { join, PlatformPath, posix } from 'node:path';
import { Client, SFTPWrapper, Stats } from 'ssh2';
import { DriverError } from '../errors';

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

export interface TransferProgress {
  /** Bytes done of the current file, the file, and totals when known. */
  (done: number, total: number, file: string): void;
}

/**
 * Reads of 255 KiB, OpenSSH's limit, move about twice the data of 32 KiB reads over the same connection; fastGet asks
 * again for whatever a server returns short. Writes stay at 32 KiB, which every server accepts.
 */
const DOWNLOAD_CHUNK = 255 * 1024;
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

/** A hidden sibling of a file, where its new content is written until every byte is there. */
function partName(path: string, paths: PlatformPath): string {
  return paths.join(paths.dirname(path), `.${paths.basename(path)}.switchboard-${randomBytes(4).toString('hex')}`);
}

function typeOf(stats: Stats): EntryType {
  return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
}

/** Promise-shaped SFTP over one SSH connection: listing, atomic saves, and streamed transfers with progress and cancel. */
export class RemoteFiles {
  private channel: Promise<SFTPWrapper> | undefined;

  /** `readOnlyProfile` names a read-only connection: every change to remote files is refused. */
  constructor(private readonly client: Client, private readonly readOnlyProfile?: string) {}

  get readOnly(): boolean {
    return this.readOnlyProfile !== undefined;
  }

  private writable(action: string, path: string): void {
    if (this.readOnlyProfile !== undefined) {
      throw new DriverError('readOnly', `${action} ${path} refused: "${this.readOnlyProfile}" is a read-only connection.`, 'Download or read files only, or edit the connection and clear Read-only.');
    }
  }

  private sftp(): Promise<SFTPWrapper> {
    if (!this.channel) {
      this.channel = new Promise((resolve, reject) => this.client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))));
      this.channel.then(
        (sftp) => sftp.on('close', () => (this.channel = undefined)),
        () => (this.channel = undefined),
      );
    }
    return this.channel;
  }

  private async call<T>(action: string, path: string, fn: (sftp: SFTPWrapper, done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    const sftp = await this.sftp();
    return new Promise<T>((resolve, reject) => fn(sftp, (error, value) => (error ? reject(sftpError(error, action, path)) : resolve(value as T))));
  }

  realpath(path: string): Promise<string> {
    return this.call('Resolving', path, (s, done) => s.realpath(path, done));
  }

  async stat(path: string): Promise<RemoteEntry> {
    const lstats = await this.call<Stats>('Reading', path, (s, done) => s.lstat(path, done));
    return this.entry(posix.basename(path) || '/', path, lstats);
  }

  async list(dir: string): Promise<RemoteEntry[]> {
    const items = await this.call<{ filename: string; attrs: Stats }[]>('Listing', dir, (s, done) => s.readdir(dir, done));
    const entries = await Promise.all(items.map((item) => this.entry(item.filename, posix.join(dir, item.filename), item.attrs)));
    return entries.sort((a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name));
  }

  private async entry(name: string, path: string, stats: Stats): Promise<RemoteEntry> {
    const isLink = stats.isSymbolicLink();
    let type = typeOf(stats);
    if (isLink) {
      type = await this.call<Stats>('Reading', path, (s, done) => s.stat(path, done)).then(typeOf, () => 'symlink' as const);
    }
    return { name, path, type, isLink, size: stats.size, mtime: stats.mtime * 1000, mode: stats.mode };
  }

  async readFile(path: string, maxBytes: number): Promise<Buffer> {
    const info = await this.stat(path);
    if (info.size > maxBytes) {
      throw new DriverError('config', `${path} is ${info.size} bytes, above the ${maxBytes}-byte limit for opening remote files in the editor.`, 'Download it instead, or raise switchboard.ssh.maxEditorFileMB.');
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
   * so an interrupted save leaves the old file intact and is reported as failed. The target's mode is kept.
   */
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.writable('Saving', path);
    const sftp = await this.sftp();
    const existing = await this.stat(path).catch(() => undefined);
    await this.replaceVia(path, (temp) => new Promise<void>((resolve, reject) => {
      const stream = sftp.createWriteStream(temp, { mode: existing ? existing.mode & 0o7777 : 0o644 });
      stream.on('error', (error: unknown) => reject(sftpError(error, 'Writing', path)));
      stream.on('close', () => resolve());
      stream.end(Buffer.from(data));
    }));
  }

  /** Writes a hidden temporary file beside `path`, then renames it over `path`; on failure the temporary goes. */
  private async replaceVia(path: string, write: (temp: string) => Promise<void>): Promise<void> {
    const temp = partName(path, posix);
    try {
      await write(temp);
      await this.call<void>('Saving', path, (s, done) => s.ext_openssh_rename(temp, path, done));
    } catch (error) {
      await this.call<void>('Cleaning up', temp, (s, done) => s.unlink(temp, done)).catch(() => undefined);
      throw error;
    }
  }

  async mkdir(path: string): Promise<void> {
    this.writable('Creating', path);
    return this.call('Creating', path, (s, done) => s.mkdir(path, done));
  }

  /** Renames without overwriting (SFTP v3 rename fails when the target exists). */
  async rename(from: string, to: string): Promise<void> {
    this.writable('Renaming', from);
    return this.call('Renaming', from, (s, done) => s.rename(from, to, done));
  }

  async remove(path: string): Promise<void> {
    this.writable('Deleting', path);
    const info = await this.stat(path);
    if (info.type === 'directory' && !info.isLink) {
      for (const child of await this.list(path)) await this.remove(child.path);
      await this.call<void>('Deleting', path, (s, done) => s.rmdir(path, done));
    } else {
      await this.call<void>('Deleting', path, (s, done) => s.unlink(path, done));
    }
  }

  /**
   * Downloads a file or a folder tree with parallel reads; aborting closes the SFTP channel. Each file is written to a
   * hidden part file renamed into place once complete, so an interrupted download never leaves a cut file by the name.
   */
  async download(remote: string, local: string, progress: TransferProgress, signal?: AbortSignal): Promise<number> {
    const info = await this.stat(remote);
    if (info.type === 'directory') {
      await mkdir(local, { recursive: true });
      let total = 0;
      for (const child of await this.list(remote)) total += await this.download(child.path, join(local, child.name), progress, signal);
      return total;
    }
    const part = partName(local, localPaths);
    try {
      await this.transfer('Downloading', remote, (sftp, done) => sftp.fastGet(remote, part, { concurrency: 32, chunkSize: DOWNLOAD_CHUNK, step: (d, _n, t) => progress(d, t, remote) }, done), signal);
      await localRename(part, local);
    } catch (error) {
      await rm(part, { force: true });
      throw error;
    }
    return info.size;
  }

  /**
   * Uploads a file or a folder tree with parallel writes; aborting closes the SFTP channel. Each file goes to a hidden
   * temporary file renamed over the target once complete, so an interrupted upload leaves the old file as it was.
   */
  async upload(local: string, remote: string, progress: TransferProgress, signal?: AbortSignal): Promise<number> {
    this.writable('Uploading to', remote);
    const info = await localStat(local);
    if (info.isDirectory()) {
      await this.mkdir(remote).catch(() => undefined);
      let total = 0;
      for (const name of await readdir(local)) total += await this.upload(join(local, name), posix.join(remote, name), progress, signal);
      return total;
    }
    await this.replaceVia(remote, (temp) => this.transfer('Uploading', remote, (sftp, done) => sftp.fastPut(local, temp, { concurrency: 64, chunkSize: 32768, step: (d, _n, t) => progress(d, t, remote) }, done), signal));
    return info.size;
  }

  private async transfer(action: string, path: string, run: (sftp: SFTPWrapper, done: (error?: Error | null) => void) => void, signal?: AbortSignal): Promise<void> {
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
