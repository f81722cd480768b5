import * as vscode from 'vscode';
import { walkthroughDone } from '../core/walkthrough';
import { homedir } from 'node:os';
import type { MySqlSession } from '../drivers/mysql';
import type { Cell } from '../drivers/mysql/resultShapes';
import { isKind, MySqlProfile } from '../drivers/types';
import { SqlTarget, SqlTargets } from '../editors/sqlTargets';
import { SqlResultsPanel } from '../panels/sqlResults/sqlResultsPanel';
import { OrmBuilderPanel } from '../panels/ormBuilder/ormBuilderPanel';
import { ModelDiagramPanel } from '../panels/modelDiagram/modelDiagramPanel';
import { TableDataPanel } from '../panels/tableData/tableDataPanel';
import { profileFor } from './pickProfile';
import { CommandServices } from './commandServices';
import { ident } from '../drivers/mysql/identifier';
import type { StatementOutcome } from '../drivers/mysql/resultShapes';
import { QueryHistory } from '../storage/queryHistory';
import { mayRun } from '../core/workspaceTrust';
import { config } from '../core/config';
import { withCancellableProgress } from '../core/progress';
import { askSqlTarget } from './sqlTargetPick';
import { rowOf } from './treeArgs';

/** What the history keeps of a statement that ran: how it went, never its rows. */
function historyOf(outcome: StatementOutcome, at: number): { sql: string; at: number; ms: number; outcome: 'ok' | 'error' | 'cancelled'; rows?: number; error?: string } {
  const rows = outcome.results.reduce((sum, r) => sum + (r.kind === 'rows' ? r.rowCount : r.affectedRows), 0);
  const how = outcome.error ? 'error' : outcome.cancelled ? 'cancelled' : 'ok';
  return { sql: outcome.statement, at, ms: outcome.ms, outcome: how, ...(outcome.results.length ? { rows } : {}), ...(outcome.error ? { error: outcome.error.message } : {}) };
}

type Services = Omit<CommandServices, 'tree'> & { readonly targets: SqlTargets; readonly history: QueryHistory };

/** A database row (or anything below one) in the tree: its connection, database and, where it is one, table or model. */
export function nodeTarget(arg: unknown): { profile: MySqlProfile; database: string; table?: string; model?: string } | undefined {
  const row = rowOf(arg, 'mysql');
  if (!row || !('db' in row.place)) return undefined;
  const { profile, place } = row;
  const table = 'table' in place ? place.table : undefined;
  const model = 'model' in place ? place.model : undefined;
  return { profile, database: place.db, ...(table === undefined ? {} : { table }), ...(model === undefined ? {} : { model }) };
}

/** Rows for the grid from whatever a scratchpad returned. */
function tabular(value: unknown): { columns: string[]; rows: Cell[][] } {
  const items = Array.isArray(value) ? value : [value];
  const objects = items.every((i) => i !== null && typeof i === 'object' && !Array.isArray(i));
  const text = (v: unknown): Cell => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));
  if (!objects) return { columns: ['value'], rows: items.map((i) => [text(i)]) };
  const records = items as Record<string, unknown>[];
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return { columns, rows: records.map((r) => columns.map((c) => text(r[c]))) };
}

