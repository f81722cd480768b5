import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { env, eventually, extension, storePassword } from './api';

const ID = 'test-history';

describe('query history and saved queries', () => {
  it('lists every statement run from an editor with its outcome, reopens one bound to its connection, and saves queries into the tree', async () => {
    const api = await extension();
    const url = new URL(env('MYSQL_URL'));
    const database = url.pathname.slice(1);
    await api.profiles.save({ id: ID, name: 'History DB', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database, tls: false, readOnly: false });
    await storePassword(api, ID, decodeURIComponent(url.password));

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('switchboard.mysql.newQuery', ID);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'SELECT 41 + 1 AS answer;\nSELECT no_such_column FROM no_such_table;\n'));
    await vscode.commands.executeCommand('switchboard.mysql.runFile');
    const entries = await eventually('two history entries', async () => {
      const listed = await api.history.list(ID);
      return listed.length >= 2 ? listed : undefined;
    });
    const [failed, succeeded] = entries;
    assert.equal(succeeded!.sql, 'SELECT 41 + 1 AS answer');
    assert.equal(succeeded!.outcome, 'ok');
    assert.equal(succeeded!.rows, 1);
    assert.equal(succeeded!.database, database);
    assert.equal(failed!.outcome, 'error');
    assert.match(failed!.error ?? '', /no_such_table|doesn't exist/);
    assert.ok(!JSON.stringify(entries).includes('"42"'), 'no result data is kept');

    // The view lists the connection with its statements, newest first; a row reopens its statement, bound.
    const groups = await api.historyTree.getChildren();
    const group = groups.find((g) => api.historyTree.getTreeItem(g).id === `history/${ID}`);
    assert.ok(group, 'the connection is listed in the history view');
    const rows = await api.historyTree.getChildren(group);
    assert.match(String(api.historyTree.getTreeItem(rows[0]!).label), /no_such_column/);
    assert.match(String(api.historyTree.getTreeItem(rows[1]!).description), /1 row/);
    const reopened = await vscode.commands.executeCommand<vscode.TextEditor>('switchboard.mysql.openHistoryEntry', rows[1]);
    assert.equal(reopened.document.getText(), 'SELECT 41 + 1 AS answer');
    assert.equal(reopened.document.languageId, 'sql');

    // Saved under a name, the query is listed first below its connection and opens from there.
    await vscode.commands.executeCommand('switchboard.mysql.saveQuery', 'The answer');
    const connection = (await api.tree.getChildren()).find((n) => n.id === `conn/${ID}`)!;
    const [savedGroup] = await api.tree.getChildren(connection);
    assert.equal(String(savedGroup!.treeItem().label), 'Saved Queries');
    const [saved] = await api.tree.getChildren(savedGroup);
    assert.equal(String(saved!.treeItem().label), 'The answer');
    const opened = await vscode.commands.executeCommand<vscode.TextEditor>('switchboard.mysql.openSavedQuery', saved);
    assert.equal(opened.document.getText(), 'SELECT 41 + 1 AS answer');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('SQL formatting', () => {
  it('formats a document in the MySQL dialect, changing only whitespace, and leaves what it cannot read as it is', async () => {
    // Opening a .sql file is what activates Switchboard for it.
    const original = "select a, `b c`, 'x -- y' from t where x='#' -- keep me\n and y=1;\nSELECT 2;";
    // A name of its own: an "Untitled-N" the test before closed may still be known to the extension host under that
    // name, and a new document given it was once seen to come back holding the old one's text.
    const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: '/switchboard-format-test.sql' }));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), original));
    assert.equal(document.languageId, 'sql');
    await extension();
    // What Format Document applies: the edits of the formatting provider registered for SQL.
    const format = async (): Promise<void> => {
      const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', document.uri, { tabSize: 2, insertSpaces: true });
      const edit = new vscode.WorkspaceEdit();
      edit.set(document.uri, edits ?? []);
      await vscode.workspace.applyEdit(edit);
    };
    await format();
    const formatted = document.getText();
    assert.equal(formatted, "select\n  a,\n  `b c`,\n  'x -- y'\nfrom\n  t\nwhere\n  x = '#' -- keep me\n  and y = 1;\n\nSELECT\n  2;");
    assert.equal(formatted.replace(/\s+/g, ''), original.replace(/\s+/g, ''), 'only whitespace changed');
    await editor.edit((e) => e.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), 'DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //'));
    const before = document.getText();
    await format();
    assert.equal(document.getText(), before);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
