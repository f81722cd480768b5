import * as vscode from 'vscode';
import type { RedisSession } from '../../drivers/redis';
import type { Subscription } from '../../drivers/redis/pubsub';
import { RedisProfile } from '../../drivers/types';
import { SessionManager } from '../../core/sessionManager';
import { RequestPanel } from '../requestPanel';
import { PubSubItem, PubSubRequest, PubSubResponses, ToPubSub } from './protocol';

/** At most this many messages wait between two posts to the webview; beyond it the oldest are dropped (and counted). */
const MAX_PENDING = 5000;
const CAP = 10_000;

/** Subscribe to channels and patterns and watch messages arrive live; publish to any channel. */
export class RedisPubSubPanel extends RequestPanel<PubSubRequest, PubSubResponses[PubSubRequest['type']], ToPubSub> {
  private subscription: Subscription | undefined;
  private pending: PubSubItem[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(extensionUri: vscode.Uri, private readonly profile: RedisProfile, private readonly sessions: SessionManager) {
    super(extensionUri, 'switchboard.redisPubSub', 'redisPubSub', `${profile.name}: pub/sub`, 'broadcast');
    this.register({ dispose: () => this.stop() });
  }

  private stop(): void {
    this.subscription?.close();
    this.subscription = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  protected async init(): Promise<void> {
    await this.post({ type: 'init', name: this.profile.name, readOnly: this.profile.readOnly, cap: CAP });
  }

  protected async answer(request: PubSubRequest): Promise<PubSubResponses[PubSubRequest['type']]> {
    const session = (await this.sessions.session(this.profile)) as RedisSession;
    switch (request.type) {
      case 'subscribe':
        this.stop();
        this.subscription = await session.subscribe(request.channels, request.patterns, (item) => {
          this.pending.push(item);
          if (this.pending.length > MAX_PENDING) {
            this.dropped += this.pending.length - MAX_PENDING;
            this.pending.splice(0, this.pending.length - MAX_PENDING);
          }
        });
        // Batched updates: one post per 100 ms at most, however fast messages arrive.
        this.timer = setInterval(() => {
          if (this.pending.length === 0) return;
          void this.post({ type: 'messages', items: this.pending, dropped: this.dropped });
          this.pending = [];
          this.dropped = 0;
        }, 100);
        return { subscribed: true };
      case 'unsubscribe':
        this.stop();
        return { subscribed: false };
      case 'publish':
        return { receivers: await session.publish(request.channel, request.message) };
    }
  }
}
