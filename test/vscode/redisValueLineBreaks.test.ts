import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import Redis from 'ioredis';
import { env, extension, storePassword } from './api';

const ID = 'test-redis-line-breaks';
const CRLF = 'first line\r\nsecond line\r\n';
const MIXED = 'windows\r\nunix\nend';

/** A Redis value opened as a document keeps its line breaks: CRLF stays CRLF through a save; mixed ones open read-only. */
describe('redis values as documents: line breaks', () => {
  let raw: Redis;

  before(async () => {
    const api = await extension();
    const url = new URL(env('REDIS_URL'));
    raw = new Redis(env('REDIS_URL'));
    await raw.set('lb:crlf', CRLF);
    await raw.set('lb:mixed', MIXED);
    await api.profiles.save({ id: ID, name: 'Line breaks', kind: 'redis', host: url.hostname, port: Number(url.port), db: 0, tls: false, readOnly: false });
    await storePassword(api, ID, decodeURIComponent(url.password));
  });

  after(async () => {
    const api = await extension();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.sessions.disconnect(ID);
    await api.profiles.delete(ID);
    await raw.del('lb:crlf', 'lb:mixed');
    raw.disconnect();
  });

  it('saves an edited CRLF value with its CRLFs', async () => {
    const { redisValueUri } = await import('../../src/fs/redisValueFileSystem');
    const uri = redisValueUri(ID, 0, { text: 'lb:crlf' });
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, document.positionAt(document.getText().length), 'third line\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    assert.equal(await raw.get('lb:crlf'), `${CRLF}third line\r\n`);
  });

  it('opens a value that mixes line breaks read-only: the editor would make them one kind', async () => {
    const { redisValueUri } = await import('../../src/fs/redisValueFileSystem');
    const uri = redisValueUri(ID, 0, { text: 'lb:mixed' });
    assert.equal((await vscode.workspace.fs.stat(uri)).permissions, vscode.FilePermission.Readonly);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.notEqual(document.getText(), MIXED, 'the document holds them as one kind');
    assert.equal(await raw.get('lb:mixed'), MIXED);
  });
});
