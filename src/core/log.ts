import * as vscode from 'vscode';
import { isDriverError, messageOf } from '../drivers/errors';
import { describeError } from './errorWords';

/** The "Switchboard" log channel, and the one way failures reach the user: once, with "Show Log". */
export class Log implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Switchboard', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  /** Logs the failure with its cause and shows it once; `action` says what was being done, worded for the user ("Connecting to cache"). */
  report(action: string, error: unknown): void {
    // The log keeps the driver's own English (what a bug report quotes); the user reads it in their language.
    const cause = error instanceof Error && error.cause ? ` (cause: ${messageOf(error.cause)})` : '';
    this.channel.error(`${action} failed: ${messageOf(error)}${cause}`);
    if (!isDriverError(error) && error instanceof Error && error.stack) this.channel.debug(error.stack);
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} failed: {1}', action, describeError(error)), showLog).then((choice) => choice === showLog && this.channel.show(true));
  }

  dispose(): void {
    this.channel.dispose();
  }
}
