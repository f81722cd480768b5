import * as vscode from 'vscode';
import type { RedisSession } from '../../drivers/redis';
import type { Subscription } from '../../drivers/redis/pubsub';
import { RedisProfile } from '../../drivers/types';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { LiveTail } from '../liveTail';
import { PanelView } from '../panelView';
import { PubSubItem, pubSubProtocol } from './protocol';

/** The newest messages kept, on the host and in the webview. */
const CAP = 10_000;

/** Subscribe to channels and patterns and watch messages arrive live; publish to any channel. */
export class RedisPubSubPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private subscription: Subscription | undefined;
  private subscribed: { channels: readonly string[]; patterns: readonly string[] } | undefined;
  private readonly tail: LiveTail<PubSubItem>;

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly sessions: SessionManager) {
    super();
    const view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.redisPubSub', entry: 'redisPubSub', title: vscode.l10n.t('{0}: pub/sub', profile.name), icon: 'broadcast' }, pubSubProtocol, {
      ready: async () => {
        const { items, received } = this.tail.snapshot();
        return { name: profile.name, readOnly: profile.readOnly, cap: CAP, items, received, ...(this.subscribed ? { subscribed: this.subscribed } : {}) };
      },
      requests: {
        subscribe: async ({ channels, patterns }) => {
          this.stop();
          this.subscription = await (await this.session()).subscribe(channels, patterns, (item) => this.tail.push(item));
          this.subscribed = { channels, patterns };
          return {};
        },
        unsubscribe: async () => {
          this.stop();
          return {};
        },
        publish: async ({ channel, message }) => ({ receivers: await (await this.session()).publish(channel, message) }),
      },
      commands: { clear: () => this.tail.clear() },
    }));
    this.tail = new LiveTail(CAP, (batch) => view.notify('messages', batch));
    this.panel = view.panel;
    this.register({
      dispose: () => {
        this.stop();
        this.tail.dispose();
      },
    });
  }

  private async session(): Promise<RedisSession> {
    return this.sessions.session(this.profile);
  }

  private stop(): void {
    this.subscription?.close();
    this.subscription = undefined;
    this.subscribed = undefined;
  }
}
