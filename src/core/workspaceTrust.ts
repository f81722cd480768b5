import * as vscode from 'vscode';

/**
 * In Restricted Mode nothing a workspace's files hold runs against a server: SQL files and ORM scratchpads that live
 * in the workspace wait until the user trusts it. What the user typed into an untitled editor is theirs and runs.
 * Resolves true when `document` may run.
 */
export async function mayRun(document: vscode.TextDocument, what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted || document.isUntitled || !vscode.workspace.getWorkspaceFolder(document.uri)) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} comes from this workspace, which is in Restricted Mode: Switchboard runs nothing from a workspace you have not trusted.', what),
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
