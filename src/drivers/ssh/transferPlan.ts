import { DriverError } from '../errors';
import { FileTree, TreeEntry } from './fileTree';
import { shownName } from './remoteNames';

export type TransferDirection = 'download' | 'upload';

const MAX_DEPTH = 64;

/** One file to copy; `replaces` is what is at the target now, when something is. */
export interface PlannedFile {
  readonly source: string;
  readonly target: string;
  readonly size: number;
  readonly mode: number;
  readonly replaces?: TreeEntry;
}

/** Something in the source tree that is not copied, and why. */
export interface LeftOut {
  readonly path: string;
  readonly reason: string;
}

/**
 * Everything a transfer will do, worked out before it writes a byte: folders to create, files to copy (and which of
 * them replace something), and what is left out. Shown to the user, then run as planned and no further.
 */
export interface TransferPlan {
  readonly direction: TransferDirection;
  readonly folders: readonly string[];
  readonly files: readonly PlannedFile[];
  readonly leftOut: readonly LeftOut[];
  readonly bytes: number;
}

export interface TransferRoot {
  readonly source: string;
  readonly target: string;
}

/** What was replaced, as the confirmation lists it. */
export function replacements(plan: TransferPlan): PlannedFile[] {
  return plan.files.filter((file) => file.replaces !== undefined);
}

interface Walk {
  readonly source: FileTree;
  readonly target: FileTree;
  readonly nameProblem: (name: string) => string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly folders: string[];
  readonly files: PlannedFile[];
  readonly leftOut: LeftOut[];
  /** Canonical source folders already walked: a link back to one of them would go round a loop or repeat it. */
  readonly walked: Set<string>;
}

function within(paths: FileTree['paths'], root: string, path: string): boolean {
  const relative = paths.relative(root, path);
  return relative === '' || (!relative.startsWith(`..${paths.sep}`) && relative !== '..' && !paths.isAbsolute(relative));
}

function addFile(walk: Walk, source: string, target: string, entry: TreeEntry, existing: TreeEntry | undefined): void {
  if (existing?.kind === 'directory') return void walk.leftOut.push({ path: source, reason: `a folder is in the way at ${target}` });
  if (existing?.kind === 'other') return void walk.leftOut.push({ path: source, reason: `${target} exists and is not a regular file` });
  walk.files.push({ source, target, size: entry.size, mode: entry.mode, ...(existing ? { replaces: existing } : {}) });
}

/** Plans a folder: created when missing, entered when it is a folder, left out when anything else is in the way. */
async function addFolder(walk: Walk, source: string, real: string, root: string, target: string, existing: TreeEntry | undefined, depth: number): Promise<void> {
  // A server can make up folders without end; a real tree this deep is not copied blind either.
  if (depth > MAX_DEPTH) return void walk.leftOut.push({ path: source, reason: `more than ${MAX_DEPTH} folders deep` });
  if (existing && existing.kind !== 'directory') {
    return void walk.leftOut.push({ path: source, reason: `${target} exists and is ${existing.kind === 'symlink' ? 'a symbolic link (not followed)' : 'not a folder'}, so nothing is written into it` });
  }
  if (!existing) walk.folders.push(target);
  walk.walked.add(real);
  const present = existing ? new Map((await walk.target.list(target)).map((entry) => [entry.name, entry])) : undefined;
  await walkFolder(walk, source, real, root, target, present, depth);
}

async function walkFolder(walk: Walk, dir: string, real: string, root: string, targetDir: string, present: Map<string, TreeEntry> | undefined, depth: number): Promise<void> {
  if (walk.signal?.aborted) throw new DriverError('closed', `Reading ${dir} was cancelled.`);
  const { paths } = walk.source;
  const seen = new Set<string>();
  for (const entry of await walk.source.list(dir)) {
    const problem = walk.nameProblem(entry.name);
    if (problem) {
      walk.leftOut.push({ path: `${dir}${paths.sep}${shownName(entry.name)}`, reason: `refused: ${problem}` });
      continue;
    }
    const source = paths.join(dir, entry.name);
    if (seen.has(entry.name)) {
      walk.leftOut.push({ path: source, reason: 'the folder listing named it twice' });
      continue;
    }
    seen.add(entry.name);
    const target = walk.target.paths.join(targetDir, entry.name);
    const existing = present?.get(entry.name);
    let found: TreeEntry = entry;
    let canonical = paths.join(real, entry.name);
    if (entry.kind === 'symlink') {
      const resolved = await walk.source.realpath(source).catch(() => undefined);
      const followed = resolved === undefined ? undefined : await walk.source.stat(source);
      if (resolved === undefined || followed === undefined) {
        walk.leftOut.push({ path: source, reason: 'a symbolic link to nothing' });
        continue;
      }
      if (!within(paths, root, resolved)) {
        walk.leftOut.push({ path: source, reason: `a symbolic link to ${resolved}, outside the folder (not followed)` });
        continue;
      }
      if (followed.kind === 'directory' && walk.walked.has(resolved)) {
        walk.leftOut.push({ path: source, reason: `a symbolic link to ${resolved}, a folder already included (following it would repeat it or go round a loop)` });
        continue;
      }
      found = { ...followed, name: entry.name };
      canonical = resolved;
    }
    if (found.kind === 'file') addFile(walk, source, target, found, existing);
    else if (found.kind === 'directory') await addFolder(walk, source, canonical, root, target, existing, depth + 1);
    else walk.leftOut.push({ path: source, reason: 'not a regular file or folder (a device, socket or pipe)' });
  }
}

/**
 * Walks each source root and looks at the target side, writing nothing. Names from the source are checked with
 * `nameProblem` before they are joined to a path; links are followed only to files and folders inside their root,
 * and never back to a folder already walked.
 */
export async function planTransfer(
  direction: TransferDirection,
  source: FileTree,
  target: FileTree,
  roots: readonly TransferRoot[],
  nameProblem: (name: string) => string | undefined,
  signal?: AbortSignal,
): Promise<TransferPlan> {
  const walk: Walk = { source, target, nameProblem, signal, folders: [], files: [], leftOut: [], walked: new Set() };
  for (const root of roots) {
    const entry = await source.stat(root.source);
    if (!entry) throw new DriverError('server', `${root.source}: no such file or folder.`);
    const real = await source.realpath(root.source);
    const existing = await target.lstat(root.target);
    if (entry.kind === 'file') addFile(walk, root.source, root.target, entry, existing);
    else if (entry.kind === 'directory') await addFolder(walk, root.source, real, real, root.target, existing, 0);
    else walk.leftOut.push({ path: root.source, reason: 'not a regular file or folder (a device, socket or pipe)' });
  }
  return { direction, folders: walk.folders, files: walk.files, leftOut: walk.leftOut, bytes: walk.files.reduce((sum, file) => sum + file.size, 0) };
}
