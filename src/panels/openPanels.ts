import type * as vscode from 'vscode';

/**
 * The panels open one per key (a connection, a database, a stream): asked for again, the open one is shown instead
 * of a second; once its panel is closed it is forgotten, and the next ask makes a new one.
 */
export class OpenPanels<P extends { readonly panel: vscode.WebviewPanel }> {
  private readonly open = new Map<string, P>();

  /** The panel open for `key`, after `again` has shown it; else a new one from `create`. */
  show(key: string, create: () => P, again: (open: P) => void = (open) => open.panel.reveal()): P {
    const existing = this.open.get(key);
    if (existing) {
      again(existing);
      return existing;
    }
    const created = create();
    this.open.set(key, created);
    created.panel.onDidDispose(() => {
      if (this.open.get(key) === created) this.open.delete(key);
    });
    return created;
  }
}
