import * as vscode from 'vscode';
import { Profile } from '../drivers/types';
import { kindInfo } from '../drivers/kinds';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { WorkspaceConnections } from '../storage/workspaceConnections';
import { askWorkspacePassword } from './loginPrompter';
import { MissingPassword } from './secretGate';
import { SessionManager } from './sessionManager';

/**
 * Workspace connections have no form to type a password into: it is asked for once, the first time one is needed
 * (an SSH host that logs in with a key or the agent needs none).
 */
export function workspacePasswords(profiles: ConnectionCatalog): MissingPassword {
  return {
    applies: (profile: Profile) => profiles.isWorkspace(profile.id) && kindInfo(profile.kind).secretFields.includes('password') && !(profile.kind === 'ssh' && (profile.keyFile || profile.useAgent)),
    ask: askWorkspacePassword,
  };
}

/**
 * Keeps live sessions in step with the workspace files: a connection whose entry was edited or removed is
 * disconnected (the next use connects to what the file says now), and when the workspace is trusted, the
 * connections refused before are reset so that they connect on the next try.
 */
export function watchWorkspaceConnections(workspace: WorkspaceConnections, sessions: SessionManager): vscode.Disposable {
  let known = new Map(workspace.all().map((p) => [p.id, JSON.stringify(p)]));
  const changed = workspace.onDidChange(() => {
    const now = new Map(workspace.all().map((p) => [p.id, JSON.stringify(p)]));
    for (const [id, shape] of known) if (now.get(id) !== shape && sessions.state(id).status !== 'disconnected') void sessions.disconnect(id);
    known = now;
  });
  const trusted = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    for (const profile of workspace.all()) if (sessions.state(profile.id).status === 'error') void sessions.disconnect(profile.id);
  });
  return vscode.Disposable.from(changed, trusted);
}
