import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StatementOutcome } from '../../src/drivers/mysql/resultShapes';
import type { TreeNode } from '../../src/explorer/nodes/treeNode';
import { env, eventually, extension } from './api';

const ID = 'test-mysql';
const label = (n: TreeNode): string => String(n.treeItem().label);

describe('mysql', () => {
  it('runs the statements of a .sql editor against the connection it was opened for, stopping at an error', async () => {
    const api = await extension();
    const url = new URL(env('MYSQL_URL'));
    await api.profiles.save({ id: ID, name: 'Maria', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database: url.pathname.slice(1), tls: false, readOnly: false });
    await api.secrets.write(ID, { password: decodeURIComponent(url.password) });

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('switchboard.mysql.newQuery', ID);
    assert.equal(editor.document.languageId, 'sql');
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), [
      'CREATE TABLE IF NOT EXISTS sb_ui_items (id INT PRIMARY KEY, label VARCHAR(20) NULL);',
      "REPLACE INTO sb_ui_items VALUES (1, 'one'), (2, NULL);",
      'SELECT id, label FROM sb_ui_items ORDER BY id;',
      'SELECT nope FROM sb_ui_items;',
      'SELECT 1;',
    ].join('\n')));
    const outcomes = await vscode.commands.executeCommand<StatementOutcome[]>('switchboard.mysql.runFile');
    assert.equal(outcomes.length, 4, 'stops at the failing statement');
    assert.deepEqual(outcomes[2]?.results.map((r) => r.kind === 'rows' && r.rowCount), [2]);
    assert.equal(outcomes[3]?.error?.code, 'ER_BAD_FIELD_ERROR');
    assert.equal(editor.selection.start.line, 3, 'the failing line is selected in the editor');

    // Ctrl+Enter runs the statement under the cursor only.
    editor.selection = new vscode.Selection(2, 5, 2, 5);
    const one = await vscode.commands.executeCommand<StatementOutcome[]>('switchboard.mysql.runStatement');
    assert.deepEqual(one.map((o) => o.statement), ['SELECT id, label FROM sb_ui_items ORDER BY id']);

    const tab = await eventually('the results tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Maria: results'));
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists Sequelize models with their associations, and opens the ORM builder and the diagram on them', async () => {
    const api = await extension();
    const [connection] = (await api.tree.getChildren()).filter((n) => label(n) === 'Maria');
    const db = (await api.tree.getChildren(connection!)).find((n) => label(n) === new URL(env('MYSQL_URL')).pathname.slice(1))!;
    const models = (await api.tree.getChildren(db)).find((n) => label(n) === 'Models');
    assert.ok(models, 'a Models row under the database');
    assert.match(String(models.treeItem().contextValue), /^node:mysql:models$/);
    const builder = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.mysql.queryBuilder', models);
    assert.match(builder.panel.title, /: ORM query$/);
    assert.match(builder.panel.webview.html, /default-src 'none'/);
    const diagram = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.mysql.diagram', models);
    assert.match(diagram.panel.title, /: associations$/);
    assert.match(diagram.panel.webview.html, /modelDiagram\.js/);
    builder.panel.dispose();
    diagram.panel.dispose();
  });
});
