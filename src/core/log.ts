import * as vscode from 'vscode';
import { isDriverError, messageOf } from '../drivers/errors';

/** The "Switchboard" log channel, and the one way failures reach the user: once, with "Show Log". */
export class Log implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Switchboard', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  /** Logs the failure with its cause and shows it once; `action` says what was being done ("Connecting to cache"). */
  report(action: string, error: unknown): void {
    const message = `${action} failed: ${messageOf(error)}`;
    const cause = error instanceof Error && error.cause ? ` (cause: ${messageOf(error.cause)})` : '';
    this.channel.error(`${message}${cause}`);
    if (!isDriverError(error) && error instanceof Error && error.stack) this.channel.debug(error.stack);
    void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice && this.channel.show(true));
  }

  dispose(): void {
    this.channel.dispose();
  }
}
