import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';

/** One statement as it was run: never its result data, only what it was and how it went. */
export interface HistoryEntry {
  readonly id: string;
  readonly profileId: string;
  readonly database?: string;
  readonly sql: string;
  /** Milliseconds since the epoch, when it started. */
  readonly at: number;
  readonly ms: number;
  readonly outcome: 'ok' | 'error' | 'cancelled';
  /** Rows returned or changed, where the server said. */
  readonly rows?: number;
  /** The server's error message, for a failed statement. */
  readonly error?: string;
}

/** The longest statement kept whole: a pasted dump is not history. */
const MAX_SQL = 64 * 1024;
const MAX_ERROR = 1024;

function parseEntry(line: string): HistoryEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return undefined;
    const { id, profileId, database, sql, at, ms, outcome, rows, error } = value as Record<string, unknown>;
    if (typeof id !== 'string' || typeof profileId !== 'string' || typeof sql !== 'string' || typeof at !== 'number' || typeof ms !== 'number') return undefined;
    if (outcome !== 'ok' && outcome !== 'error' && outcome !== 'cancelled') return undefined;
    return {
      id, profileId, sql, at, ms, outcome,
      ...(typeof database === 'string' ? { database } : {}), ...(typeof rows === 'number' ? { rows } : {}), ...(typeof error === 'string' ? { error } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Every statement run from an editor, per connection, in a JSON-lines file that survives restarts. Appends are one
 * line each; the file is rewritten (through a temporary file) only when it has grown a tenth past the cap.
 * A damaged line is skipped, not fatal.
 */
export class QueryHistory {
  private entries: HistoryEntry[] = [];
  private loaded: Promise<void> | undefined;
  private writes: Promise<void> = Promise.resolve();

  /** `cap`: the most entries kept (0 keeps none); `onChange` hears of every change, for views. */
  constructor(private readonly file: string, private readonly cap: () => number, private readonly onChange: () => void = () => undefined) {}

  private load(): Promise<void> {
    this.loaded ??= readFile(this.file, 'utf8').then(
      (text) => {
        this.entries = text.split('\n').flatMap((line) => {
          const entry = line ? parseEntry(line) : undefined;
          return entry ? [entry] : [];
        });
      },
      () => undefined,
    );
    return this.loaded;
  }

  /** Newest first; of one connection when given. */
  async list(profileId?: string): Promise<HistoryEntry[]> {
    await this.load();
    return this.entries.filter((e) => profileId === undefined || e.profileId === profileId).reverse();
  }

  async record(entry: Omit<HistoryEntry, 'id'>): Promise<HistoryEntry | undefined> {
    const cap = this.cap();
    if (cap <= 0) return undefined;
    await this.load();
    const kept: HistoryEntry = {
      ...entry, id: randomUUID(), sql: entry.sql.length > MAX_SQL ? entry.sql.slice(0, MAX_SQL) : entry.sql,
      ...(entry.error !== undefined ? { error: entry.error.slice(0, MAX_ERROR) } : {}),
    };
    this.entries.push(kept);
    this.onChange();
    if (this.entries.length > cap * 1.1) {
      this.entries = this.entries.slice(-cap);
      await this.rewrite();
    } else {
      await this.queue(async () => {
        await mkdir(dirname(this.file), { recursive: true });
        await appendFile(this.file, `${JSON.stringify(kept)}\n`, { mode: 0o600 });
      });
    }
    return kept;
  }

  async remove(ids: ReadonlySet<string>): Promise<void> {
    await this.load();
    this.entries = this.entries.filter((e) => !ids.has(e.id));
    this.onChange();
    await this.rewrite();
  }

  async clear(profileId?: string): Promise<void> {
    await this.load();
    this.entries = profileId === undefined ? [] : this.entries.filter((e) => e.profileId !== profileId);
    this.onChange();
    await this.rewrite();
  }

  private rewrite(): Promise<void> {
    const text = this.entries.map((e) => `${JSON.stringify(e)}\n`).join('');
    return this.queue(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      const partial = `${this.file}.${process.pid}.tmp`;
      await writeFile(partial, text, { mode: 0o600 });
      await rename(partial, this.file);
    });
  }

  /** File writes one after another, in the order they were asked for. */
  private queue(write: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(write, write);
    return this.writes;
  }
}

/** Entries whose statement, database or error contains every word of `query` (any case). */
export function searchHistory(entries: readonly HistoryEntry[], query: string): HistoryEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((entry) => {
    const haystack = `${entry.sql}\n${entry.database ?? ''}\n${entry.error ?? ''}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}
