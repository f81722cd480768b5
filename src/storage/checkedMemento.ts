import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';

/** The extension's globalState as the stores use it (Settings Sync keys included). */
export type GlobalState = vscode.Memento & { setKeysForSync(keys: readonly string[]): void };

/** How many times a write is made again when it did not stand. */
const REWRITES = 3;

/**
 * globalState whose writes stand. VS Code's extension host takes each change the workbench echoes back as the
 * extension's whole state, the echoes of its own writes included: an echo that comes in after a newer write and
 * before that write is sent puts the older state back, and the older state is what is then stored (a connection
 * saved just after a console-history line was gone). Each write is read back once it is stored, and made again when
 * an echo undid it; by then every echo of the writes before it has come in.
 */
export class CheckedMemento implements GlobalState {
  constructor(private readonly state: GlobalState) {}

  keys(): readonly string[] {
    return this.state.keys();
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return defaultValue === undefined ? this.state.get<T>(key) : this.state.get<T>(key, defaultValue);
  }

  async update(key: string, value: unknown): Promise<void> {
    const wanted = JSON.stringify(value);
    for (let attempt = 0; attempt <= REWRITES; attempt++) {
      await this.state.update(key, value);
      if (JSON.stringify(this.state.get<unknown>(key)) === wanted) return;
    }
    throw new Error(l10n.t('VS Code\'s storage did not keep {0} after {1} writes; try again.', key, REWRITES + 1));
  }

  setKeysForSync(keys: readonly string[]): void {
    this.state.setKeysForSync(keys);
  }
}
