import * as vscode from 'vscode';
import { createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EditTarget, MySqlSession } from '../../drivers/mysql';
import type { Statement } from '../../drivers/mysql/statements';
import type { Cell, ColumnInfo, StatementOutcome } from '../../drivers/mysql/resultShapes';
import type { RowStore } from '../../drivers/mysql/rowStore';
import { DriverError } from '../../drivers/errors';
import { MySqlProfile } from '../../drivers/types';
import { SessionManager } from '../../core/sessionManager';
import { RequestPanel } from '../requestPanel';
import { ResultsRequest, ResultsResponse, SetProgress, ToResults } from './protocol';

const FIRST_ROWS = 200;

interface StoredSet {
  readonly statement: Statement;
  readonly index: number;
  readonly columns: readonly ColumnInfo[];
  readonly rows: RowStore;
  readonly edit?: EditTarget;
}

/**
 * Results of SQL runs for one connection: each statement's result sets are kept here, and the webview's virtualized
 * grid asks for the rows it shows, so a million rows never travel to the webview at once.
 */
export class SqlResultsPanel extends RequestPanel<ResultsRequest, ResultsResponse, ToResults> {
  private static readonly open = new Map<string, SqlResultsPanel>();
  private sets: StoredSet[] = [];
  private database: string | undefined;
  private running: AbortController | undefined;
  private ready: Promise<void>;
  private markReady: () => void = () => undefined;

