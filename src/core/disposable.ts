import * as vscode from 'vscode';

/** Owns what it registers and disposes it, last first. */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}

/** A disposable that runs `dispose` once. */
export function toDisposable(dispose: () => void): vscode.Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      dispose();
    },
  };
}

/** Disposes each, last first, and empties the list. */
export function disposeAll(disposables: vscode.Disposable[]): void {
  for (const disposable of disposables.splice(0).reverse()) disposable.dispose();
}
