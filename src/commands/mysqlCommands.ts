import * as vscode from 'vscode';
import { homedir } from 'node:os';
import type { MySqlSession } from '../drivers/mysql';
import type { Cell } from '../drivers/mysql/resultShapes';
import { MySqlProfile } from '../drivers/types';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { SqlTarget, SqlTargets } from '../editors/sqlTargets';
import { SqlResultsPanel } from '../panels/sqlResults/sqlResultsPanel';
import { OrmBuilderPanel } from '../panels/ormBuilder/ormBuilderPanel';
import { ModelDiagramPanel } from '../panels/modelDiagram/modelDiagramPanel';
import { profileFor } from './pickProfile';
import { CommandServices } from './commandServices';
import { ident } from '../drivers/mysql/identifier';

type Services = Omit<CommandServices, 'tree'> & { readonly targets: SqlTargets };

const isMySql = (p: { kind: string } | undefined): p is MySqlProfile => p?.kind === 'mysql';
/** A database row (or anything below one) in the tree: its connection, database and, where it is one, table or model. */
function nodeTarget(arg: unknown): { profile: MySqlProfile; database: string; table?: string; model?: string } | undefined {
  if (!(arg instanceof BrowseItemNode) || !isMySql(arg.profile) || arg.node.path[0] !== 'db' || arg.node.path[1] === undefined) return undefined;
  const [, database, kind, name] = arg.node.path;
  return { profile: arg.profile, database, ...(kind === 'table' && name ? { table: name } : {}), ...(kind === 'model' && name ? { model: name } : {}) };
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
  const { profiles, sessions, targets, log, extensionUri } = services;
  const session = async (profile: MySqlProfile): Promise<MySqlSession> => (await sessions.session(profile)) as MySqlSession;
  const output = vscode.window.createOutputChannel('Switchboard ORM');

  /** Connection, then database: the profile's own first. */
  const askTarget = async (): Promise<SqlTarget | undefined> => {
    const profile = await profileFor(undefined, profiles, 'Run against which MySQL connection?', (p) => p.kind === 'mysql');
    if (!isMySql(profile)) return undefined;
    const databases = await (await session(profile)).databases().catch((error: unknown) => {
      log.report(`Listing the databases of ${profile.name}`, error);
      return undefined;
    });
    if (!databases) return undefined;
    const ordered = [...databases].sort((a, b) => Number(b === profile.database) - Number(a === profile.database));
    const picked = await vscode.window.showQuickPick(ordered.map((d) => ({ label: d, description: d === profile.database ? 'the connection\'s database' : '' })), { placeHolder: `Database on ${profile.name}` });
    return picked ? { profileId: profile.id, database: picked.label } : undefined;
  };

  const runEditor = async (whole: boolean): Promise<unknown> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const target = await targets.resolve(editor.document, askTarget);
    if (!target) return undefined;
    const s = await session(target.profile);
    const selection = editor.selection;
    const statements = whole ? s.statements(editor.document.getText())
      : selection.isEmpty ? s.statements(editor.document.getText(), editor.document.offsetAt(selection.active))
        : s.statements(editor.document.getText(selection)).map((st) => ({ ...st, line: st.line + selection.start.line }));
    if (statements.length === 0) {
      void vscode.window.showInformationMessage('There is no SQL statement here to run.');
      return undefined;
    }
    const panel = SqlResultsPanel.show(extensionUri, target.profile, sessions);
    try {
      const outcomes = await panel.run(statements, target.database, `${target.profile.name}${target.database ? ` · ${target.database}` : ''}`);
      const failed = outcomes.find((o) => o.error);
      if (failed?.error?.line !== undefined) {
        const line = editor.document.lineAt(Math.min(failed.error.line, editor.document.lineCount - 1));
        editor.selection = new vscode.Selection(line.range.start, line.range.end);
        editor.revealRange(line.range);
      }
      return outcomes;
    } catch (error) {
      log.report(`Running SQL on ${target.profile.name}`, error);
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
    if (!isMySql(profile) || !target?.database) return undefined;
    return { profile, database: target.database };
  };

  return [
    output,
    vscode.commands.registerCommand('switchboard.mysql.runStatement', () => runEditor(false)),
    vscode.commands.registerCommand('switchboard.mysql.runFile', () => runEditor(true)),
    vscode.commands.registerCommand('switchboard.mysql.pickTarget', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return undefined;
      const target = await askTarget();
      if (target) await targets.set(editor.document, target);
      return target;
    }),
    vscode.commands.registerCommand('switchboard.mysql.newQuery', async (arg?: unknown) => {
      const found = nodeTarget(arg);
      const profile = found?.profile ?? (await profileFor(arg, profiles, 'New SQL query on…', (p) => p.kind === 'mysql'));
      if (!isMySql(profile)) return undefined;
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
        const file = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, `${where.database}.models.ts`), filters: { TypeScript: ['ts'] }, saveLabel: 'Save Models' });
        if (!file) return undefined;
        await vscode.workspace.fs.writeFile(file, Buffer.from(source, 'utf8'));
        await vscode.window.showTextDocument(file);
        return file;
      } catch (error) {
        log.report(`Generating models for ${where.database}`, error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('switchboard.mysql.queryBuilder', async (arg?: unknown) => {
      const where = await databaseOf(arg);
      return where ? new OrmBuilderPanel(extensionUri, where.profile, where.database, sessions, where.model) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.diagram', async (arg?: unknown) => {
      const where = await databaseOf(arg);
      return where ? new ModelDiagramPanel(extensionUri, where.profile, where.database, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.runScratchpad', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !['javascript', 'typescript'].includes(editor.document.languageId)) {
        void vscode.window.showInformationMessage('Open a JavaScript or TypeScript snippet to run it as an ORM scratchpad: sequelize, models and Op are in scope.');
        return undefined;
      }
      const target = await targets.resolve(editor.document, askTarget);
      if (!target?.database) return undefined;
      const mode = await vscode.window.showQuickPick([
        { label: 'Run and roll back', description: 'default: nothing is kept', commit: false },
        ...(target.profile.readOnly ? [] : [{ label: 'Run and commit', description: 'keeps what the snippet changes', commit: true }]),
      ], { placeHolder: `Run ${editor.document.fileName.split(/[\\/]/).pop() ?? 'snippet'} in a transaction on ${target.profile.name} · ${target.database}` });
      if (!mode) return undefined;
      const timeoutMs = vscode.workspace.getConfiguration('switchboard').get<number>('mysql.scratchpadTimeoutSeconds', 30) * 1000;
      output.show(true);
      output.appendLine(`— ${new Date().toISOString()} ${target.profile.name} · ${target.database}: ${mode.commit ? 'commit' : 'roll back'} at the end`);
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Running the ORM scratchpad', cancellable: true }, async (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        try {
          const result = await (await session(target.profile)).scratchpad(target.database!, editor.document.getText(), {
            language: editor.document.languageId === 'typescript' ? 'typescript' : 'javascript', timeoutMs, commit: mode.commit, signal: controller.signal, print: (line) => output.appendLine(line),
          });
          output.appendLine(`${result.committed ? 'Committed' : 'Rolled back'} after ${result.ms.toFixed(0)} ms.`);
          if (result.value !== undefined) {
            const { columns, rows } = tabular(result.value);
            await SqlResultsPanel.show(extensionUri, target.profile, sessions).showRows('Scratchpad result', [], columns, rows, result.ms);
          }
          return result;
        } catch (error) {
          output.appendLine(`Failed: ${error instanceof Error ? error.message : String(error)}`);
          log.report('Running the ORM scratchpad', error);
          return undefined;
        }
      });
    }),
  ];
}

