import * as vscode from 'vscode';
import { SqlTargets } from '../editors/sqlTargets';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { HistoryEntry, QueryHistory, searchHistory } from '../storage/queryHistory';
import { SavedQueries } from '../storage/savedQueries';
import { ago, firstLine, HistoryConnectionNode, HistoryEntryNode, outcomeText, QueryHistoryTree } from '../explorer/queryHistoryTree';
import { SavedQueryNode } from '../explorer/nodes/savedQueryNode';

interface Services {
  readonly profiles: ConnectionCatalog;
  readonly targets: SqlTargets;
  readonly history: QueryHistory;
  readonly historyTree: QueryHistoryTree;
  readonly saved: SavedQueries;
}

/** A statement and where it ran. */
type Runnable = Pick<HistoryEntry, 'profileId' | 'sql' | 'database'>;

/** The statement of a history row or a saved query's row. */
function runnableOf(arg: unknown): Runnable | undefined {
  if (arg instanceof HistoryEntryNode) return arg.entry;
  if (arg instanceof SavedQueryNode) return arg.query;
  return undefined;
}

/** Query history (every statement run from an editor, per connection) and saved queries. */
export function registerQueryHistoryCommands({ profiles, targets, history, historyTree, saved }: Services): vscode.Disposable[] {
  /** A new SQL editor holding the statement, bound to the connection and database it ran on. */
  const open = async (runnable: Runnable): Promise<vscode.TextEditor | undefined> => {
    if (profiles.get(runnable.profileId)?.kind !== 'mysql') {
      void vscode.window.showWarningMessage(vscode.l10n.t('The connection this statement ran on no longer exists. Copy the statement into an editor of another connection to run it there.'));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: runnable.sql });
    await targets.set(document, { profileId: runnable.profileId, ...(runnable.database ? { database: runnable.database } : {}) });
    return vscode.window.showTextDocument(document);
  };
  const pickEntry = async (): Promise<HistoryEntry | undefined> => {
    const entries = await history.list();
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No statements have been run yet: what runs from a .sql editor is listed here.'));
      return undefined;
    }
    const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { entry: HistoryEntry }>();
    quickPick.placeholder = vscode.l10n.t('Search the statements run: words of the SQL, the database or the error');
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    const items = (list: readonly HistoryEntry[]) => list.slice(0, 500).map((entry) => ({
      label: firstLine(entry.sql),
      description: `${profiles.get(entry.profileId)?.name ?? vscode.l10n.t('deleted connection')}${entry.database ? ` · ${entry.database}` : ''} · ${ago(entry.at)}`,
      detail: outcomeText(entry),
      alwaysShow: true,
      entry,
    }));
    quickPick.items = items(entries);
    quickPick.onDidChangeValue((value) => (quickPick.items = items(searchHistory(entries, value))));
    const picked = await new Promise<HistoryEntry | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.entry));
      quickPick.onDidHide(() => resolve(undefined));
      quickPick.show();
    });
    quickPick.dispose();
    return picked;
  };

  return [
    historyTree,
    saved,
    vscode.commands.registerCommand('switchboard.mysql.searchHistory', async () => {
      const entry = await pickEntry();
      return entry ? open(entry) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.openHistoryEntry', (arg?: unknown) => {
      const runnable = runnableOf(arg);
      return runnable ? open(runnable) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.rerunHistoryEntry', async (arg?: unknown) => {
      const runnable = runnableOf(arg) ?? (await pickEntry());
      if (!runnable || !(await open(runnable))) return undefined;
      return vscode.commands.executeCommand('switchboard.mysql.runFile');
    }),
    vscode.commands.registerCommand('switchboard.mysql.deleteHistoryEntry', async (arg?: unknown) => {
      if (arg instanceof HistoryEntryNode) await history.remove(new Set([arg.entry.id]));
    }),
    vscode.commands.registerCommand('switchboard.mysql.clearHistory', async (arg?: unknown) => {
      const profileId = arg instanceof HistoryConnectionNode ? arg.profileId : undefined;
      const count = (await history.list(profileId)).length;
      if (count === 0) return;
      const question = profileId ? vscode.l10n.t('Clear the query history of {0}?', profiles.get(profileId)?.name ?? vscode.l10n.t('this connection')) : vscode.l10n.t('Clear the query history of every connection?');
      const clear = vscode.l10n.t('Clear History');
      const forgotten = count === 1 ? vscode.l10n.t('1 statement will be forgotten.') : vscode.l10n.t('{0} statements will be forgotten.', count.toLocaleString());
      const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: `${forgotten} ${vscode.l10n.t('Saved queries stay.')}` }, clear);
      if (choice === clear) await history.clear(profileId);
    }),
    // A name given (from a keybinding or another extension's command) saves without asking for one.
    vscode.commands.registerCommand('switchboard.mysql.saveQuery', async (given?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const target = editor ? targets.get(editor.document) : undefined;
      if (!editor || !target) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a .sql editor bound to a MySQL connection (its status bar item names it) to save its query.'));
        return undefined;
      }
      const sql = (editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection)).trim();
      if (!sql) return void vscode.window.showInformationMessage(vscode.l10n.t('There is no SQL here to save.'));
      const name = typeof given === 'string' && given.trim() ? given : await vscode.window.showInputBox({
        title: vscode.l10n.t('Save Query on {0}', profiles.get(target.profileId)?.name ?? vscode.l10n.t('the connection')),
        prompt: vscode.l10n.t('A name for this query; a saved query of the same name on this connection is replaced.'),
        value: firstLine(sql).slice(0, 60),
        validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Name the query.')),
      });
      if (!name) return undefined;
      return saved.save({ profileId: target.profileId, name: name.trim(), sql, ...(target.database ? { database: target.database } : {}) });
    }),
    vscode.commands.registerCommand('switchboard.mysql.openSavedQuery', (arg?: unknown) => {
      const runnable = runnableOf(arg);
      return runnable ? open(runnable) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.deleteSavedQuery', async (arg?: unknown) => {
      if (!(arg instanceof SavedQueryNode)) return;
      const { query } = arg;
      const remove = vscode.l10n.t('Delete');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Delete the saved query "{0}"?', query.name), { modal: true, detail: firstLine(query.sql) }, remove);
      if (choice === remove) await saved.remove(query.id);
    }),
  ];
}
