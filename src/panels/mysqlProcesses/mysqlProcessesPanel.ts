import * as vscode from 'vscode';
import { MySqlProfile } from '../../drivers/types';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { ReadPart, ServerReading } from '../serverReading';
import { processesProtocol, ProcessesState } from './protocol';
import type { Question } from '../ipc/question';
import { Questions } from '../ipc/questions';
import { DriverError } from '../../drivers/errors';

/** The server's connections (information_schema.PROCESSLIST), refreshing, with Kill Query and Kill Connection asked in the panel. */
export class MySqlProcessesPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly reading: ServerReading<ReadPart<ProcessesState>>;
  private readonly view: PanelView<typeof processesProtocol>;
  private readonly questions = new Questions();

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: MySqlProfile, private readonly sessions: SessionManager) {
    super();
    this.reading = new ServerReading<ReadPart<ProcessesState>>({ processes: [] }, async () => ({ processes: await (await sessions.session(profile)).server.processes() }), (state) => this.view.notify('state', state));
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.mysqlProcesses', entry: 'mysqlProcesses', title: vscode.l10n.t('{0}: processes', profile.name), icon: 'pulse' }, processesProtocol, {
      ready: async () => ({ name: profile.name, readOnly: profile.readOnly, state: this.reading.current }),
      requests: {
        refresh: async () => {
          await this.reading.refresh();
          return {};
        },
        kill: async ({ id, what, confirmed }) => {
          const request = ['kill', id, what];
          if (confirmed === undefined) return { killed: false, ask: this.killQuestion(request, id, what) };
          this.questions.agreed(request, confirmed);
          // The driver refuses on a read-only connection; the refusal reaches the panel as the request's error.
          const killed = await (await this.sessions.session(profile)).server.kill(id, what);
          await this.reading.refresh();
          return { killed };
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
    void this.reading.refresh();
  }

  /** The question before a kill, naming the process as the host last listed it (never as the webview describes it). */
  private killQuestion(request: unknown, id: number, what: 'query' | 'connection'): Question {
    const target = this.reading.current.processes.find((p) => p.id === id);
    if (!target) throw new DriverError('config', vscode.l10n.t('Connection {0} is not in the list any more: nothing was killed.', id), { worded: vscode.l10n.t('Refresh the list and choose it again.') });
    const name = this.profile.name;
    const who = `#${target.id} ${target.user}@${target.host}${target.db ? ` · ${target.db}` : ''} · ${target.command} ${vscode.l10n.t('{0} s', target.timeSeconds)}`;
    return this.questions.ask(request, {
      message: what === 'query' ? vscode.l10n.t('Kill the query of connection {0} on {1}?', target.id, name) : vscode.l10n.t('Kill connection {0} on {1}?', target.id, name),
      items: [who, target.info ?? vscode.l10n.t('(no statement running)')],
      detail: what === 'query'
        ? vscode.l10n.t('KILL QUERY {0} stops the statement; the connection stays open.', target.id)
        : vscode.l10n.t('KILL CONNECTION {0} closes the connection; its open transaction is rolled back.', target.id),
      action: what === 'query' ? vscode.l10n.t('Kill Query') : vscode.l10n.t('Kill Connection'),
    }, undefined);
  }
}
