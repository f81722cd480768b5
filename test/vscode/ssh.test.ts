import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { sessionOfKind } from '../../src/core/sessionKinds';
import type { SshTerminal } from '../../src/terminals/sshTerminal';
import type { SshProfile } from '../../src/drivers/types';
import { env, eventually, extension, storePassword } from './api';
import { ownTcpListeners } from '../services/procfs';

const ID = 'test-ssh-features';
const auditFile = join(mkdtempSync(join(tmpdir(), 'switchboard-audit-')), 'audit.jsonl');

describe('SSH in VS Code', () => {
  before(async () => {
    const api = await extension();
    await api.profiles.save({ id: ID, name: 'SSH features', kind: 'ssh', host: env('SSH_HOST'), port: Number(env('SSH_PORT')), username: env('SSH_USER'), useAgent: false, readOnly: false, snippets: ['uptime'] });
    await storePassword(api, ID, env('SSH_PASSWORD'));
    const [, base64] = env('SSH_HOST_KEY').split(' ');
    await api.hostKeys.remember(env('SSH_HOST'), Number(env('SSH_PORT')), Buffer.from(base64!, 'base64'));
    await vscode.workspace.getConfiguration('switchboard').update('ssh.auditLog', auditFile, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('switchboard').update('ssh.auditLog', undefined, vscode.ConfigurationTarget.Global);
  });

  it('opens a terminal in the integrated terminal and echoes through a remote shell', async () => {
    await extension();
    const opened = await vscode.commands.executeCommand<{ terminal: vscode.Terminal; pty: SshTerminal }>('switchboard.ssh.openTerminal', ID);
    let output = '';
    opened.pty.onDidWrite((text) => (output += text));
    await eventually('the shell prompt', () => output.includes('$ ') || undefined);
    opened.terminal.sendText('echo "switch$((40+2))board ✓"');
    await eventually('the echo', () => output.includes('switch42board ✓') || undefined);
    opened.terminal.sendText('exit 5');
    await eventually('the exit status', () => output.includes('[exit status 5]') || undefined);
    opened.terminal.dispose();
  });

  it('opens a remote file as an editor document and saves it back over SFTP', async () => {
    await extension();
    const { sftpUri } = await import('../../src/fs/sftpFileSystem');
    const home = await homeOf(ID);
    const uri = sftpUri(ID, `${home}/editor-${Date.now()}.json`);
    await vscode.workspace.fs.writeFile(uri, Buffer.from('{"a": 1}\n'));
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'json');
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, 1, 0), '{"a": 2, "saved": "über"}\n'));
    assert.ok(await document.save(), 'the save reports success');
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'), '{"a": 2, "saved": "über"}\n');
    const listing = await vscode.workspace.fs.readDirectory(sftpUri(ID, home));
    assert.ok(!listing.some(([name]) => name.includes('.switchboard-')), 'no temporary file left behind');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(uri);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(uri)), (e: unknown) => e instanceof vscode.FileSystemError && e.code === 'FileNotFound');
  });

  it('lists Files and Port Forwards under the connection', async () => {
    const api = await extension();
    const node = (await api.tree.getChildren()).find((n) => n.id === `conn/${ID}`)!;
    const labels = (await api.tree.getChildren(node)).map((n) => String(n.treeItem().label));
    assert.deepEqual(labels, ['System', 'Uptime', 'Files', 'Port Forwards']);
  });

  it('runs a command on the host in a terminal, with its exit status', async () => {
    const opened = await vscode.commands.executeCommand<{ terminal: vscode.Terminal; pty: SshTerminal }>('switchboard.ssh.runCommand', ID, 'echo ran-$((6*7)); exit 4');
    let output = '';
    opened.pty.onDidWrite((text) => (output += text));
    await eventually('the command output and status', () => (output.includes('ran-42') && output.includes('[exit status 4]')) || undefined);
    opened.terminal.dispose();
  });

  it('reaches a host through a jump host, and Redis through an SSH tunnel, each host key checked', async () => {
    const api = await extension();
    const jumpKey = Buffer.from(env('SSH_JUMP_HOST_KEY').split(' ')[1]!, 'base64');
    await api.hostKeys.remember(env('SSH_HOST'), Number(env('SSH_JUMP_PORT')), jumpKey);
    const redis = new URL(env('REDIS_URL'));
    await api.profiles.saveMany([
      { id: 'test-jump', name: 'Jump', kind: 'ssh', host: env('SSH_HOST'), port: Number(env('SSH_JUMP_PORT')), username: env('SSH_USER'), useAgent: false, readOnly: false },
      { id: 'test-behind', name: 'Behind the jump', kind: 'ssh', host: env('SSH_HOST'), port: Number(env('SSH_PORT')), username: env('SSH_USER'), useAgent: false, readOnly: false, jumpHost: 'test-jump' },
      { id: 'test-tunnelled-redis', name: 'Tunnelled Redis', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: false, viaSsh: 'test-behind' },
    ]);
    for (const id of ['test-jump', 'test-behind']) await storePassword(api, id, env('SSH_PASSWORD'));
    await storePassword(api, 'test-tunnelled-redis', decodeURIComponent(redis.password));
    const listenersBefore = ownTcpListeners();
    const node = (await api.tree.getChildren()).find((n) => n.id === 'conn/test-tunnelled-redis')!;
    const children = (await api.tree.getChildren(node)).map((n) => String(n.treeItem().label));
    assert.ok(children.includes('db0'), children.join(', '));
    assert.deepEqual(ownTcpListeners(), listenersBefore, 'the hop and the tunnel open no TCP port any local process could use');
    assert.equal(api.sessions.state('test-jump').status, 'connected', 'the jump host carries the chain');
    assert.equal(api.sessions.state('test-behind').status, 'connected');
    await api.sessions.disconnect('test-jump');
    assert.equal(api.sessions.state('test-tunnelled-redis').status, 'disconnected', 'what rides on a closed carrier closes too');
  });

  it('refuses a host whose key changed, and says so on the node', async () => {
    const api = await extension();
    const otherKey = Buffer.from(env('SSH_JUMP_HOST_KEY').split(' ')[1]!, 'base64');
    await api.hostKeys.remember('localhost', Number(env('SSH_PORT')), otherKey);
    await api.profiles.save({ id: 'test-changed', name: 'Changed key', kind: 'ssh', host: 'localhost', port: Number(env('SSH_PORT')), username: env('SSH_USER'), useAgent: false, readOnly: false });
    await storePassword(api, 'test-changed', env('SSH_PASSWORD'));
    const node = (await api.tree.getChildren()).find((n) => n.id === 'conn/test-changed')!;
    const [error] = await api.tree.getChildren(node);
    assert.match(String(error?.treeItem().label), /host key of localhost:\d+ was not trusted/);
    assert.equal(api.sessions.state('test-changed').status, 'error');
  });

  it('writes sessions and commands to the audit log', async () => {
    const api = await extension();
    await api.sessions.disconnect(ID);
    await api.audit.flushed();
    const events = readFileSync(auditFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event: string; host: string; user: string; time: string; command?: string });
    const kinds = events.map((e) => e.event);
    for (const expected of ['session-open', 'terminal-open', 'terminal-close', 'exec', 'session-close']) assert.ok(kinds.includes(expected), `${expected} in ${kinds.join(', ')}`);
    assert.ok(events.some((e) => e.event === 'exec' && e.command === 'echo ran-$((6*7)); exit 4'));
    assert.ok(events.every((e) => e.host === env('SSH_HOST') && e.user === env('SSH_USER') && !Number.isNaN(Date.parse(e.time))));
  });
});

