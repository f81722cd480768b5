import * as vscode from 'vscode';
import type { EditTarget, MySqlSession } from '../../drivers/mysql';
import type { Statement } from '../../drivers/mysql/statements';
import type { Cell, ColumnInfo, StatementOutcome } from '../../drivers/mysql/resultShapes';
import type { RowStore } from '../../drivers/mysql/rowStore';
import { DriverError } from '../../drivers/errors';
import { MySqlProfile } from '../../drivers/types';
import { Disposable, toDisposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { config } from '../../core/config';
import type { Init } from '../ipc/protocol';
import { PanelView } from '../panelView';
import { BusyWork } from '../busyWork';
import { describeError } from '../../core/errorWords';
import { applyReviewed, exportRows, ReviewedEdits, reviewEdits } from './gridActions';
import { Questions } from '../ipc/questions';
import { resultsProtocol, RowEdit, SetState } from './protocol';
import { OpenPanels } from '../openPanels';

const FIRST_ROWS = 200;

interface StoredSet {
  readonly id: number;
  readonly statement: Statement;
  readonly index: number;
  readonly columns: readonly ColumnInfo[];
  readonly rows: RowStore;
  readonly exportable: boolean;
  edit?: EditTarget;
  /** Whether the webview has been told about it (its first rows are in, its edit target known). */
  announced: boolean;
  edits: readonly RowEdit[];
}

type RunState = NonNullable<Init<typeof resultsProtocol>['run']>;

/**
 * Results of SQL runs for one connection. Everything the panel shows is kept here: each statement's result sets (rows
 * in a RowStore), the outcomes, the edits staged in the grid. The webview's virtualized grid asks for the rows it
 * draws, so a million rows never travel at once, and a webview reloaded after being hidden gets it all back.
 */
export class SqlResultsPanel extends Disposable {
  private static readonly open = new OpenPanels<SqlResultsPanel>();
  private static nextSetId = 1;
  private readonly view: PanelView<typeof resultsProtocol>;
  private sets: StoredSet[] = [];
  private outcomes: StatementOutcome[] = [];
  private state: RunState | undefined;
  private runs = 0;
  private database: string | undefined;
  private running: AbortController | undefined;
  private readonly work = new BusyWork({
    busy: (busy) => this.view.notify('busy', { busy }),
    said: (notice) => notice && this.view.notify('notice', notice),
    failed: (message) => this.log.channel.warn(`${this.profile.name}: ${message}`),
  }, () => vscode.l10n.t('Another export or review is under way.'));
  /** Applying staged edits is asked about in the panel, showing the statements; each ticket keeps what it showed. */
  private readonly reviews = new Questions<ReviewedEdits>();

  static show(extensionUri: vscode.Uri, log: Log, profile: MySqlProfile, sessions: SessionManager): SqlResultsPanel {
    return SqlResultsPanel.open.show(profile.id, () => new SqlResultsPanel(extensionUri, log, profile, sessions), (open) => open.view.panel.reveal(vscode.ViewColumn.Beside, true));
  }

  private constructor(extensionUri: vscode.Uri, private readonly log: Log, private readonly profile: MySqlProfile, private readonly sessions: SessionManager) {
    super();
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.sqlResults', entry: 'sqlResults', title: vscode.l10n.t('{0}: results', profile.name), icon: 'table', beside: true }, resultsProtocol, {
      ready: async () => this.snapshot(),
      requests: {
        rows: async ({ set, start, count }) => ({ rows: this.stored(set).rows.slice(start, start + count) }),
        cancel: async () => {
          const cancelled = this.running !== undefined;
          this.running?.abort();
          return { cancelled };
        },
        apply: async ({ set, confirmed }) => {
          const stored = this.stored(set);
          if (confirmed === undefined) return { ask: await this.reviewQuestion(stored) };
          const reviewed = this.reviews.agreed(['apply', set], confirmed);
          await this.work.run(undefined, () => this.applyEdits(stored, reviewed));
          return {};
        },
      },
      commands: {
        stage: ({ set, edits }) => {
          const stored = this.stored(set);
          if (!stored.edit && edits.length) throw new DriverError('config', vscode.l10n.t('These rows cannot be edited.'));
          stored.edits = edits;
        },
        export: ({ set, format }) => this.work.run(undefined, () => this.export(this.stored(set), format)),
      },
    }));
    this.register(toDisposable(() => this.running?.abort()));
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }

  private session(): Promise<MySqlSession> {
    return this.sessions.session(this.profile);
  }

  /** Everything the panel shows now: taken in one step, so no notification falls between it and the next. */
  private snapshot(): Init<typeof resultsProtocol> {
    return { ...(this.state ? { run: this.state } : {}), sets: this.sets.filter((s) => s.announced).map((s) => this.setState(s)), outcomes: this.outcomes, busy: this.work.busy };
  }

  private setState(stored: StoredSet): SetState {
    return {
      id: stored.id, statement: stored.index, columns: stored.columns, editable: stored.edit !== undefined, exportable: stored.exportable,
      firstRows: stored.rows.slice(0, FIRST_ROWS), rowCount: stored.rows.length, edits: stored.edits,
    };
  }

  private stored(id: number): StoredSet {
    const stored = this.sets.find((s) => s.id === id);
    if (!stored) throw new DriverError('config', vscode.l10n.t('That result is gone: a newer run replaced it.'), { worded: vscode.l10n.t('Run the query again to see its rows.') });
    return stored;
  }

  private begin(title: string, statements: number, readOnly: boolean): void {
    this.running?.abort();
    this.sets = [];
    this.outcomes = [];
    this.state = { run: ++this.runs, title, statements, readOnly };
    this.view.notify('start', this.state);
  }

  private finish(ms: number, cancelled: boolean): void {
    if (this.state) this.state = { ...this.state, done: { ms, cancelled } };
    this.view.notify('done', { ms, cancelled });
  }

  /** Runs statements one after another on one connection; stops at the first error, as the mysql client does. */
  async run(statements: readonly Statement[], database: string | undefined, title: string, token?: vscode.CancellationToken): Promise<StatementOutcome[]> {
    this.begin(title, statements.length, this.profile.readOnly);
    const controller = new AbortController();
    this.running = controller;
    token?.onCancellationRequested(() => controller.abort());
    this.database = database;
    const started = performance.now();
    const options = { maxRows: config.mysqlMaxRows(), maxBytes: config.mysqlMaxResultBytes(), signal: controller.signal };
    const outcomes: StatementOutcome[] = [];
    const progress = new Set<StoredSet>();
    let runner: Awaited<ReturnType<MySqlSession['openRun']>> | undefined;
    const timer = setInterval(() => this.postProgress(progress), 100);
    try {
      const session = await this.session();
      runner = await session.openRun(database);
      for (const [index, statement] of statements.entries()) {
        if (controller.signal.aborted) break;
        const opened: StoredSet[] = [];
        const outcome = await runner.run(statement, {
          columns: (_set, columns, rows) => {
            const stored: StoredSet = { id: SqlResultsPanel.nextSetId++, statement, index, columns, rows, exportable: true, announced: false, edits: [] };
            opened.push(stored);
            this.sets.push(stored);
          },
          rows: () => {
            const stored = opened.at(-1)!;
            if (!stored.announced) void this.announce(stored, session);
            else progress.add(stored);
          },
        }, options);
        await Promise.all(opened.map((stored) => (stored.announced ? undefined : this.announce(stored, session))));
        this.postProgress(progress);
        outcomes.push(outcome);
        this.outcomes.push(outcome);
        this.view.notify('statement', { index, outcome });
        if (outcome.error || outcome.cancelled) break;
      }
    } catch (error) {
      const failed = { statement: statements[outcomes.length]?.text ?? '', line: statements[outcomes.length]?.line ?? 0, ms: 0, results: [], error: { message: describeError(error) } };
      this.outcomes.push(failed);
      this.view.notify('statement', { index: outcomes.length, outcome: failed });
      throw error;
    } finally {
      clearInterval(timer);
      runner?.close();
      if (this.running === controller) this.running = undefined;
      this.finish(performance.now() - started, controller.signal.aborted);
    }
    return outcomes;
  }

  /**
   * Shows rows that did not come from a statement of the user's (an ORM query, a scratchpad's return value) in the
   * same grid, with the SQL that produced them in the messages. They cannot be edited or exported again.
   */
  async showRows(title: string, sql: readonly string[], columns: readonly string[], rows: Cell[][], ms: number): Promise<void> {
    const infos: ColumnInfo[] = columns.map((name) => ({ name, origin: '', table: '', database: '', type: '', kind: 'text', primaryKey: false }));
    const store = (await this.session()).textRows(infos.length, rows);
    const statement = { text: sql.join(';\n') || title, start: 0, end: 0, line: 0 };
    this.begin(title, 1, this.profile.readOnly);
    const stored: StoredSet = { id: SqlResultsPanel.nextSetId++, statement, index: 0, columns: infos, rows: store, exportable: false, announced: true, edits: [] };
    this.sets = [stored];
    this.view.notify('set', this.setState(stored));
    const outcome: StatementOutcome = { statement: statement.text, line: 0, ms, results: [{ kind: 'rows', columns: infos, rowCount: rows.length, complete: true, capped: false }] };
    this.outcomes = [outcome];
    this.view.notify('statement', { index: 0, outcome });
    this.finish(ms, false);
  }

  /** Tells the webview about a result set with its first rows, once it knows whether its rows can be edited. */
  private async announce(stored: StoredSet, session: MySqlSession): Promise<void> {
    if (stored.announced) return;
    stored.announced = true;
    const edit = this.profile.readOnly ? undefined : await session.editTarget(stored.columns).catch(() => undefined);
    if (edit) stored.edit = edit;
    if (this.sets.includes(stored)) this.view.notify('set', this.setState(stored));
  }

  private postProgress(progress: Set<StoredSet>): void {
    if (progress.size === 0) return;
    const sets = [...progress].filter((s) => this.sets.includes(s)).map((s) => ({ id: s.id, rowCount: s.rows.length }));
    progress.clear();
    if (sets.length) this.view.notify('progress', { sets });
  }

  private async export(stored: StoredSet, format: 'csv' | 'json'): Promise<string | undefined> {
    if (!stored.exportable) throw new DriverError('config', vscode.l10n.t('These rows did not come from a statement that can run again, so they cannot be exported.'));
    const done = await exportRows(await this.session(), stored.statement.text, stored.columns[0]?.table || 'result', format, this.database);
    if (!done) return undefined;
    return done.rows === 1 ? vscode.l10n.t('Exported {0} row to {1}', done.rows.toLocaleString(), done.file) : vscode.l10n.t('Exported {0} rows to {1}', done.rows.toLocaleString(), done.file);
  }

  /** The question showing the statements the staged edits turn into; its ticket applies exactly those. */
  private async reviewQuestion(stored: StoredSet) {
    if (!stored.edit) throw new DriverError('config', vscode.l10n.t('These rows cannot be edited: the result must come from one table and include its whole primary key.'));
    const { reviewed, words } = reviewEdits(await this.session(), stored.edit, stored.rows, stored.edits);
    return this.reviews.ask(['apply', stored.id], words, reviewed);
  }

  /** Runs the reviewed statements in one transaction. */
  private async applyEdits(stored: StoredSet, reviewed: ReviewedEdits): Promise<string> {
    const applied = await applyReviewed(await this.session(), reviewed, stored.edits, stored.rows);
    stored.edits = [];
    this.view.notify('edits', { set: stored.id, edits: [] });
    return applied === 1 ? vscode.l10n.t('Applied 1 change in one transaction. Run the query again to see deleted rows go.') : vscode.l10n.t('Applied {0} changes in one transaction. Run the query again to see deleted rows go.', applied);
  }
}
