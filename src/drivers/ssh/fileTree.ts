import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import localPaths, { PlatformPath } from 'node:path';

export type TreeEntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface TreeEntry {
  readonly name: string;
  readonly kind: TreeEntryKind;
  readonly size: number;
  readonly mode: number;
}

/** One side of a transfer, the server or this machine, seen the same way by the planner. */
export interface FileTree {
  readonly paths: PlatformPath;
  /** A folder's entries as the side reports them (names unchecked), links not followed. */
  list(dir: string): Promise<TreeEntry[]>;
  /** The canonical path, every link resolved; rejects when a link dangles. */
  realpath(path: string): Promise<string>;
  /** What is at `path`, through links; undefined when nothing is. */
  stat(path: string): Promise<TreeEntry | undefined>;
  /** What is at `path` itself (a link is a link); undefined when nothing is. */
  lstat(path: string): Promise<TreeEntry | undefined>;
}

function kindOf(stats: Stats): TreeEntryKind {
  return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
}

function missing(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function entryAt(path: string, read: (path: string) => Promise<Stats>): Promise<TreeEntry | undefined> {
  try {
    const stats = await read(path);
    return { name: localPaths.basename(path), kind: kindOf(stats), size: stats.size, mode: stats.mode };
  } catch (error) {
    if (missing(error)) return undefined;
    throw error;
  }
}

/** This machine's files, as a FileTree. */
export const localTree: FileTree = {
  paths: localPaths,
  async list(dir) {
    const names = await readdir(dir);
    const entries = await Promise.all(names.map((name) => entryAt(localPaths.join(dir, name), lstat)));
    return entries.filter((entry): entry is TreeEntry => entry !== undefined);
  },
  realpath: (path) => realpath(path),
  stat: (path) => entryAt(path, stat),
  lstat: (path) => entryAt(path, lstat),
};