async function homeOf(profileId: string): Promise<string> {
  const api = await extension();
  const profile = api.profiles.get(profileId)!;
  const { sshSession } = await import('../../src/core/sshSessions');
  return (await sshSession(api.sessions, profile as SshProfile)).homeDirectory();
}

describe('Redis console in VS Code', () => {
  it('runs commands typed into the terminal and prints replies like redis-cli', async () => {
    const api = await extension();
    const redis = new URL(env('REDIS_URL'));
    await api.profiles.save({ id: 'test-redis-cli', name: 'CLI', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: false });
    await storePassword(api, 'test-redis-cli', decodeURIComponent(redis.password));
    const opened = await vscode.commands.executeCommand<{ terminal: vscode.Terminal; pty: { onDidWrite: vscode.Event<string> } }>('switchboard.redis.openCli', 'test-redis-cli');
    let output = '';
    opened.pty.onDidWrite((text) => (output += text));
    await eventually('the prompt', () => output.includes('> ') || undefined);
    opened.terminal.sendText('SELECT 7');
    opened.terminal.sendText('SET "cli key" "a \\"quoted\\" value"');
    opened.terminal.sendText('GET "cli key"');
    opened.terminal.sendText('DEL "cli key"');
    await eventually('the replies', () => (output.includes('"a \\"quoted\\" value"') && output.includes('(integer) 1')) || undefined);
    assert.match(output, /\[7\]> /, 'the prompt shows the selected database');
    opened.terminal.dispose();
  });
});

describe('Redis values as documents', () => {
  it('opens a string as a document, saves it back, refuses malformed JSON over JSON, and refuses to overwrite a change made meanwhile', async () => {
    const api = await extension();
    const redis = new URL(env('REDIS_URL'));
    await api.profiles.save({ id: 'test-redis-docs', name: 'Docs', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: false });
    await storePassword(api, 'test-redis-docs', decodeURIComponent(redis.password));
    const session = sessionOfKind(await api.sessions.session(api.profiles.get('test-redis-docs')!), 'redis');
    const console = session.console();
    const { parseCommandLine } = await import('../../src/drivers/redis/cli');
    await console.run(parseCommandLine('SELECT 6'));
    await console.run(parseCommandLine('SET doc:config "{\\"a\\":1}"'));
    const { redisValueUri } = await import('../../src/fs/redisValueFileSystem');
    const uri = redisValueUri('test-redis-docs', 6, { text: 'doc:config' });
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(), '{"a":1}');
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.replace(new vscode.Range(0, 0, 0, 7), '{"a":2}'));
    assert.ok(await document.save());
    assert.deepEqual(await console.run(parseCommandLine('GET doc:config')), Buffer.from('{"a":2}'));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('{"a": 3,'))), /Not saved: doc:config holds JSON and this text is not valid JSON/);
    assert.deepEqual(await console.run(parseCommandLine('GET doc:config')), Buffer.from('{"a":2}'), 'malformed JSON was not written');
    await console.run(parseCommandLine('SET doc:config "changed elsewhere"'));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('{"a":3}'))), /changed by someone else/);
    assert.deepEqual(await console.run(parseCommandLine('GET doc:config')), Buffer.from('changed elsewhere'));
    await console.run(parseCommandLine('DEL doc:config'));
    console.close();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
