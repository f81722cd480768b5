import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';

/** The extension's globalState as the stores use it (Settings Sync keys included). */
export type GlobalState = vscode.Memento & { setKeysForSync(keys: readonly string[]): void };

/** How many times a write is made again when it did not stand. */
const REWRITES = 3;

/** How long after a write of a key its older values are taken for echoes of writes before it, not for news. */
const ECHO_WINDOW_MS = 30_000;
/**
 * How many older values of a key are kept: an echo can only be of a write still on its way, so a few are plenty, and
 * a key written often (console history) does not keep every value it had in the window.
 */
const OLDER_KEPT = 8;

/** A key written lately: the value written, as JSON, and the values it held before that (what a late echo brings). */
interface Recent {
  readonly latest: string;
  readonly older: ReadonlySet<string>;
  readonly at: number;
}

/** JSON of a stored value, `undefined` included (a key never written or written away). */
const jsonOf = (value: unknown): string => JSON.stringify(value) ?? 'undefined';
const valueOf = (json: string): unknown => (json === 'undefined' ? undefined : JSON.parse(json));

/**
 * globalState whose writes stand. VS Code's extension host takes each change the workbench echoes back as the
 * extension's whole state, the echoes of its own writes included: an echo that comes in after a newer write puts the
 * older state back until the newer write's own echo comes (a connection saved just after a console-history line
 * read as missing), and a write of another key meanwhile sends and stores that older state. So each write is read
 * back once it is stored and made again if an echo undid it; and for a while after it, a key reading as one of its
 * older values is an echo of an earlier write: it reads as written, and is written again so that what is stored is
 * the newer value. A value not written here (Settings Sync) stands.
 */
export class CheckedMemento implements GlobalState {
  private readonly recent = new Map<string, Recent>();

  constructor(private readonly state: GlobalState, private readonly now: () => number = Date.now) {}

  keys(): readonly string[] {
    return this.state.keys();
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    const recent = this.lately(key);
    // Written again: the memento takes the value at once (and stores it a moment later), so it reads as written now.
    if (recent && this.isEcho(key, recent)) void this.state.update(key, valueOf(recent.latest)).then(undefined, () => undefined);
    return defaultValue === undefined ? this.state.get<T>(key) : this.state.get<T>(key, defaultValue);
  }

  async update(key: string, value: unknown): Promise<void> {
    const wanted = jsonOf(value);
    const before = this.lately(key);
    const older = new Set([...(before?.older ?? []), ...(before ? [before.latest] : []), jsonOf(this.state.get<unknown>(key))].filter((json) => json !== wanted).slice(-OLDER_KEPT));
    for (let attempt = 0; attempt <= REWRITES; attempt++) {
      await this.state.update(key, value);
      if (jsonOf(this.state.get<unknown>(key)) === wanted) {
        this.recent.set(key, { latest: wanted, older, at: this.now() });
        await this.repairOthers(key);
        return;
      }
    }
    throw new Error(l10n.t('VS Code\'s storage did not keep {0} after {1} writes; try again.', key, REWRITES + 1));
  }

  setKeysForSync(keys: readonly string[]): void {
    this.state.setKeysForSync(keys);
  }

  /** The write of `key` within the echo window, if there is one. */
  private lately(key: string): Recent | undefined {
    const recent = this.recent.get(key);
    if (recent && this.now() - recent.at > ECHO_WINDOW_MS) this.recent.delete(key);
    return this.recent.get(key);
  }

  /** Whether `key` reads as a value it held before its last write here: an echo of an earlier write put it back. */
  private isEcho(key: string, recent: Recent): boolean {
    const now = jsonOf(this.state.get<unknown>(key));
    return now !== recent.latest && recent.older.has(now);
  }

  /** A write sends the whole state: keys written lately that an echo had put back are written again after it. */
  private async repairOthers(written: string): Promise<void> {
    for (const key of [...this.recent.keys()]) {
      const recent = key === written ? undefined : this.lately(key);
      if (recent && this.isEcho(key, recent)) await this.state.update(key, valueOf(recent.latest));
    }
  }
}
