import * as vscode from 'vscode';
import type { Monitor, MonitorStop } from '../../drivers/redis/monitor';
import { RedisProfile } from '../../drivers/types';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { LiveTail } from '../liveTail';
import { PanelView } from '../panelView';
import { ProfiledCommand, profilerProtocol, ProfilerSettings, ProfilerState } from './protocol';

/** The newest commands kept, on the host and in the webview. */
const CAP = 10_000;
/** How often the counts reach a listening webview while the profiler runs, when no command does. */
const COUNTS_MS = 500;

const STOPPED: Readonly<Record<MonitorStop, (s: ProfilerSettings) => string>> = {
  seconds: (s) => vscode.l10n.t('Stopped by itself after {0} s.', s.seconds),
  commands: (s) => vscode.l10n.t('Stopped by itself after {0} commands.', s.commands.toLocaleString()),
  stopped: () => vscode.l10n.t('Stopped.'),
  lost: () => vscode.l10n.t('Stopped: the connection to the server was lost.'),
};

/** MONITOR in a live, virtualized list: what the server runs, by whom, on which database, with a filter and a rate cap. */
export class RedisProfilerPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private monitor: Monitor | undefined;
  private state: ProfilerState = { running: false, counts: { seen: 0, kept: 0, dropped: 0 } };
  private readonly tail: LiveTail<ProfiledCommand>;
  private ticker: NodeJS.Timeout | undefined;
  private readonly view: PanelView<typeof profilerProtocol>;

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly sessions: SessionManager) {
    super();
    const view = (this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.redisProfiler', entry: 'redisProfiler', title: vscode.l10n.t('{0}: profiler', profile.name), icon: 'pulse' }, profilerProtocol, {
      ready: async () => {
        const { items, received } = this.tail.snapshot();
        return { name: profile.name, cluster: profile.cluster === true, cap: CAP, state: this.current(), items, received };
      },
      requests: {
        start: async (settings) => {
          await this.start(settings);
          return {};
        },
        stop: async () => {
          this.monitor?.stop();
          return {};
        },
      },
      commands: { clear: () => this.tail.clear() },
    })));
    this.tail = new LiveTail(CAP, (batch) => view.notify('commands', batch));
    this.panel = view.panel;
    this.register({
      dispose: () => {
        this.monitor?.stop();
        this.tail.dispose();
        clearInterval(this.ticker);
      },
    });
  }

  private readonly notifyState = (): void => this.view.notify('state', this.current());

  private current(): ProfilerState {
    return this.monitor ? { ...this.state, counts: this.monitor.counts } : this.state;
  }

  private async start(settings: ProfilerSettings): Promise<void> {
    this.monitor?.stop();
    const session = await this.sessions.session(this.profile);
    const monitor = await session.monitor({
      maxSeconds: settings.seconds,
      maxCommands: settings.commands,
      filter: settings.filter,
      ratePerSecond: settings.rate,
      onCommand: (command) => this.tail.push(command),
      onStop: (reason, counts) => {
        if (this.monitor !== monitor) return;
        this.monitor = undefined;
        clearInterval(this.ticker);
        this.state = { running: false, counts, stopped: STOPPED[reason](settings), settings };
        this.notifyState();
      },
    });
    this.monitor = monitor;
    this.state = { running: true, counts: monitor.counts, endsAt: Date.now() + settings.seconds * 1000, settings };
    clearInterval(this.ticker);
    this.ticker = setInterval(this.notifyState, COUNTS_MS);
    this.notifyState();
  }
}
