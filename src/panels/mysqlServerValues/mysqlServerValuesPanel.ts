import * as vscode from 'vscode';
import { MySqlProfile } from '../../drivers/types';
import type { ServerValueKind } from '../../drivers/mysql';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { describeError } from '../../core/errorWords';
import { PanelView } from '../panelView';
import { serverValuesProtocol, ServerValuesState } from './protocol';

/** SHOW GLOBAL STATUS or SHOW GLOBAL VARIABLES, searchable in the panel; nothing is changed from here. */
export class MySqlServerValuesPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private state: ServerValuesState = { values: [], readAt: 0 };
  private readonly view: PanelView<typeof serverValuesProtocol>;

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: MySqlProfile, private readonly kind: ServerValueKind, private readonly sessions: SessionManager) {
    super();
    const title = kind === 'status' ? vscode.l10n.t('{0}: status', profile.name) : vscode.l10n.t('{0}: variables', profile.name);
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.mysqlServerValues', entry: 'mysqlServerValues', title, icon: kind === 'status' ? 'dashboard' : 'settings' }, serverValuesProtocol, {
      ready: async () => ({ name: profile.name, kind, state: this.state }),
      requests: {
        refresh: async () => {
          await this.refresh();
          return {};
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      this.state = { values: await (await this.sessions.session(this.profile)).server.serverValues(this.kind), readAt: Date.now() };
    } catch (error) {
      this.state = { ...this.state, error: describeError(error) };
    }
    this.view.notify('state', this.state);
  }
}
