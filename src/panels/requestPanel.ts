import * as vscode from 'vscode';
import { messageOf } from '../drivers/errors';
import { Disposable } from '../core/disposable';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** What every request/response webview sends: a ready handshake, then requests that carry an id. */
export type PanelMessage<Request> = { readonly type: 'ready' } | { readonly type: 'request'; readonly id: number; readonly request: Request };

/**
 * A webview panel that answers typed requests: `init` after the webview's ready handshake, `answer` per request, the
 * reply posted back under the request's id (a failure becomes `{ error }`).
 */
export abstract class RequestPanel<Request, Response, ToView> extends Disposable {
  readonly panel: vscode.WebviewPanel;

  /** `beside`: open next to the active editor and leave the focus there (results of what the editor ran). */
  protected constructor(extensionUri: vscode.Uri, viewType: string, entry: string, title: string, icon: string, beside = false) {
    super();
    const column = beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : vscode.ViewColumn.Active;
    this.panel = this.register(vscode.window.createWebviewPanel(viewType, title, column, webviewOptions(extensionUri)));
    this.panel.iconPath = new vscode.ThemeIcon(icon);
    this.panel.webview.html = webviewHtml(this.panel.webview, extensionUri, entry, title);
    this.register(this.panel.onDidDispose(() => this.dispose()));
    this.register(this.panel.webview.onDidReceiveMessage((message: PanelMessage<Request>) => void this.onMessage(message)));
  }

  protected post(message: ToView): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  protected abstract init(): Promise<void>;
  protected abstract answer(request: Request): Promise<Response>;

  private async onMessage(message: PanelMessage<Request>): Promise<void> {
    if (message.type === 'ready') return this.init();
    const response = await this.answer(message.request).catch((error: unknown) => ({ error: messageOf(error) }));
    await this.panel.webview.postMessage({ type: 'response', id: message.id, response });
  }
}
