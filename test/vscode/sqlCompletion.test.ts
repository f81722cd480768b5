import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MySqlProfile } from '../../src/drivers/types';
import type { StatementOutcome } from '../../src/drivers/mysql/resultShapes';
import { env, eventually, extension, storePassword } from './api';

const ID = 'test-mysql-completion';

/** The completion labels VS Code's own command gets at a position of a document. */
async function labelsAt(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
  return list.items;
}
const label = (item: vscode.CompletionItem): string => (typeof item.label === 'string' ? item.label : item.label.label);

describe('sql completion', () => {
  it('completes the columns of the joined tables and their foreign-key join in a .sql editor, hovers a column, and sees a table created by a statement run from the editor', async () => {
    const api = await extension();
    const url = new URL(env('MYSQL_URL'));
    const database = url.pathname.slice(1);
    const profile: MySqlProfile = { id: ID, name: 'Completion', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database, tls: false, readOnly: false };
    await api.profiles.save(profile);
    await storePassword(api, ID, decodeURIComponent(url.password));
    const session = await api.sessions.session(profile);

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('switchboard.mysql.newQuery', ID);
    const setup = [
      'DROP TABLE IF EXISTS sbc_lines, sbc_invoices, sbc_later;',
      "CREATE TABLE sbc_invoices (id INT PRIMARY KEY, customer VARCHAR(80) NOT NULL DEFAULT 'walk-in' COMMENT 'who pays');",
      'CREATE TABLE sbc_lines (id INT PRIMARY KEY, invoice_id INT NOT NULL, amount DECIMAL(9,2), FOREIGN KEY (invoice_id) REFERENCES sbc_invoices(id));',
    ].join('\n');
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), setup));
    const ran = await vscode.commands.executeCommand<StatementOutcome[]>('switchboard.mysql.runFile');
    assert.deepEqual(ran.map((o) => o.error?.message), [undefined, undefined, undefined]);
    await session.catalogLoaded(database);

    const query = 'SELECT l. FROM sbc_invoices i JOIN sbc_lines l ON ';
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), query));
    const afterDot = await labelsAt(editor.document, new vscode.Position(0, 'SELECT l.'.length));
    assert.deepEqual(afterDot.map(label), ['id', 'invoice_id', 'amount']);
    assert.equal(afterDot[0]?.kind, vscode.CompletionItemKind.Field);
    const afterOn = await labelsAt(editor.document, new vscode.Position(0, query.length));
    const join = afterOn.find((i) => i.kind === vscode.CompletionItemKind.Reference);
    assert.equal(join?.insertText, 'l.invoice_id = i.id');

    // Inside a closed quote the item replaces through the closing backtick (none doubled); a word is replaced whole on replace.
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), 'SELECT * FROM `sbc_inv` WHERE 1'));
    const quoted = (await labelsAt(editor.document, new vscode.Position(0, 'SELECT * FROM `sbc_inv'.length))).find((i) => label(i) === 'sbc_invoices');
    assert.equal(quoted?.insertText, '`sbc_invoices`');
    assert.ok(quoted?.range instanceof vscode.Range, 'one range for a quoted name');
    assert.deepEqual([quoted.range.start.character, quoted.range.end.character], ['SELECT * FROM '.length, 'SELECT * FROM `sbc_inv`'.length]);
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), 'SELECT * FROM sbc_inv WHERE 1'));
    const word = (await labelsAt(editor.document, new vscode.Position(0, 'SELECT * FROM sbc'.length))).find((i) => label(i) === 'sbc_invoices');
    assert.ok(word?.range && !(word.range instanceof vscode.Range));
    assert.deepEqual([word.range.inserting.end.character, word.range.replacing.end.character], ['SELECT * FROM sbc'.length, 'SELECT * FROM sbc_inv'.length]);
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), query));

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, query.indexOf('sbc_invoices') + 3));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
    assert.match(text, /Table/);
    assert.match(text, /sbc\\_invoices|sbc_invoices/);
    assert.match(text, /Primary key/);

    // A CREATE run from the editor is DDL: completion reads the schema again.
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), 'CREATE TABLE sbc_later (z INT);'));
    await vscode.commands.executeCommand('switchboard.mysql.runFile');
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), 'SELECT * FROM '));
    await eventually('the new table in completion', async () => (await labelsAt(editor.document, new vscode.Position(0, 14))).some((i) => label(i) === 'sbc_later') || undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
