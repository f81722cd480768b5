import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { KINDS, Profile } from '../drivers/types';

const KEY = 'switchboard.profiles';

/** Connection profiles in globalState. They never hold secrets: those live in SecretStore. */
export class ProfileStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  static newId(): string {
    return randomUUID();
  }

  all(): Profile[] {
    const stored = this.state.get<unknown>(KEY);
    return Array.isArray(stored) ? stored.filter(isProfile) : [];
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
    profiles.sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || a.name.localeCompare(b.name));
    await this.state.update(KEY, profiles);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function isProfile(value: unknown): value is Profile {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['id'] === 'string' && typeof record['name'] === 'string' && (KINDS as readonly unknown[]).includes(record['kind']);
}
