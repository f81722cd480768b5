import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SshProfile } from '../../src/drivers/types';
import { env, eventually, extension } from './api';

const profile: SshProfile = { id: 'test-machine-settings', name: 'Audited', kind: 'ssh', host: '127.0.0.1', port: 22, username: 'auditor', useAgent: false, readOnly: false };

/** Lines the audit log holds for this test's connection. */
function audited(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line.includes(profile.id) || line.includes(profile.name)) : [];
}

describe('security settings a workspace cannot change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-machine-settings-'));
  const userLog = join(dir, 'user-audit.jsonl');
  const workspaceLog = join(dir, 'workspace-audit.jsonl');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? env('SWITCHBOARD_TEST_DIR');
  const settingsFile = join(folder, '.vscode', 'settings.json');
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('switchboard');

  /** Writes the workspace's own settings file, as a cloned repository would carry it, and waits until VS Code read it. */
  async function workspaceSettings(values: Record<string, unknown>, marker: string): Promise<void> {
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify({ ...values, 'switchboard.redis.keyDelimiter': marker }));
    await eventually('VS Code to read the workspace settings', () => settings().get<string>('redis.keyDelimiter') === marker || undefined);
  }

  before(async () => {
    await settings().update('ssh.auditLog', userLog, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    rmSync(settingsFile, { force: true });
    await settings().update('ssh.auditLog', undefined, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps writing the audit log where the user set it when a workspace redirects it or turns it off', async () => {
    const api = await extension();
    await workspaceSettings({ 'switchboard.ssh.auditLog': workspaceLog }, '|');
    api.audit.record('exec', profile, { command: 'redirected?' });
    await workspaceSettings({ 'switchboard.ssh.auditLog': '' }, '#');
    api.audit.record('exec', profile, { command: 'turned off?' });
    await api.audit.flushed();
    assert.equal(existsSync(workspaceLog), false, 'nothing went to the file the workspace named');
    const lines = audited(userLog);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.ok(lines[0]?.includes('redirected?') && lines[1]?.includes('turned off?'));
  });

  it('ignores a workspace that allows SHA-1 host key signatures', async () => {
    const api = await extension();
    await workspaceSettings({ 'switchboard.ssh.allowSha1RsaHosts': ['127.0.0.1', '127.0.0.1:22'] }, '%');
    assert.equal((await api.hostKeys.policy('127.0.0.1', 22)).allowSha1Rsa, false);
  });

  it('declares both settings machine-scoped, so the settings editor offers them for the user only', () => {
    const contributed: unknown = vscode.extensions.getExtension('switchboard.switchboard')?.packageJSON;
    for (const key of ['switchboard.ssh.auditLog', 'switchboard.ssh.allowSha1RsaHosts']) {
      let at: unknown = contributed;
      for (const step of ['contributes', 'configuration', 'properties', key, 'scope']) at = typeof at === 'object' && at !== null ? Reflect.get(at, step) : undefined;
      assert.equal(at, 'machine', key);
    }
  });
});
