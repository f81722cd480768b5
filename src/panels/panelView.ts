import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { Log } from '../core/log';
import { PanelHandlers, PanelHost } from './ipc/panelHost';
import { NotificationName, ParamsOf, Protocol } from './ipc/protocol';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { WireError } from './ipc/protocol';
import { isDriverError, messageOf } from '../drivers/errors';
import { describeError, describeParts } from '../core/errorWords';

/** A failure as the webview shows it: the message and the hint apart, both in the user's language. */
export function wiredError(error: unknown): WireError {
  if (!isDriverError(error)) return { message: describeError(error) };
  const { facts, hint } = describeParts(error);
  return { message: facts, code: error.code, ...(hint ? { hint } : {}) };
}

export interface PanelOptions {
  readonly viewType: string;
  /** The webview bundle: dist/webview/<entry>.js and .css. */
  readonly entry: string;
  readonly title: string;
  /** A codicon id. */
  readonly icon: string;
  /** Open next to the active editor and leave the focus there (results of what the editor ran). */
  readonly beside?: boolean;
}

/**
 * A webview panel on the one IPC: the HTML shell with its CSP, the channel, and what happens when it is hidden.
 * Hidden panels lose their webview (no retainContextWhenHidden); the host keeps what the panel shows, and the
 * webview's `ready` on its return is answered with all of it.
 */
export class PanelView<P extends Protocol> extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly host: PanelHost<P>;

  /**
   * `owner`: the panel class this view belongs to. It goes with the panel when the user closes it, so what it runs
   * (a MONITOR, a scan, a refresh timer) ends then too.
   */
  constructor(owner: vscode.Disposable, extensionUri: vscode.Uri, log: Log, options: PanelOptions, protocol: P, handlers: PanelHandlers<P>) {
    super();
    const column = options.beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : vscode.ViewColumn.Active;
    this.panel = this.register(vscode.window.createWebviewPanel(options.viewType, options.title, column, webviewOptions(extensionUri)));
    this.panel.iconPath = new vscode.ThemeIcon(options.icon);
    const refused = (problem: string): void => log.channel.warn(`${options.title}: the panel refused ${problem}.`);
    const failed = (command: string, error: unknown): void => {
      log.channel.warn(`${options.title}: ${command} failed: ${messageOf(error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', options.title, describeError(error)));
    };
    this.host = this.register(new PanelHost(this.panel.webview, protocol, handlers, refused, failed, wiredError));
    this.register(this.panel.onDidChangeViewState(() => {
      if (!this.panel.visible) this.host.hidden();
    }));
    this.register(this.panel.onDidDispose(() => {
      this.dispose();
      owner.dispose();
    }));
    this.panel.webview.html = webviewHtml(this.panel.webview, extensionUri, options.entry, options.title);
  }

  /** Tells a listening webview; a hidden one is given the whole state when it comes back instead. */
  notify<K extends NotificationName<P>>(method: K, params: ParamsOf<P['notifications'][K]>): void {
    this.host.notify(method, params);
  }

  get title(): string {
    return this.panel.title;
  }

  set title(title: string) {
    this.panel.title = title;
  }

  reveal(): void {
    this.panel.reveal();
  }
}
