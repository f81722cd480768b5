import * as vscode from 'vscode';
import { isKind, MySqlProfile } from '../drivers/types';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { SqlTargets } from '../editors/sqlTargets';
import { explainTarget, MySqlExplainPanel } from '../panels/mysqlExplain/mysqlExplainPanel';
import { describeError } from '../core/errorWords';
import { MySqlProcessesPanel } from '../panels/mysqlProcesses/mysqlProcessesPanel';
import { MySqlServerValuesPanel } from '../panels/mysqlServerValues/mysqlServerValuesPanel';
import { mayRun } from '../core/workspaceTrust';
import { CommandServices } from './commandServices';
import { profileFor } from './pickProfile';
import { askSqlTarget } from './sqlTargetPick';
import { rowOf } from './treeArgs';

type Services = Omit<CommandServices, 'tree'> & { readonly targets: SqlTargets };


/** The MySQL server views of a row below a connection ("Processes", "Status", "Variables"): the command that opens it. */
export function mysqlServerView(arg: unknown): string | undefined {
  const place = rowOf(arg, 'mysql')?.place;
  if (place?.of !== 'serverView') return undefined;
  const view = place.view;
  return view === 'processes' ? 'switchboard.mysql.processes' : view === 'status' ? 'switchboard.mysql.serverStatus' : view === 'variables' ? 'switchboard.mysql.serverVariables' : undefined;
}

/** EXPLAIN / ANALYZE of the statement under the cursor, and the server's views: processes, status, variables. */
export function registerMySqlServerCommands(services: Services): vscode.Disposable[] {
  const { profiles, sessions, targets, log, extensionUri } = services;

  const connection = async (arg: unknown, placeHolder: string): Promise<MySqlProfile | undefined> => {
    if (arg instanceof BrowseItemNode) return isKind(arg.profile, 'mysql') ? arg.profile : undefined;
    const profile = await profileFor(arg, profiles, placeHolder, (p) => p.kind === 'mysql');
    return isKind(profile, 'mysql') ? profile : undefined;
  };

  /** The statement under the cursor (or the selection) of the active .sql editor, and where it runs. */
  const editorStatement = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !(await mayRun(editor.document, vscode.l10n.t('This SQL file')))) return undefined;
    const target = await targets.resolve(editor.document, () => askSqlTarget(services));
    if (!target) return undefined;
    const session = await sessions.session(target.profile);
    const { selection, document } = editor;
    const [statement] = selection.isEmpty ? session.statements(document.getText(), document.offsetAt(selection.active)) : session.statements(document.getText(selection));
    if (!statement) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no SQL statement here to explain.'));
      return undefined;
    }
    try {
      return await explainTarget(session, target.profile, target.database, statement.text);
    } catch (error) {
      void vscode.window.showWarningMessage(describeError(error));
      return undefined;
    }
  };

  const explain = async (analyze: boolean): Promise<MySqlExplainPanel | undefined> => {
    try {
      const target = await editorStatement();
      if (!target) return undefined;
      const what = analyze ? 'ANALYZE' : 'EXPLAIN';
      if (target.profile.readOnly && !target.reads) {
        void vscode.window.showErrorMessage(vscode.l10n.t('{0} refused: "{1}" is a read-only connection, and {2}.', what, target.profile.name, target.reason ?? ''));
        return undefined;
      }
      if (analyze && !target.analyzable) {
        // Refused before anything is asked: the rollback after ANALYZE would not undo what it did.
        void vscode.window.showWarningMessage(vscode.l10n.t('ANALYZE refused: it runs the statement, and {0}. EXPLAIN shows its plan without running it.', target.analyzeReason ?? ''));
        return undefined;
      }
      // ANALYZE of a write: the panel shows its EXPLAIN and asks there (Cancel focused) whether to run it.
      const asks = analyze && !target.reads;
      const panel = new MySqlExplainPanel(extensionUri, log, target, sessions, asks);
      await panel.run(analyze && !asks ? 'analyze' : 'explain', false);
      return panel;
    } catch (error) {
      log.report(vscode.l10n.t('Explaining a statement'), error);
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand('switchboard.mysql.explainStatement', () => explain(false)),
    vscode.commands.registerCommand('switchboard.mysql.analyzeStatement', () => explain(true)),
    vscode.commands.registerCommand('switchboard.mysql.processes', async (arg?: unknown) => {
      const profile = await connection(arg, vscode.l10n.t('Show the processes of…'));
      return profile ? new MySqlProcessesPanel(extensionUri, log, profile, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.serverStatus', async (arg?: unknown) => {
      const profile = await connection(arg, vscode.l10n.t('Show the status of…'));
      return profile ? new MySqlServerValuesPanel(extensionUri, log, profile, 'status', sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.serverVariables', async (arg?: unknown) => {
      const profile = await connection(arg, vscode.l10n.t('Show the variables of…'));
      return profile ? new MySqlServerValuesPanel(extensionUri, log, profile, 'variables', sessions) : undefined;
    }),
  ];
}
