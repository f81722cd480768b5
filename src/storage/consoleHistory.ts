import { isSensitive, parseCommandLine } from '../drivers/redis/cli';

/** The part of vscode.Memento the history uses (globalState), so it can be tested without VS Code. */
export interface HistoryMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/** Lines kept per connection, and the longest line kept (a pasted blob is not history). */
export const MAX_KEPT = 500;
export const MAX_LINE = 4096;

const keyOf = (profileId: string): string => `switchboard.redisConsoleHistory.${profileId}`;

/**
 * Whether a line may be written down: not a command that carries a password (AUTH, HELLO … AUTH, ACL SETUSER,
 * MIGRATE … AUTH, CONFIG SET requirepass/masterauth: what redis-cli keeps out of its history), not one that cannot be
 * read as a command (there is then no telling what it carries), not an over-long one.
 */
export function storable(line: string): boolean {
  if (!line.trim() || line.length > MAX_LINE) return false;
  try {
    return !isSensitive(parseCommandLine(line));
  } catch {
    return false;
  }
}

/**
 * The Redis console's history per connection, across restarts, in the extension's globalState under the profile's id:
 * the newest MAX_KEPT lines. globalState stays on this machine (the key is not given to Settings Sync), as
 * redis-cli's ~/.rediscli_history does; no secret is ever written there (see storable), checked again on reading.
 * Each console appends to what is stored, so two consoles on one connection both keep their lines.
 */
export class ConsoleHistory {
  /** Appends are written one after another, each on top of the one before. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly memento: HistoryMemento) {}

  /** Oldest first. */
  load(profileId: string): string[] {
    const stored = this.memento.get(keyOf(profileId));
    if (!Array.isArray(stored)) return [];
    return stored.filter((line): line is string => typeof line === 'string' && storable(line)).slice(-MAX_KEPT);
  }

  /** Keeps a line that ran (if it may be kept); resolves once it is stored. */
  append(profileId: string, line: string): Promise<void> {
    if (!storable(line)) return this.writes;
    this.writes = this.writes.then(async () => {
      const lines = this.load(profileId);
      if (lines[lines.length - 1] === line) return;
      lines.push(line);
      await this.memento.update(keyOf(profileId), lines.slice(-MAX_KEPT));
    }).catch(() => undefined);
    return this.writes;
  }

  /** Drops a connection's history (the connection was deleted). */
  forget(profileId: string): Promise<void> {
    this.writes = this.writes.then(() => this.memento.update(keyOf(profileId), undefined)).catch(() => undefined);
    return this.writes;
  }
}