  static show(extensionUri: vscode.Uri, profile: MySqlProfile, sessions: SessionManager): SqlResultsPanel {
    const existing = SqlResultsPanel.open.get(profile.id);
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      return existing;
    }
    const created = new SqlResultsPanel(extensionUri, profile, sessions);
    SqlResultsPanel.open.set(profile.id, created);
    created.register({ dispose: () => SqlResultsPanel.open.delete(profile.id) });
    return created;
  }

  private constructor(extensionUri: vscode.Uri, private readonly profile: MySqlProfile, private readonly sessions: SessionManager) {
    super(extensionUri, 'switchboard.sqlResults', 'sqlResults', `${profile.name}: results`, 'table', true);
    this.ready = new Promise((resolve) => { this.markReady = resolve; });
    this.register({ dispose: () => this.running?.abort() });
  }

  private session(): Promise<MySqlSession> {
    return this.sessions.session(this.profile).then((s) => s as MySqlSession);
  }

  protected async init(): Promise<void> {
    this.markReady();
  }

  /** Runs statements one after another on one connection; stops at the first error, as the mysql client does. */
  async run(statements: readonly Statement[], database: string | undefined, title: string, token?: vscode.CancellationToken): Promise<StatementOutcome[]> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    token?.onCancellationRequested(() => controller.abort());
    this.sets = [];
    this.database = database;
    await this.ready;
    const started = performance.now();
    const settings = vscode.workspace.getConfiguration('switchboard');
    const maxRows = settings.get<number>('mysql.maxRows', 1_000_000);
    const maxBytes = settings.get<number>('mysql.maxResultMB', 512) * 2 ** 20;
    await this.post({ type: 'start', title, statements: statements.length, readOnly: this.profile.readOnly });
    const session = await this.session();
    const runner = await session.openRun(database);
    const outcomes: StatementOutcome[] = [];
    const progress = new Map<number, number>();
    const announced = new Set<number>();
    const announceOnce = (id: number): void => {
      if (announced.has(id)) return;
      announced.add(id);
      void this.announce(id, session);
    };
    const timer = setInterval(() => this.postProgress(progress), 100);
    try {
      for (const [index, statement] of statements.entries()) {
        if (controller.signal.aborted) break;
        const ids: number[] = [];
        const outcome = await runner.run(statement, {
          columns: (_set, columns, rows) => {
            ids.push(this.sets.length);
            this.sets.push({ statement, index, columns, rows });
          },
          rows: (_set, count) => {
            const id = ids.at(-1)!;
            progress.set(id, count);
            announceOnce(id);
          },
        }, { maxRows, maxBytes, signal: controller.signal });
        for (const id of ids) announceOnce(id);
        this.postProgress(progress);
        outcomes.push(outcome);
        await this.post({ type: 'statement', index, outcome });
        if (outcome.error || outcome.cancelled) break;
      }
    } finally {
      clearInterval(timer);
      runner.close();
      if (this.running === controller) this.running = undefined;
    }
    await this.post({ type: 'done', ms: performance.now() - started, cancelled: controller.signal.aborted });
    return outcomes;
  }

  /**
   * Shows rows that did not come from a statement of the user's (an ORM query, a scratchpad's return value) in the
   * same grid, with the SQL that produced them in the messages.
   */
  async showRows(title: string, sql: readonly string[], columns: readonly string[], rows: Cell[][], ms: number): Promise<void> {
    this.running?.abort();
    await this.ready;
    const statement = { text: sql.join(';\n') || title, start: 0, end: 0, line: 0 };
    const infos: ColumnInfo[] = columns.map((name) => ({ name, table: '', database: '', type: '', kind: 'text', primaryKey: false }));
    const store = (await this.session()).textRows(infos.length, rows);
    this.sets = [{ statement, index: 0, columns: infos, rows: store }];
    await this.post({ type: 'start', title, statements: 1, readOnly: true });
    await this.post({ type: 'set', set: { id: 0, statement: 0, columns: infos, editable: false }, firstRows: rows.slice(0, FIRST_ROWS) });
    await this.post({ type: 'progress', sets: [{ id: 0, rowCount: rows.length }] });
    await this.post({ type: 'statement', index: 0, outcome: { statement: statement.text, line: 0, ms, results: [{ kind: 'rows', columns: infos, rowCount: rows.length, complete: true, capped: false }] } });
    await this.post({ type: 'done', ms, cancelled: false });
  }

  /** Tells the webview about a result set with its first rows, and whether its rows can be edited. */
  private async announce(id: number, session: MySqlSession): Promise<void> {
    const stored = this.sets[id]!;
    const edit = this.profile.readOnly ? undefined : await session.editTarget(stored.columns).catch(() => undefined);
    if (edit) this.sets[id] = { ...stored, edit };
    await this.post({ type: 'set', set: { id, statement: stored.index, columns: stored.columns, editable: edit !== undefined }, firstRows: stored.rows.slice(0, FIRST_ROWS) });
  }

  private postProgress(progress: Map<number, number>): void {
    if (progress.size === 0) return;
    const sets: SetProgress[] = [...progress].map(([id, rowCount]) => ({ id, rowCount }));
    progress.clear();
    void this.post({ type: 'progress', sets });
  }

  protected async answer(request: ResultsRequest): Promise<ResultsResponse> {
    switch (request.type) {
      case 'rows': {
        const stored = this.sets[request.set];
        return { rows: stored ? stored.rows.slice(request.start, request.start + request.count) : [] };
      }
      case 'cancel':
        this.running?.abort();
        return { cancelled: this.running !== undefined };
      case 'export':
        return this.export(request.set, request.format);
      case 'reviewEdits':
        return this.applyEdits(request.set, request.edits);
    }
  }

  private async export(id: number, format: 'csv' | 'json'): Promise<ResultsResponse> {
    const stored = this.sets[id];
    if (!stored) throw new DriverError('config', 'That result is gone: run the query again.');
    const file = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(homedir(), `${stored.columns[0]?.table || 'result'}.${format}`)),
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, saveLabel: 'Export',
      title: 'Export the full result (the statement runs again, streaming into the file)',
    });
    if (!file) return {};
    const session = await this.session();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting to ${file.fsPath}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const out = createWriteStream(file.fsPath);
      try {
        const rows = await session.export(stored.statement.text, out, {
          format, signal: controller.signal, onProgress: (n) => progress.report({ message: `${n.toLocaleString()} rows` }), ...(this.database ? { database: this.database } : {}),
        });
        return { rows, file: file.fsPath };
      } finally {
        await new Promise((resolve) => out.end(resolve));
      }
    });
  }

  /** Shows the statements grid edits turn into; runs them in one transaction only after the user agrees. */
  private async applyEdits(id: number, edits: Extract<ResultsRequest, { type: 'reviewEdits' }>['edits']): Promise<ResultsResponse> {
    const stored = this.sets[id];
    if (!stored?.edit) throw new DriverError('config', 'These rows cannot be edited: the result must come from one table and include its whole primary key.');
    const session = await this.session();
    const statements = session.editStatements(stored.edit, edits.map((e) => (e.kind === 'insert' ? e : { ...e, original: stored.rows.slice(e.row, e.row + 1)[0] ?? [] })));
    const review = statements.length > 12 ? [...statements.slice(0, 12), `… and ${statements.length - 12} more`] : statements;
    const choice = await vscode.window.showWarningMessage(`Apply ${statements.length} change${statements.length === 1 ? '' : 's'} to ${stored.edit.table} in one transaction?`, { modal: true, detail: review.join(';\n') }, 'Apply');
    if (choice !== 'Apply') return {};
    const applied = await session.applyStatements(statements);
    for (const edit of edits) {
      const row = edit.kind === 'update' ? stored.rows.slice(edit.row, edit.row + 1)[0] : undefined;
      if (edit.kind === 'update' && row) {
        for (const [i, v] of Object.entries(edit.values)) row[Number(i)] = v;
        stored.rows.set(edit.row, row);
      }
    }
    return { applied };
  }
}
