import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { sessionOfKind } from '../../src/core/sessionKinds';
import type { StatementOutcome } from '../../src/drivers/mysql/resultShapes';
import type { TreeNode } from '../../src/explorer/nodes/treeNode';
import { env, eventually, extension, storePassword } from './api';

const ID = 'test-mysql';
const label = (n: TreeNode): string => String(n.treeItem().label);

describe('mysql', () => {
  it('runs the statements of a .sql editor against the connection it was opened for, stopping at an error', async () => {
    const api = await extension();
    const url = new URL(env('MYSQL_URL'));
    await api.profiles.save({ id: ID, name: 'Maria', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database: url.pathname.slice(1), tls: false, readOnly: false });
    await storePassword(api, ID, decodeURIComponent(url.password));

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

  it('runs a scratchpad snippet that never yields off the extension host thread, which keeps answering until the timeout stops it', async () => {
    const api = await extension();
    const profile = api.profiles.get(ID);
    assert.ok(profile);
    const session = sessionOfKind(await api.sessions.session(profile), 'mysql');
    let spinning: () => void = () => undefined;
    const spun = new Promise<void>((resolve) => (spinning = resolve));
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const run = session.scratchpad(new URL(env('MYSQL_URL')).pathname.slice(1), "console.log('spinning'); while (true) {}", {
      language: 'javascript', timeoutMs: 4000, commit: false, print: (line) => line === 'spinning' && spinning(),
    });
    let finished = false;
    const ended = run.then(() => undefined, (error: unknown) => error).finally(() => (finished = true));
    await spun;
    delay.enable();
    // While it spins, the extension host runs commands, lists the tree and opens a document.
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT 1;' });
    await vscode.window.showTextDocument(document);
    assert.ok((await api.tree.getChildren()).some((n) => label(n) === 'Maria'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(finished, false, 'the snippet was still spinning while the extension host answered');
    const error = await ended;
    delay.disable();
    assert.ok(error instanceof Error && /ran longer than 4 s: it was stopped and its changes were rolled back/.test(error.message), String(error));
    console.log(`extension host: worst event-loop delay while a scratchpad snippet spun ${(delay.max / 1e6).toFixed(1)} ms`);
  });

  it('shows the Server row below the databases, opens Processes from it, and explains the statement under the cursor as a tree', async () => {
    const api = await extension();
    const [connection] = (await api.tree.getChildren()).filter((n) => label(n) === 'Maria');
    const server = (await api.tree.getChildren(connection!)).at(-1);
    assert.equal(server && label(server), 'Server');
    assert.match(String(server?.treeItem().contextValue), /^node:mysql:serverViews$/);
    const views = await api.tree.getChildren(server!);
    assert.deepEqual(views.map(label), ['Processes', 'Status', 'Variables', 'Users']);
    const open = views[0]!.treeItem().command;
    assert.equal(open?.command, 'switchboard.openNode');
    const processes = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>(open.command, ...(open.arguments ?? []));
    assert.match(processes.panel.title, /^Maria: processes$/);
    assert.match(processes.panel.webview.html, /mysqlProcesses\.js/);
    processes.panel.dispose();

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('switchboard.mysql.newQuery', ID);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'SELECT 1;\nSELECT id FROM sb_ui_items WHERE label = \'one\';\n'));
    editor.selection = new vscode.Selection(1, 3, 1, 3);
    const explained = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel; run(mode: 'explain'): Promise<{ statement: string; plan?: { children: readonly { table?: string }[] } }> }>('switchboard.mysql.explainStatement');
    assert.match(explained.panel.title, /^Maria: EXPLAIN$/);
    const state = await explained.run('explain');
    assert.equal(state.statement, "SELECT id FROM sb_ui_items WHERE label = 'one'");
    assert.ok(JSON.stringify(state.plan).includes('"table":"sb_ui_items"'), JSON.stringify(state.plan));
    explained.panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