/** SQL from editors, the results grid, Sequelize models, the ORM builder, the scratchpad and the diagram. */
export function registerMySqlCommands(services: Services): vscode.Disposable[] {
  const { profiles, sessions, targets, history, log, extensionUri } = services;
  const session = (profile: MySqlProfile): Promise<MySqlSession> => sessions.session(profile);
  const output = vscode.window.createOutputChannel('Switchboard ORM');

  const askTarget = (): Promise<SqlTarget | undefined> => askSqlTarget(services);

  const runEditor = async (whole: boolean): Promise<unknown> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !(await mayRun(editor.document, vscode.l10n.t('This SQL file')))) return undefined;
    const target = await targets.resolve(editor.document, askTarget);
    if (!target) return undefined;
    const s = await session(target.profile);
    const selection = editor.selection;
    const statements = whole ? s.statements(editor.document.getText())
      : selection.isEmpty ? s.statements(editor.document.getText(), editor.document.offsetAt(selection.active))
        : s.statements(editor.document.getText(selection)).map((st) => ({ ...st, line: st.line + selection.start.line }));
    if (statements.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no SQL statement here to run.'));
      return undefined;
    }
    const panel = SqlResultsPanel.show(extensionUri, log, target.profile, sessions);
    try {
      const started = Date.now();
      const outcomes = await panel.run(statements, target.database, `${target.profile.name}${target.database ? ` · ${target.database}` : ''}`);
      // DDL changed the schema: completion, models and the tree read it again.
      if (outcomes.some((o) => !o.error && s.changesSchema(o.statement))) {
        s.refreshCatalog();
        if (target.database) await s.forget(target.database);
      }
      let at = started;
      for (const outcome of outcomes) {
        await history.record({ profileId: target.profile.id, ...(target.database ? { database: target.database } : {}), ...historyOf(outcome, at) });
        at += outcome.ms;
      }
      const failed = outcomes.find((o) => o.error);
      if (outcomes.some((o) => !o.error)) walkthroughDone('ranSql');
      if (failed?.error?.line !== undefined) {
        const line = editor.document.lineAt(Math.min(failed.error.line, editor.document.lineCount - 1));
        editor.selection = new vscode.Selection(line.range.start, line.range.end);
        editor.revealRange(line.range);
      }
      return outcomes;
    } catch (error) {
      log.report(vscode.l10n.t('Running SQL on {0}', target.profile.name), error);
      return undefined;
    }
  };

  const databaseOf = async (arg: unknown): Promise<{ profile: MySqlProfile; database: string; model?: string } | undefined> => {
    const found = nodeTarget(arg);
    if (found) return found;
    const editor = vscode.window.activeTextEditor;
    const remembered = editor ? targets.get(editor.document) : undefined;
    const target = remembered ?? (await askTarget());
    const profile = target ? profiles.get(target.profileId) : undefined;
    if (!isKind(profile, 'mysql') || !target?.database) return undefined;
    return { profile, database: target.database };
  };

  return [
    output,
    vscode.commands.registerCommand('switchboard.mysql.runStatement', () => runEditor(false)),
    vscode.commands.registerCommand('switchboard.mysql.runFile', () => runEditor(true)),
    vscode.commands.registerCommand('switchboard.mysql.refreshSchema', async (arg?: unknown) => {
      const found = nodeTarget(arg);
      const editor = vscode.window.activeTextEditor;
      const target = found ? { profileId: found.profile.id, database: found.database } : editor ? targets.get(editor.document) : undefined;
      const profile = target ? profiles.get(target.profileId) : await profileFor(arg, profiles, 'Read the schema of which MySQL connection again?', (p) => p.kind === 'mysql');
      if (!isKind(profile, 'mysql') || !sessions.isOpen(profile.id)) return undefined;
      const s = await session(profile);
      s.refreshCatalog();
      const database = target?.database ?? profile.database;
      if (database) await s.forget(database);
      await s.catalogLoaded(database);
      return database;
    }),
    vscode.commands.registerCommand('switchboard.mysql.pickTarget', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return undefined;
      const target = await askTarget();
      if (target) await targets.set(editor.document, target);
      return target;
    }),
    vscode.commands.registerCommand('switchboard.mysql.newQuery', async (arg?: unknown) => {
      const found = nodeTarget(arg);
      const profile = found?.profile ?? (await profileFor(arg, profiles, vscode.l10n.t('New SQL query on…'), (p) => p.kind === 'mysql'));
      if (!isKind(profile, 'mysql')) return undefined;
      const database = found?.database ?? profile.database;
      const content = found?.table ? `SELECT *\nFROM ${ident(found.table)}\nLIMIT 100;\n` : '';
      const document = await vscode.workspace.openTextDocument({ language: 'sql', content });
      await targets.set(document, { profileId: profile.id, ...(database ? { database } : {}) });
      return vscode.window.showTextDocument(document);
    }),
    vscode.commands.registerCommand('switchboard.mysql.saveModels', async (arg?: unknown) => {
      const where = await databaseOf(arg);
      if (!where) return undefined;
      try {
        const source = await (await session(where.profile)).modelSource(where.database);
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
        const file = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, `${where.database}.models.ts`), filters: { TypeScript: ['ts'] }, saveLabel: vscode.l10n.t('Save Models') });
        if (!file) return undefined;
        await vscode.workspace.fs.writeFile(file, Buffer.from(source, 'utf8'));
        await vscode.window.showTextDocument(file);
        return file;
      } catch (error) {
        log.report(vscode.l10n.t('Generating models for {0}', where.database), error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('switchboard.mysql.queryBuilder', async (arg?: unknown) => {
      const where = await databaseOf(arg);
      return where ? new OrmBuilderPanel(extensionUri, log, where.profile, where.database, sessions, where.model) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.openTable', async (arg?: unknown) => {
      const where = nodeTarget(arg) ?? (await databaseOf(arg));
      if (!where) return undefined;
      try {
        let table = nodeTarget(arg)?.table;
        if (!table) {
          const tables = await (await session(where.profile)).schema(where.database);
          const picked = await vscode.window.showQuickPick(tables.map((t) => ({ label: t.name, description: t.view ? vscode.l10n.t('view') : vscode.l10n.t('~{0} rows', t.estimatedRows ?? '?') })), { placeHolder: vscode.l10n.t('Open which table of {0}?', where.database) });
          table = picked?.label;
        }
        return table ? await TableDataPanel.open(extensionUri, log, where.profile, sessions, where.database, table) : undefined;
      } catch (error) {
        log.report(`Opening a table of ${where.database}`, error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('switchboard.mysql.diagram', async (arg?: unknown) => {
      const where = await databaseOf(arg);
      return where ? new ModelDiagramPanel(extensionUri, log, where.profile, where.database, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.runScratchpad', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !['javascript', 'typescript'].includes(editor.document.languageId)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a JavaScript or TypeScript snippet to run it as an ORM scratchpad: sequelize, models and Op are in scope.'));
        return undefined;
      }
      if (!(await mayRun(editor.document, vscode.l10n.t('This scratchpad')))) return undefined;
      const target = await targets.resolve(editor.document, askTarget);
      if (!target?.database) return undefined;
      const mode = await vscode.window.showQuickPick([
        { label: vscode.l10n.t('Run and roll back'), description: vscode.l10n.t('default: nothing is kept; statements that would commit (DDL, LOCK TABLES, COMMIT…) are refused'), commit: false },
        ...(target.profile.readOnly ? [] : [{ label: vscode.l10n.t('Run and commit'), description: vscode.l10n.t('keeps what the snippet changes'), commit: true }]),
      ], { placeHolder: vscode.l10n.t('Run {0} in a transaction on {1}', editor.document.fileName.split(/[\\/]/).pop() ?? 'snippet', `${target.profile.name} · ${target.database}`) });
      if (!mode) return undefined;
      const timeoutMs = config.mysqlScratchpadTimeoutMs();
      output.show(true);
      output.appendLine(`— ${new Date().toISOString()} ${target.profile.name} · ${target.database}: ${mode.commit ? 'commit' : 'roll back'} at the end`);
      const database = target.database;
      return withCancellableProgress(vscode.l10n.t('Running the ORM scratchpad'), async (_report, signal) => {
        try {
          const result = await (await session(target.profile)).scratchpad(database, editor.document.getText(), {
            language: editor.document.languageId === 'typescript' ? 'typescript' : 'javascript', timeoutMs, commit: mode.commit, signal, print: (line) => output.appendLine(line),
          });
          output.appendLine(`${result.committed ? 'Committed' : 'Rolled back'} after ${result.ms.toFixed(0)} ms.`);
          if (result.value !== undefined) {
            const { columns, rows } = tabular(result.value);
            await SqlResultsPanel.show(extensionUri, log, target.profile, sessions).showRows(vscode.l10n.t('Scratchpad result'), [], columns, rows, result.ms);
          }
          return result;
        } catch (error) {
          output.appendLine(`Failed: ${error instanceof Error ? error.message : String(error)}`);
          log.report(vscode.l10n.t('Running the ORM scratchpad'), error);
          return undefined;
        }
      });
    }),
  ];
}

