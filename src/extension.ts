import * as vscode from 'vscode';
import { Container } from './container';

let container: Container | undefined;

export function activate(context: vscode.ExtensionContext): Container {
  container = new Container(context);
  context.subscriptions.push(container);
  return container;
}

/** Closes every live connection before the extension host goes away. */
export async function deactivate(): Promise<void> {
  await container?.sessions.closeAll();
}
