import * as vscode from 'vscode';
import type { LiveConsumer, RabbitMqSession } from '../../drivers/rabbitmq';
import type { FieldValue, MessageView } from '../../drivers/rabbitmq/shapes';
import { DriverError } from '../../drivers/errors';
import { RabbitMqProfile } from '../../drivers/types';
import { SessionManager } from '../../core/sessionManager';
import { RequestPanel } from '../requestPanel';
import { Focus, LiveState, RabbitRequest, RabbitResponse, ToRabbit } from './protocol';

/** Messages waiting between two posts to the webview; beyond this the oldest are dropped from view (and counted). */
const MAX_PENDING = 5000;
const CAP = 10_000;

function headerArguments(text: string): Record<string, FieldValue> | undefined {
  if (!text.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DriverError('config', `The header arguments are not valid JSON (${error instanceof Error ? error.message : String(error)}).`, 'Write an object, e.g. {"x-match": "all", "region": "eu"}.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DriverError('config', 'The header arguments must be a JSON object.', 'e.g. {"x-match": "any", "region": "eu"}');
  return parsed as Record<string, FieldValue>;
}

/**
 * Publish, get, consume, tail and RPC on one vhost of a RabbitMQ connection. Live messages reach the webview in
 * batches (one post per 100 ms at most), and the view keeps the newest CAP of them.
 */
export class RabbitMqPanel extends RequestPanel<RabbitRequest, RabbitResponse, ToRabbit> {
  private static readonly open = new Map<string, RabbitMqPanel>();
  private live: LiveConsumer | undefined;
  private liveWhat = '';
  private pending: MessageView[] = [];
  private dropped = 0;
  private readonly timer: NodeJS.Timeout;

  static show(extensionUri: vscode.Uri, profile: RabbitMqProfile, vhost: string, sessions: SessionManager, focus: Focus): RabbitMqPanel {
    const key = `${profile.id}\n${vhost}`;
    const existing = RabbitMqPanel.open.get(key);
    if (existing) {
      existing.panel.reveal();
      void existing.post({ type: 'focus', focus });
      return existing;
    }
    const created = new RabbitMqPanel(extensionUri, profile, vhost, sessions, focus);
    RabbitMqPanel.open.set(key, created);
    created.register({ dispose: () => RabbitMqPanel.open.delete(key) });
    return created;
  }

  private constructor(extensionUri: vscode.Uri, private readonly profile: RabbitMqProfile, readonly vhost: string, private readonly sessions: SessionManager, private readonly focus: Focus) {
    super(extensionUri, 'switchboard.rabbitMq', 'rabbitMq', `${profile.name}${vhost === profile.vhost ? '' : ` ${vhost}`}: messages`, 'mail');
    this.timer = setInterval(() => this.flush(), 100);
    this.register({ dispose: () => { clearInterval(this.timer); void this.stopLive(); } });
  }

  private session(): Promise<RabbitMqSession> {
    return this.sessions.session(this.profile).then((s) => s as RabbitMqSession);
  }

  protected async init(): Promise<void> {
    const session = await this.session().catch(() => undefined);
    await this.post({
      type: 'init', title: `${this.profile.name} · vhost ${this.vhost}`, readOnly: this.profile.readOnly, cap: CAP,
      hasApi: session?.hasManagementApi ?? false, focus: this.focus,
    });
  }

  protected async answer(request: RabbitRequest): Promise<RabbitResponse> {
    const session = await this.session();
    switch (request.type) {
      case 'names':
        return session.names(this.vhost);
      case 'routingKeys':
        return { keys: await session.routingKeys(this.vhost, request.exchange) };
      case 'publish':
        return session.publish(this.vhost, request.publish);
      case 'get':
        return { messages: await session.get(this.vhost, request.queue, Math.max(1, Math.min(request.count, 1000)), request.mode) };
      case 'consume':
        await this.stopLive();
        this.live = await session.consume(this.vhost, request.queue, { prefetch: request.prefetch, ackMode: request.ackMode }, this.events());
        this.liveWhat = `consuming ${request.queue}`;
        return { live: this.liveState() };
      case 'tail':
        await this.stopLive();
        this.live = await session.tail(this.vhost, request.exchange, request.pattern, headerArguments(request.headers), this.events());
        this.liveWhat = `tailing ${request.exchange || '(default)'}${request.pattern ? ` ${request.pattern}` : ''}`;
        return { live: this.liveState() };
      case 'pause':
        await this.live?.pause();
        return { live: this.liveState() };
      case 'resume':
        await this.live?.resume();
        return { live: this.liveState() };
      case 'stop':
        await this.stopLive();
        return { live: this.liveState() };
      case 'settle': {
        if (!this.live) throw new DriverError('closed', 'No consumer is running: its messages went back to the queue when it stopped.');
        const settled = request.how === 'ack' ? this.live.ack(request.ids) : this.live.nack(request.ids, request.how === 'requeue');
        return { settled, live: this.liveState() };
      }
      case 'rpc':
        return session.rpc(this.vhost, request.publish, { replyVia: request.replyVia, timeoutMs: request.timeoutMs });
    }
  }

  private events() {
    return {
      onMessage: (message: MessageView) => {
        this.pending.push(message);
        if (this.pending.length > MAX_PENDING) {
          this.dropped += this.pending.length - MAX_PENDING;
          this.pending.splice(0, this.pending.length - MAX_PENDING);
        }
      },
      onEnd: (reason: string) => {
        this.flush();
        this.live = undefined;
        void this.post({ type: 'ended', reason, live: this.liveState() });
      },
    };
  }

  private flush(): void {
    if (this.pending.length === 0 && this.dropped === 0) return;
    void this.post({ type: 'messages', items: this.pending, dropped: this.dropped, live: this.liveState() });
    this.pending = [];
    this.dropped = 0;
  }

  private liveState(): LiveState {
    const live = this.live;
    return live ? { running: true, paused: live.paused, what: this.liveWhat, unacked: live.unacked } : { running: false, paused: false, unacked: 0 };
  }

  private async stopLive(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    this.flush();
    await live?.close();
  }
}
