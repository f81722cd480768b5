import * as vscode from 'vscode';
import { SessionManager } from '../core/sessionManager';
import { Log } from '../core/log';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { ConnectionsTree } from '../explorer/connectionsTree';

/** What the commands of a kind work with. */
export interface CommandServices {
  readonly extensionUri: vscode.Uri;
  readonly profiles: ConnectionCatalog;
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTree;
  readonly log: Log;
}
