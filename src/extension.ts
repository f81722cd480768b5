import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import { Container } from './container';

let container: Container | undefined;

/**
 * Every extension in the host can read what activate() returns, so only the test host gets the composition root
 * (its suites drive the container directly); anywhere else Switchboard exports nothing, its secrets included.
 */
export function activate(context: vscode.ExtensionContext): Container | undefined {
  // The modules that stay plain Node for their tests word what they show with @vscode/l10n: the same bundle.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  container = new Container(context);
  context.subscriptions.push(container);
  return context.extensionMode === vscode.ExtensionMode.Test ? container : undefined;
}

/** Closes every live connection before the extension host goes away. */
export async function deactivate(): Promise<void> {
  await container?.sessions.closeAll();
}
