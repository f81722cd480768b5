import * as vscode from 'vscode';
import { RedisProfile } from '../../drivers/types';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { ReadPart, ServerReading } from '../serverReading';
import { Questions } from '../ipc/questions';
import { slowLogProtocol, SlowLogState } from './protocol';

/** How many entries are read from each server: the most a default slowlog-max-len keeps. */
const ENTRIES = 1024;

const describe = (micros: number | undefined): string =>
  micros === undefined ? vscode.l10n.t('unknown') : micros < 0 ? vscode.l10n.t('off (-1)') : micros === 0 ? vscode.l10n.t('every command (0 µs)') : vscode.l10n.t('{0} µs', micros.toLocaleString());

/** The slow log: what took longest on the server, with reset and its threshold, each change asked about in the panel. */
export class RedisSlowLogPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly reading: ServerReading<ReadPart<SlowLogState>>;
  private readonly view: PanelView<typeof slowLogProtocol>;
  private readonly questions = new Questions();

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly sessions: SessionManager) {
    super();
    this.reading = new ServerReading<ReadPart<SlowLogState>>({ entries: [] }, async () => (await this.admin()).slowLog(ENTRIES), (state) => this.view.notify('state', state));
    const everywhere = profile.cluster ? ` ${vscode.l10n.t('It is done on every master.')}` : '';
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.redisSlowLog', entry: 'redisSlowLog', title: vscode.l10n.t('{0}: slow log', profile.name), icon: 'watch' }, slowLogProtocol, {
      ready: async () => ({ name: profile.name, readOnly: profile.readOnly, cluster: profile.cluster === true, state: this.reading.current }),
      requests: {
        refresh: async () => {
          await this.reading.refresh();
          return {};
        },
        reset: async ({ confirmed }) => {
          const request = ['reset'];
          if (confirmed === undefined) {
            const count = this.reading.current.entries.length;
            return {
              changed: false,
              ask: this.questions.ask(request, {
                message: vscode.l10n.t('Reset the slow log of {0}?', profile.name),
                detail: `${count ? vscode.l10n.t('SLOWLOG RESET deletes the {0} entries shown for everyone who reads them.', count.toLocaleString()) : vscode.l10n.t('SLOWLOG RESET deletes every entry for everyone who reads them.')}${everywhere} ${vscode.l10n.t('It cannot be undone.')}`,
                action: vscode.l10n.t('Reset Slow Log'),
              }, undefined),
            };
          }
          this.questions.agreed(request, confirmed);
          await (await this.admin()).resetSlowLog();
          await this.reading.refresh();
          return { changed: true };
        },
        setThreshold: async ({ micros, confirmed }) => {
          const request = ['setThreshold', micros];
          if (confirmed === undefined) {
            return {
              changed: false,
              ask: this.questions.ask(request, {
                message: micros < 0 ? vscode.l10n.t('Turn the slow log off on {0}?', profile.name) : micros === 0 ? vscode.l10n.t('Log every command on {0}?', profile.name) : vscode.l10n.t('Log commands slower than {0} µs on {1}?', micros.toLocaleString(), profile.name),
                items: [vscode.l10n.t('CONFIG SET slowlog-log-slower-than {0} (now {1})', micros, describe(this.reading.current.thresholdMicros))],
                detail: `${vscode.l10n.t("It changes the server's configuration for every client until the server restarts; a low threshold logs many commands, pushing older entries out.")}${everywhere}`,
                action: vscode.l10n.t('Change Threshold'),
              }, undefined),
            };
          }
          this.questions.agreed(request, confirmed);
          await (await this.admin()).setSlowLogThreshold(micros);
          await this.reading.refresh();
          return { changed: true };
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
    void this.reading.refresh();
  }

  private async admin() {
    return (await this.sessions.session(this.profile)).admin();
  }
}
