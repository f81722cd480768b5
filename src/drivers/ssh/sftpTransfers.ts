import { copyFile, constants, link, lstat, mkdir, rename, rm } from 'node:fs/promises';
import localPaths from 'node:path';
import { localTree } from './fileTree';
import { localNameProblem, remoteNameProblem } from './remoteNames';
import { partName, RemoteFiles, TransferProgress } from './sftp';
import { PlannedFile, planTransfer, TransferPlan, TransferRoot } from './transferPlan';

/**
 * Reads of 255 KiB, OpenSSH's limit, move about twice the data of 32 KiB reads over the same connection; fastGet asks
 * again for whatever a server returns short. Writes stay at 32 KiB, which every server accepts.
 */
const DOWNLOAD_CHUNK = 255 * 1024;

/** What a transfer did, beside copying: files it kept because the user said so, or because they appeared meanwhile. */
export interface TransferOutcome {
  readonly files: number;
  readonly bytes: number;
  /** Existing targets left as they were ("skip existing"). */
  readonly kept: readonly string[];
  /** Targets that were not there when planned and were by the time the copy was placed: not replaced. */
  readonly appeared: readonly string[];
}

/** Folder and file transfers over one connection's SFTP channel, planned first, then run as planned. */
export class Transfers {
  constructor(private readonly files: RemoteFiles) {}

  /** A download of a remote file or folder to `local` (the file or folder to write). Names must be local file names. */
  planDownload(remote: string, local: string, signal?: AbortSignal): Promise<TransferPlan> {
    return planTransfer('download', this.files.tree, localTree, [{ source: remote, target: local }], (name) => localNameProblem(name), signal);
  }

  /** An upload of local files or folders, each to its remote path. */
  async planUpload(roots: readonly TransferRoot[], signal?: AbortSignal): Promise<TransferPlan> {
    this.files.writable('Uploading to', roots[0]?.target ?? '');
    return planTransfer('upload', localTree, this.files.tree, roots, remoteNameProblem, signal);
  }

  /**
   * Runs a plan as it was shown: files it lists as replacing something are replaced only with `replaceExisting`;
   * every other file is placed only where nothing is (a file that appeared meanwhile is kept and reported). Each file
   * is written under a hidden part name and renamed into place once complete, so an interrupted copy never leaves a
   * cut file by the name, nor replaces the old one.
   */
  async run(plan: TransferPlan, replaceExisting: boolean, progress: TransferProgress, signal?: AbortSignal): Promise<TransferOutcome> {
    const files = this.files;
    if (plan.direction === 'upload') files.writable('Uploading to', plan.folders[0] ?? plan.files[0]?.target ?? '');
    for (const folder of plan.folders) await makeFolder(files, plan, folder);
    const kept: string[] = [];
    const appeared: string[] = [];
    let done = 0;
    let copied = 0;
    let bytes = 0;
    for (const file of plan.files) {
      if (file.replaces && !replaceExisting) {
        kept.push(file.target);
        done += file.size;
        continue;
      }
      const before = done;
      const step = (fileBytes: number): void => progress(before + fileBytes, plan.bytes, file.source);
      const placed = plan.direction === 'download' ? await download(files, file, replaceExisting, step, signal) : await upload(files, file, replaceExisting, step, signal);
      if (placed) {
        copied++;
        bytes += file.size;
      } else {
        appeared.push(file.target);
      }
      done += file.size;
      progress(done, plan.bytes, file.source);
    }
    return { files: copied, bytes, kept, appeared };
  }
}

/** Creates a planned folder; one that exists by now must be a real folder (a link there is not followed). */
async function makeFolder(files: RemoteFiles, plan: TransferPlan, folder: string): Promise<void> {
  if (plan.direction === 'download') {
    await mkdir(folder).catch(async (error: unknown) => {
      if ((await lstat(folder).catch(() => undefined))?.isDirectory()) return;
      throw error;
    });
    return;
  }
  await files.call<void>('Creating', folder, (s, done) => s.mkdir(folder, done)).catch(async (error: unknown) => {
    if ((await files.tree.lstat(folder))?.kind === 'directory') return;
    throw error;
  });
}

/** Downloads one file; false when it was to be new and something appeared at its place meanwhile. */
async function download(files: RemoteFiles, file: PlannedFile, replace: boolean, step: (bytes: number) => void, signal?: AbortSignal): Promise<boolean> {
  const part = partName(file.target, localPaths);
  try {
    await files.transfer('Downloading', file.source, (sftp, done) => sftp.fastGet(file.source, part, { concurrency: 32, chunkSize: DOWNLOAD_CHUNK, step: (d) => step(d) }, done), signal);
    if (file.replaces && replace) {
      await rename(part, file.target);
      return true;
    }
    return await placeNew(part, file.target);
  } finally {
    await rm(part, { force: true });
  }
}

/** Moves a complete part file to a name that must not exist: a hard link fails if it does, atomically. */
async function placeNew(part: string, target: string): Promise<boolean> {
  try {
    await link(part, target);
    return true;
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'EEXIST') return false;
    // Filesystems without hard links: a copy that refuses an existing target is just as safe.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
      try {
        await copyFile(part, target, constants.COPYFILE_EXCL);
        return true;
      } catch (copyError) {
        if (typeof copyError === 'object' && copyError !== null && 'code' in copyError && copyError.code === 'EEXIST') return false;
        throw copyError;
      }
    }
    throw error;
  }
}

/** Uploads one file, keeping the mode of the file it replaces (or the local file's, when new). */
async function upload(files: RemoteFiles, file: PlannedFile, replace: boolean, step: (bytes: number) => void, signal?: AbortSignal): Promise<boolean> {
  const mode = (file.replaces?.kind === 'file' ? file.replaces.mode : file.mode) & 0o7777;
  const replacing = file.replaces !== undefined && replace;
  return files.replaceVia(file.target, replacing, (temp) => files.transfer('Uploading', file.target, (sftp, done) => sftp.fastPut(file.source, temp, { concurrency: 64, chunkSize: 32768, mode, step: (d) => step(d) }, done), signal));
}
