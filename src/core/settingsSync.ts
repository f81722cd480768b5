import * as vscode from 'vscode';
import { config, onConfigChange } from './config';
import { PROFILES_KEY } from '../storage/profileStore';
import { Disposable } from './disposable';

/** The globalState key of the known host keys that travel with Settings Sync (only when the user opts in). */
export const SYNCED_KNOWN_HOSTS_KEY = 'switchboard.knownHosts';
const SETTING = 'sync.knownHostKeys';

/**
 * What Settings Sync carries: the user's own connection list (profiles hold no secret: passwords and passphrases
 * are in SecretStorage, which does not sync), and the trusted SSH host keys only if the user opted in: a synced
 * key is trusted on every machine, so whoever can write to the sync account could add one.
 */
export function keysForSync(knownHostKeys: boolean): string[] {
  return knownHostKeys ? [PROFILES_KEY, SYNCED_KNOWN_HOSTS_KEY] : [PROFILES_KEY];
}

/** The known_hosts lines that sync, in globalState, readable and writable while the user opts in. */
export class SyncedKnownHosts extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<boolean>());
  /** Fires with the new opt-in when the setting changes. */
  readonly onDidChangeOptIn = this.changed.event;

  constructor(private readonly state: vscode.Memento & { setKeysForSync(keys: readonly string[]): void }) {
    super();
    state.setKeysForSync(keysForSync(this.enabled));
    this.register(onConfigChange((affects) => {
      if (!affects(SETTING)) return;
      state.setKeysForSync(keysForSync(this.enabled));
      this.changed.fire(this.enabled);
    }));
  }

  get enabled(): boolean {
    return config.syncKnownHostKeys();
  }

  /** The synced lines, or nothing while the user has not opted in. */
  text(): string {
    return this.enabled ? this.state.get<string>(SYNCED_KNOWN_HOSTS_KEY, '') : '';
  }

  async add(lines: readonly string[]): Promise<void> {
    if (!this.enabled) return;
    const current = this.lines();
    const added = lines.filter((line) => line && !current.includes(line));
    if (added.length) await this.state.update(SYNCED_KNOWN_HOSTS_KEY, `${[...current, ...added].join('\n')}\n`);
  }

  async remove(hostEntry: string): Promise<void> {
    const kept = this.lines().filter((line) => line.split(' ')[0] !== hostEntry);
    await this.state.update(SYNCED_KNOWN_HOSTS_KEY, kept.length ? `${kept.join('\n')}\n` : undefined);
  }

  /** Every synced line, opted in or not (for moving them into the local file when the user opts out). */
  lines(): string[] {
    return this.state.get<string>(SYNCED_KNOWN_HOSTS_KEY, '').split('\n').filter(Boolean);
  }
}
