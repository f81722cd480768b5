import * as vscode from 'vscode';
import { Profile } from '../drivers/types';
import { isProfile } from '../drivers/kinds';
import { newProfileId } from './connectionFiles';
import { isWorkspaceId } from './workspaceFile/workspaceIds';

/** The globalState key of the user's own connection list; it travels with Settings Sync (see settingsSync). */
export const PROFILES_KEY = 'switchboard.profiles';
const KEY = PROFILES_KEY;

/** Connection profiles in globalState. They never hold secrets: those live in SecretStore. */
export class ProfileStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  static newId(): string {
    return newProfileId();
  }

  all(): Profile[] {
    const stored = this.state.get<unknown>(KEY);
    // A workspace connection's id never names one of the user's own, even in a hand-edited or synced state.
    return Array.isArray(stored) ? stored.filter(isProfile).filter((p) => !isWorkspaceId(p.id)) : [];
  }

  get(id: string): Profile | undefined {
    return this.all().find((p) => p.id === id);
  }

  async save(profile: Profile): Promise<void> {
    const all = this.all();
    const index = all.findIndex((p) => p.id === profile.id);
    if (index >= 0) all[index] = profile;
    else all.push(profile);
    await this.write(all);
  }

  async saveMany(profiles: readonly Profile[]): Promise<void> {
    const byId = new Map(this.all().map((p) => [p.id, p]));
    for (const profile of profiles) byId.set(profile.id, profile);
    await this.write([...byId.values()]);
  }

  async delete(id: string): Promise<void> {
    await this.write(this.all().filter((p) => p.id !== id));
  }

  private async write(profiles: Profile[]): Promise<void> {
    const foreign = profiles.find((p) => isWorkspaceId(p.id));
    if (foreign) throw new Error(vscode.l10n.t('{0}: the id {1} belongs to a workspace connection and cannot be one of your own.', foreign.name, foreign.id));
    profiles.sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || a.name.localeCompare(b.name));
    await this.state.update(KEY, profiles);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
