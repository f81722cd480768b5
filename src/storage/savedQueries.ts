import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';

/** A statement the user keeps by name, for one connection (and database). */
export interface SavedQuery {
  readonly id: string;
  readonly profileId: string;
  readonly name: string;
  readonly sql: string;
  readonly database?: string;
}

const KEY = 'switchboard.savedQueries';

function isSavedQuery(value: unknown): value is SavedQuery {
  if (typeof value !== 'object' || value === null) return false;
  const { id, profileId, name, sql, database } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof profileId === 'string' && typeof name === 'string' && typeof sql === 'string' && (database === undefined || typeof database === 'string');
}

/** Saved queries in globalState (they travel with Settings Sync, as the connections do): SQL text, never results. */
export class SavedQueries implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  static readonly stateKey = KEY;

  all(): SavedQuery[] {
    const stored = this.state.get<unknown>(KEY);
    return Array.isArray(stored) ? stored.filter(isSavedQuery) : [];
  }

  of(profileId: string): SavedQuery[] {
    return this.all().filter((q) => q.profileId === profileId).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Saves under a name; a query of that name on that connection is replaced. */
  async save(query: Omit<SavedQuery, 'id'>): Promise<SavedQuery> {
    const kept = this.all().filter((q) => !(q.profileId === query.profileId && q.name === query.name));
    const saved: SavedQuery = { ...query, id: randomUUID() };
    await this.write([...kept, saved]);
    return saved;
  }

  async remove(id: string): Promise<void> {
    await this.write(this.all().filter((q) => q.id !== id));
  }

  /** Drops the saved queries of a connection that was deleted. */
  async forget(profileId: string): Promise<void> {
    await this.write(this.all().filter((q) => q.profileId !== profileId));
  }

  private async write(queries: SavedQuery[]): Promise<void> {
    await this.state.update(KEY, queries);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
