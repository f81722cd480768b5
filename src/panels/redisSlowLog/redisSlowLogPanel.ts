import * as vscode from 'vscode';
import { RedisProfile } from '../../drivers/types';
import { messageOf } from '../../drivers/errors';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { slowLogProtocol, SlowLogState } from './protocol';

/** How many entries are read from each server: the most a default slowlog-max-len keeps. */
const ENTRIES = 1024;

const describe = (micros: number | undefined): string =>
  micros === undefined ? 'unknown' : micros < 0 ? 'off (-1)' : micros === 0 ? 'every command (0 µs)' : `${micros.toLocaleString()} µs`;

/** The slow log: what took longest on the server, with reset and its threshold, each change confirmed first. */
export class RedisSlowLogPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private state: SlowLogState = { entries: [], readAt: 0 };
  private readonly view: PanelView<typeof slowLogProtocol>;

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly sessions: SessionManager) {
    super();
    this.view = this.register(new PanelView(extensionUri, log, { viewType: 'switchboard.redisSlowLog', entry: 'redisSlowLog', title: `${profile.name}: slow log`, icon: 'watch' }, slowLogProtocol, {
      ready: async () => ({ name: profile.name, readOnly: profile.readOnly, cluster: profile.cluster === true, state: this.state }),
      requests: {
        refresh: async () => {
          await this.refresh();
          return {};
        },
        reset: async () => {
          const count = this.state.entries.length;
          const choice = await vscode.window.showWarningMessage(`Reset the slow log of ${profile.name}?`, { modal: true, detail: `SLOWLOG RESET deletes ${count ? `the ${count.toLocaleString()} entries shown` : 'every entry'}${profile.cluster ? ' on every master' : ''} for everyone who reads it. It cannot be undone.` }, 'Reset');
          if (choice !== 'Reset') return { changed: false };
          await (await this.admin()).resetSlowLog();
          await this.refresh();
          return { changed: true };
        },
        setThreshold: async ({ micros }) => {
          const choice = await vscode.window.showWarningMessage(`Log commands slower than ${describe(micros)} on ${profile.name}?`, { modal: true, detail: `CONFIG SET slowlog-log-slower-than ${micros} (now ${describe(this.state.thresholdMicros)})${profile.cluster ? ' on every master' : ''}. It changes the server's configuration for every client until the server restarts; a low threshold logs many commands, pushing older entries out.` }, 'Change');
          if (choice !== 'Change') return { changed: false };
          await (await this.admin()).setSlowLogThreshold(micros);
          await this.refresh();
          return { changed: true };
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
    void this.refresh();
  }

  private async admin() {
    return (await this.sessions.session(this.profile)).admin();
  }

  private async refresh(): Promise<void> {
    try {
      const log = await (await this.admin()).slowLog(ENTRIES);
      this.state = { ...log, readAt: Date.now() };
    } catch (error) {
      this.state = { ...this.state, error: messageOf(error) };
    }
    this.view.notify('state', this.state);
  }
}
