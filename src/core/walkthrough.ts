import * as vscode from 'vscode';

/**
 * The getting-started walkthrough's steps complete on context keys that Switchboard sets when the user has really
 * done the thing (a connection exists, a key browser opened, a statement ran, a terminal opened), not merely when
 * a command was invoked.
 */
export type WalkthroughStep = 'browsedKeys' | 'ranSql' | 'openedTerminal';

export function walkthroughDone(step: WalkthroughStep): void {
  void vscode.commands.executeCommand('setContext', `switchboard.walkthrough.${step}`, true);
}

/** Keeps switchboard.hasConnections true while any connection (the user's own or the workspace's) exists. */
export function trackHasConnections(source: { all(): readonly unknown[]; readonly onDidChange: vscode.Event<void> }): vscode.Disposable {
  const update = (): void => void vscode.commands.executeCommand('setContext', 'switchboard.hasConnections', source.all().length > 0);
  update();
  return source.onDidChange(update);
}
