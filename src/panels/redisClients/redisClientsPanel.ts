import * as vscode from 'vscode';
import { RedisProfile } from '../../drivers/types';
import { messageOf } from '../../drivers/errors';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { clientsProtocol, ClientsState } from './protocol';

/** The clients connected to the server (CLIENT LIST), with kill, confirmed first and naming whom it cuts off. */
export class RedisClientsPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private state: ClientsState = { clients: [], readAt: 0 };
  private readonly view: PanelView<typeof clientsProtocol>;

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly sessions: SessionManager) {
    super();
    this.view = this.register(new PanelView(extensionUri, log, { viewType: 'switchboard.redisClients', entry: 'redisClients', title: `${profile.name}: clients`, icon: 'person' }, clientsProtocol, {
      ready: async () => ({ name: profile.name, readOnly: profile.readOnly, state: this.state }),
      requests: {
        refresh: async () => {
          await this.refresh();
          return {};
        },
        kill: async ({ id, server }) => {
          const known = this.state.clients.find((c) => c.id === id && c.server === server);
          const who = known ? `${known.addr}${known.name ? ` ("${known.name}")` : ''}, last command ${known.cmd || 'none'}, idle ${known.idleSeconds} s` : `client ${id}`;
          const own = known?.own ? ' It is one of Switchboard\'s own connections, which reconnects by itself.' : '';
          const choice = await vscode.window.showWarningMessage(`Kill client ${id} on ${profile.name}?`, { modal: true, detail: `CLIENT KILL ID ${id} closes the connection of ${who}; what it was doing is cut off.${own}` }, 'Kill');
          if (choice !== 'Kill') return { killed: false };
          const killed = await (await this.sessions.session(profile)).admin().killClient(id, server);
          await this.refresh();
          return { killed };
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      this.state = { clients: await (await this.sessions.session(this.profile)).admin().clients(), readAt: Date.now() };
    } catch (error) {
      this.state = { ...this.state, error: messageOf(error) };
    }
    this.view.notify('state', this.state);
  }
}
