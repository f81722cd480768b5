import * as vscode from 'vscode';

/** Reports how far long work has come: a message, and optionally the share of the whole (0–100) done since last time. */
export type ReportProgress = (message: string, increment?: number) => void;

/**
 * Long work under a cancellable notification: Cancel aborts the AbortSignal the work hands to its driver, so the
 * driver stops at its next step (and drops what it would have written).
 */
export function withCancellableProgress<T>(title: string, work: (report: ReportProgress, signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      return await work((message, increment) => progress.report({ message, ...(increment !== undefined ? { increment } : {}) }), controller.signal);
    } finally {
      subscription.dispose();
    }
  });
}
