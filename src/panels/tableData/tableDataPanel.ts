import * as vscode from 'vscode';
import type { EditTarget, MySqlSession, PagePosition, PageQuery, TableLayout } from '../../drivers/mysql';
import type { Cell, ColumnInfo } from '../../drivers/mysql/resultShapes';
import type { PageRows } from '../../drivers/mysql/tableData';
import { DriverError } from '../../drivers/errors';
import { MySqlProfile } from '../../drivers/types';
import { Disposable, toDisposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import type { Init, ParamsOf } from '../ipc/protocol';
import { PanelView, wiredError } from '../panelView';
import { BusyWork } from '../busyWork';
import type { Notice } from '../ipc/notice';
import { applyReviewed, ReviewedEdits, reviewEdits } from '../sqlResults/gridActions';
import { Questions } from '../ipc/questions';
import type { RowEdit } from '../sqlResults/protocol';
import { PageState, tableProtocol } from './protocol';

const PAGE_SIZE = 1000;
const FIRST_ROWS = 200;

interface ShownPage {
  readonly id: number;
  readonly rows: PageRows;
  readonly columns: readonly ColumnInfo[];
  readonly position: PagePosition;
  readonly from?: number;
  readonly atStart: boolean;
  atEnd: boolean;
  readonly keyset: boolean;
  readonly sql: string;
  readonly edit?: EditTarget;
  edits: readonly RowEdit[];
}


/**
 * One table or view, a page at a time, read on the server: filtered by a WHERE the user types (a plain read, checked
 * whole by the read gate), sorted by a column, paged by key where the table has a usable primary key. Edits staged in
 * the grid are shown as statements and applied in one transaction with the optimistic check of row edits.
 */
export class TableDataPanel extends Disposable {
  private static nextPageId = 1;
  private readonly view: PanelView<typeof tableProtocol>;
  private query: PageQuery = { filter: '' };
  private matchText: string | undefined;
  private page: ShownPage | undefined;
  private readonly work = new BusyWork({
    busy: (busy, what) => this.view.notify('busy', { busy, ...(what ? { what } : {}) }),
    said: (notice) => this.say(notice),
    failed: (message) => this.log.channel.warn(`${this.layout.database}.${this.layout.table}: ${message}`),
  }, () => vscode.l10n.t('The table is busy: wait for it, or cancel.'));
  /** Applying staged edits is asked about in the panel, showing the statements; each ticket keeps what it showed. */
  private readonly reviews = new Questions<ReviewedEdits>();
  private notice: Notice | undefined;
  private reading: AbortController | undefined;

  /** Opens a table (after reading its layout); `match`: the row a foreign key led to. */
  static async open(extensionUri: vscode.Uri, log: Log, profile: MySqlProfile, sessions: SessionManager, database: string, table: string, match?: { columns: readonly string[]; values: readonly Cell[] }): Promise<TableDataPanel> {
    const session = await sessions.session(profile);
    const layout = await session.tableLayout(database, table);
    if (!layout) throw new DriverError('config', vscode.l10n.t('{0}.{1} is not there any more.', database, table), { worded: vscode.l10n.t('Refresh the tree to see the tables as they are now.') });
    const panel = new TableDataPanel(extensionUri, log, profile, session, sessions, layout, match);
    void panel.read({ kind: 'first' }, vscode.l10n.t('reading the first page'));
    return panel;
  }

  private constructor(private readonly extensionUri: vscode.Uri, private readonly log: Log, private readonly profile: MySqlProfile, private readonly session: MySqlSession,
    private readonly sessions: SessionManager, private readonly layout: TableLayout, match?: { columns: readonly string[]; values: readonly Cell[] }) {
    super();
    if (match) {
      this.query = { ...this.query, match };
      this.matchText = match.columns.map((c, i) => `${c} = ${match.values[i] ?? 'NULL'}`).join(' AND ');
    }
    const title = `${profile.name} · ${layout.database}.${layout.table}`;
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.tableData', entry: 'tableData', title, icon: layout.view ? 'eye' : 'table' }, tableProtocol, {
      ready: async () => this.snapshot(title),
      requests: {
        rows: async ({ page, start, count }) => ({ rows: this.shown(page).rows.slice(start, start + count) }),
        apply: async ({ page, confirmed }) => {
          const shown = this.shown(page);
          if (confirmed === undefined) return { ask: this.reviewQuestion(shown) };
          const reviewed = this.reviews.agreed(['apply', page], confirmed);
          let applied: string | undefined;
          await this.work.run(vscode.l10n.t('applying changes'), async () => (applied = await this.apply(shown, reviewed)));
          // Read again, so that inserted rows appear and deleted ones go.
          if (applied) await this.read(shown.position, vscode.l10n.t('reading the page again'), this.query, applied);
          return {};
        },
      },
      commands: {
        filter: ({ filter }) => this.read({ kind: 'first' }, vscode.l10n.t('filtering'), { ...this.query, filter }),
        clearMatch: () => {
          this.matchText = undefined;
          const { match: _dropped, ...rest } = this.query;
          return this.read({ kind: 'first' }, vscode.l10n.t('reading the first page'), rest);
        },
        sort: ({ column, direction }) => {
          const name = column === undefined ? undefined : layout.columns[column]?.name;
          if (column !== undefined && name === undefined) throw new DriverError('config', vscode.l10n.t('There is no such column.'));
          const { sort: _old, ...rest } = this.query;
          return this.read({ kind: 'first' }, vscode.l10n.t('sorting'), name === undefined ? rest : { ...rest, sort: { column: name, direction } });
        },
        go: ({ to }) => this.go(to),
        stage: ({ page, edits }) => {
          const shown = this.shown(page);
          if (!shown.edit && edits.length) throw new DriverError('readOnly', vscode.l10n.t('These rows cannot be edited.'));
          shown.edits = edits;
        },
        follow: ({ page, row, column }) => this.follow(this.shown(page), row, column),
        cancel: () => this.reading?.abort(),
      },
    }));
    this.register(toDisposable(() => this.reading?.abort()));
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }

  private readOnlyReason(): string | undefined {
    if (this.profile.readOnly) return `"${this.profile.name}" is a read-only connection.`;
    if (this.layout.view) return vscode.l10n.t('This is a view: its rows are edited through the tables it reads.');
    if (this.layout.key.length === 0) return vscode.l10n.t('This table has no primary key, so its rows cannot be told apart.');
    return undefined;
  }

  private snapshot(title: string): Init<typeof tableProtocol> {
    const links = this.layout.foreignKeys.flatMap((fk) => fk.columns.map((c) => ({ column: this.layout.columns.findIndex((l) => l.name === c), label: `→ ${fk.referencedTable}` }))).filter((l) => l.column >= 0);
    const reason = this.readOnlyReason();
    return {
      title, view: this.layout.view, readOnly: this.profile.readOnly, ...(reason ? { readOnlyReason: reason } : {}),
      ...(this.layout.estimatedRows === undefined ? {} : { estimatedRows: this.layout.estimatedRows }), pageSize: PAGE_SIZE,
      query: this.queryState(), links, ...(this.page ? { page: this.pageState(this.page) } : {}), busy: this.work.busy, ...(this.notice ? { notice: this.notice } : {}),
    };
  }

  private queryState(): ParamsOf<typeof tableProtocol['notifications']['query']> {
    return { filter: this.query.filter, ...(this.query.sort ? { sort: this.query.sort } : {}), ...(this.matchText ? { match: this.matchText } : {}) };
  }

  private pageState(page: ShownPage): PageState {
    return {
      id: page.id, columns: page.columns, firstRows: page.rows.slice(0, FIRST_ROWS), rowCount: page.rows.length, ...(page.from === undefined ? {} : { from: page.from }),
      atStart: page.atStart, atEnd: page.atEnd, keyset: page.keyset, sql: page.sql, edits: page.edits, editable: page.edit !== undefined,
    };
  }

  private shown(id: number): ShownPage {
    if (!this.page || this.page.id !== id) throw new DriverError('config', vscode.l10n.t('That page has been replaced by another.'), { worded: vscode.l10n.t('Its rows are read again as you scroll.') });
    return this.page;
  }

  private say(notice: Notice | undefined): void {
    this.notice = notice;
    this.view.notify('notice', notice ?? { text: '', error: false });
  }

  private go(to: 'first' | 'previous' | 'next' | 'last' | 'reload'): Promise<void> {
    const page = this.page;
    const first = page?.rows.slice(0, 1)[0];
    const last = page?.rows.slice(page.rows.length - 1, page.rows.length)[0];
    if (to === 'first' || !page) return this.read({ kind: 'first' }, vscode.l10n.t('reading the first page'));
    if (to === 'reload') return this.read(page.position, vscode.l10n.t('reading the page again'));
    if (page.keyset) {
      if (to === 'last') return this.read({ kind: 'last' }, vscode.l10n.t('reading the last page'));
      if (to === 'next') return last ? this.read({ kind: 'after', row: last }, vscode.l10n.t('reading the next page')) : Promise.resolve();
      return first ? this.read({ kind: 'before', row: first }, vscode.l10n.t('reading the previous page')) : Promise.resolve();
    }
    if (to === 'last') throw new DriverError('config', vscode.l10n.t('Without a primary key to page by, the last page is reached page by page.'));
    const from = page.from ?? 0;
    return this.read({ kind: 'offset', offset: to === 'next' ? from + page.rows.length : Math.max(0, from - PAGE_SIZE) }, to === 'next' ? vscode.l10n.t('reading the next page') : vscode.l10n.t('reading the previous page'));
  }

  /**
   * Reads a page; only once it has been read does it (and the query it was read with) replace what is shown.
   * `done`: what to tell the user once it has (what led to reading it).
   */
  private read(wanted: PagePosition, what: string, query = this.query, done?: string): Promise<void> {
    return this.work.run(what, async () => {
      let position = wanted;
      const controller = new AbortController();
      this.reading = controller;
      try {
        let read = await this.session.readPage(this.layout, query, position, PAGE_SIZE, controller.signal);
        // A page before that is not full reaches the start: the first page, full, is shown instead.
        if (position.kind === 'before' && read.rows.length < PAGE_SIZE) {
          position = { kind: 'first' };
          read = await this.session.readPage(this.layout, query, position, PAGE_SIZE, controller.signal);
        }
        const current = this.page;
        if (read.rows.length === 0 && current && (position.kind === 'after' || (position.kind === 'offset' && position.offset > 0))) {
          current.atEnd = true;
          this.view.notify('page', this.pageState(current));
          return vscode.l10n.t('There are no more rows.');
        }
        const full = read.rows.length === PAGE_SIZE;
        const from = position.kind === 'first' ? 0 : position.kind === 'offset' ? position.offset
          : position.kind === 'after' && current?.from !== undefined ? current.from + current.rows.length
            : position.kind === 'before' && current?.from !== undefined && full ? current.from - PAGE_SIZE : undefined;
        const edit = this.readOnlyReason() ? undefined : await this.session.editTarget(read.columns).catch(() => undefined);
        this.query = query;
        this.page = {
          id: TableDataPanel.nextPageId++, rows: read.rows, columns: read.columns, position, ...(from === undefined ? {} : { from }),
          atStart: position.kind === 'first' || from === 0 || ((position.kind === 'before' || position.kind === 'last') && !full),
          atEnd: position.kind === 'last' || ((position.kind !== 'before') && !full), keyset: read.keyset, sql: read.sql, ...(edit ? { edit } : {}), edits: [],
        };
        this.view.notify('query', this.queryState());
        this.view.notify('page', this.pageState(this.page));
        return done;
      } finally {
        if (this.reading === controller) this.reading = undefined;
      }
    });
  }

  /** The question showing the statements the staged edits turn into; its ticket applies exactly those. */
  private reviewQuestion(page: ShownPage) {
    if (!page.edit) throw new DriverError('readOnly', vscode.l10n.t('These rows cannot be edited: {0}', this.readOnlyReason() ?? vscode.l10n.t('the page does not hold the whole primary key.')));
    const { reviewed, words } = reviewEdits(this.session, page.edit, page.rows, page.edits);
    return this.reviews.ask(['apply', page.id], words, reviewed);
  }

  private async apply(page: ShownPage, reviewed: ReviewedEdits): Promise<string> {
    const applied = await applyReviewed(this.session, reviewed, page.edits, page.rows);
    page.edits = [];
    this.view.notify('edits', { page: page.id, edits: [] });
    return applied === 1 ? vscode.l10n.t('Applied 1 change in one transaction.') : vscode.l10n.t('Applied {0} changes in one transaction.', applied);
  }

  private async follow(page: ShownPage, row: number, column: number): Promise<void> {
    const name = this.layout.columns[column]?.name;
    const fk = this.layout.foreignKeys.find((k) => name !== undefined && k.columns.includes(name));
    const cells = page.rows.slice(row, row + 1)[0];
    if (!fk || !cells) throw new DriverError('config', vscode.l10n.t('That cell does not refer to a row of another table.'));
    const values = fk.columns.map((c) => cells[page.columns.findIndex((info) => (info.origin || info.name) === c)] ?? null);
    if (values.some((value) => value === null)) {
      this.say({ text: vscode.l10n.t('This row refers to no row (its foreign key is NULL).'), error: false });
      return;
    }
    try {
      await TableDataPanel.open(this.extensionUri, this.log, this.profile, this.sessions, this.layout.database, fk.referencedTable, { columns: fk.referencedColumns, values });
    } catch (error) {
      const wire = wiredError(error);
      this.say({ text: wire.message, error: true, ...(wire.code ? { code: wire.code } : {}), ...(wire.hint ? { hint: wire.hint } : {}) });
    }
  }
}
