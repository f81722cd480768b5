import * as vscode from 'vscode';
import { MySqlProfile } from '../../drivers/types';
import type { ServerValueKind } from '../../drivers/mysql';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { serverValuesProtocol, ServerValuesState } from './protocol';
import { ReadPart, ServerReading } from '../serverReading';

/** SHOW GLOBAL STATUS or SHOW GLOBAL VARIABLES, searchable in the panel; nothing is changed from here. */
export class MySqlServerValuesPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly view: PanelView<typeof serverValuesProtocol>;
  private readonly values: ServerReading<ReadPart<ServerValuesState>>;

  constructor(extensionUri: vscode.Uri, log: Log, profile: MySqlProfile, kind: ServerValueKind, sessions: SessionManager) {
    super();
    this.values = new ServerReading<ReadPart<ServerValuesState>>({ values: [] }, async () => ({ values: await (await sessions.session(profile)).server.serverValues(kind) }), (state) => this.view.notify('state', state));
    const title = kind === 'status' ? vscode.l10n.t('{0}: status', profile.name) : vscode.l10n.t('{0}: variables', profile.name);
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.mysqlServerValues', entry: 'mysqlServerValues', title, icon: kind === 'status' ? 'dashboard' : 'settings' }, serverValuesProtocol, {
      ready: async () => ({ name: profile.name, kind, state: this.values.current }),
      requests: {
        refresh: async () => {
          await this.values.refresh();
          return {};
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
    void this.values.refresh();
  }
}
