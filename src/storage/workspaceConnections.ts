import * as vscode from 'vscode';
import { Profile } from '../drivers/types';
import { Disposable, toDisposable } from '../core/disposable';
import { Log } from '../core/log';
import { parseWorkspaceFile, WorkspaceEntry } from './workspaceFile/parse';
import { PinnedHostKey } from './workspaceFile/hostKeyPin';
import { workspaceRuntimeId } from './workspaceFile/workspaceIds';

/** Where a workspace folder keeps the connections its team shares. */
export const WORKSPACE_FILE = '.vscode/switchboard.json';

/** One workspace folder's connection file as last read. */
export interface FolderConnections {
  readonly folder: vscode.WorkspaceFolder;
  readonly file: vscode.Uri;
  /** The connections that loaded; entries with problems are not among them (see the diagnostics). */
  readonly entries: readonly WorkspaceEntry[];
  readonly problems: number;
}

const WORDS = {
  reading: (path: string) => `Reading ${path}`,
};

/**
 * The connections defined in each workspace folder's .vscode/switchboard.json, read at start, kept up to date by a
 * file watcher (a saved edit applies at once), with the file's problems shown as diagnostics on it.
 */
export class WorkspaceConnections extends Disposable {
  private folders = new Map<string, FolderConnections>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('switchboard'));
  private readonly watchers = new Map<string, vscode.Disposable>();
  /** The latest read of each folder: an older read that finishes later does not overwrite a newer one. */
  private readonly reads = new Map<string, number>();
  /** Resolves when the folders open at start have been read. */
  readonly ready: Promise<void>;

  constructor(private readonly log: Log) {
    super();
    this.register(toDisposable(() => this.watchers.forEach((w) => w.dispose())));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.syncFolders()));
    this.ready = this.syncFolders();
  }

  /** Every connection of every folder, in file order. */
  all(): Profile[] {
    return [...this.folders.values()].flatMap((f) => f.entries.map((e) => e.profile));
  }

  get(id: string): Profile | undefined {
    return this.entry(id)?.entry.profile;
  }

  /** The file entry and folder of a workspace connection. */
  entry(id: string): { entry: WorkspaceEntry; folder: FolderConnections } | undefined {
    for (const folder of this.folders.values()) {
      const entry = folder.entries.find((e) => e.profile.id === id);
      if (entry) return { entry, folder };
    }
    return undefined;
  }

  pinnedHostKey(id: string): PinnedHostKey | undefined {
    return this.entry(id)?.entry.pin;
  }

  /** The folders that have a connection file, whether or not anything in it loaded. */
  list(): FolderConnections[] {
    return [...this.folders.values()];
  }

  /** The id a connection of `folder`'s file with the given file id has here. */
  static runtimeId(folder: vscode.WorkspaceFolder, localId: string): string {
    return workspaceRuntimeId(folder.uri.toString(), localId);
  }

  private async syncFolders(): Promise<void> {
    const open = new Map((vscode.workspace.workspaceFolders ?? []).map((folder) => [folder.uri.toString(), folder]));
    for (const [key, watcher] of this.watchers) {
      if (open.has(key)) continue;
      watcher.dispose();
      this.watchers.delete(key);
      const gone = this.folders.get(key);
      if (gone) this.diagnostics.delete(gone.file);
      this.folders.delete(key);
    }
    await Promise.all([...open].filter(([key]) => !this.watchers.has(key)).map(async ([key, folder]) => {
      // The .vscode folder too: a file written into a folder that was just created may come with no event of its own.
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `{.vscode,${WORKSPACE_FILE}}`));
      const reload = (): void => void this.read(folder).then(() => this.changed.fire());
      const file = vscode.Uri.joinPath(folder.uri, WORKSPACE_FILE).toString();
      this.watchers.set(key, vscode.Disposable.from(
        watcher, watcher.onDidCreate(reload), watcher.onDidChange(reload), watcher.onDidDelete(reload),
        // A save in the editor applies at once, without waiting for the watcher.
        vscode.workspace.onDidSaveTextDocument((document) => document.uri.toString() === file && reload()),
      ));
      await this.read(folder);
    }));
    this.changed.fire();
  }

  /** Re-reads one folder's file now (the watcher does this on every change). */
  async read(folder: vscode.WorkspaceFolder): Promise<void> {
    const file = vscode.Uri.joinPath(folder.uri, WORKSPACE_FILE);
    const key = folder.uri.toString();
    const generation = (this.reads.get(key) ?? 0) + 1;
    this.reads.set(key, generation);
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(file);
    } catch {
      if (this.reads.get(key) !== generation) return;
      this.folders.delete(key);
      this.diagnostics.delete(file);
      return;
    }
    if (this.reads.get(key) !== generation) return;
    try {
      const text = new TextDecoder().decode(bytes);
      const parsed = parseWorkspaceFile(text, { folderPath: folder.uri.fsPath, runtimeId: (localId) => WorkspaceConnections.runtimeId(folder, localId) });
      const lines = lineStarts(text);
      this.diagnostics.set(file, parsed.diagnostics.map((d) => {
        const diagnostic = new vscode.Diagnostic(new vscode.Range(position(lines, d.offset), position(lines, d.offset + d.length)), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        diagnostic.source = 'Switchboard';
        return diagnostic;
      }));
      this.folders.set(key, { folder, file, entries: parsed.entries, problems: parsed.diagnostics.filter((d) => d.severity === 'error').length });
    } catch (error) {
      this.folders.delete(key);
      this.log.report(WORDS.reading(file.fsPath), error);
    }
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function position(starts: readonly number[], offset: number): vscode.Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return new vscode.Position(low, offset - (starts[low] ?? 0));
}
