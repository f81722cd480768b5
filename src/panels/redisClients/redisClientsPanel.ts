import * as vscode from 'vscode';
import { RedisProfile } from '../../drivers/types';
import { DriverError } from '../../drivers/errors';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { ReadPart, ServerReading } from '../serverReading';
import type { Question } from '../ipc/question';
import { Questions } from '../ipc/questions';
import { clientsProtocol, ClientsState } from './protocol';

/** The clients connected to the server (CLIENT LIST), with kill, asked about in the panel and naming whom it cuts off. */
export class RedisClientsPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly reading: ServerReading<ReadPart<ClientsState>>;
  private readonly view: PanelView<typeof clientsProtocol>;
  private readonly questions = new Questions();

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly sessions: SessionManager) {
    super();
    this.reading = new ServerReading<ReadPart<ClientsState>>({ clients: [] }, async () => ({ clients: await (await sessions.session(profile)).admin().clients() }), (state) => this.view.notify('state', state));
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.redisClients', entry: 'redisClients', title: vscode.l10n.t('{0}: clients', profile.name), icon: 'person' }, clientsProtocol, {
      ready: async () => ({ name: profile.name, readOnly: profile.readOnly, state: this.reading.current }),
      requests: {
        refresh: async () => {
          await this.reading.refresh();
          return {};
        },
        kill: async ({ id, server, confirmed }) => {
          const request = ['kill', id, server];
          if (confirmed === undefined) return { killed: false, ask: this.killQuestion(request, id, server) };
          this.questions.agreed(request, confirmed);
          // The driver refuses on a read-only connection; the refusal reaches the panel as the request's error.
          const killed = await (await this.sessions.session(profile)).admin().killClient(id, server);
          await this.reading.refresh();
          return { killed };
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
    void this.reading.refresh();
  }

  /** The question before a kill, naming the client as the host last listed it (never as the webview describes it). */
  private killQuestion(request: unknown, id: string, server: string): Question {
    const known = this.reading.current.clients.find((c) => c.id === id && c.server === server);
    if (!known) throw new DriverError('config', vscode.l10n.t('Client {0} is not in the list any more: nothing was killed.', id), { worded: vscode.l10n.t('Refresh the list and choose it again.') });
    const who = known.name ? vscode.l10n.t('{0} ("{1}")', known.addr, known.name) : known.addr;
    return this.questions.ask(request, {
      message: vscode.l10n.t('Kill client {0} on {1}?', id, this.profile.name),
      items: [vscode.l10n.t('{0}, last command {1}, idle {2} s', who, known.cmd || vscode.l10n.t('none'), known.idleSeconds)],
      detail: `${vscode.l10n.t('CLIENT KILL ID {0} closes its connection; what it was doing is cut off.', id)}${known.own ? ` ${vscode.l10n.t("It is one of Switchboard's own connections, which reconnects by itself.")}` : ''}`,
      action: vscode.l10n.t('Kill Client'),
    }, undefined);
  }
}
