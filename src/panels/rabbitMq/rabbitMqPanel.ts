import * as vscode from 'vscode';
import type { LiveConsumer, RabbitMqSession } from '../../drivers/rabbitmq';
import type { MessageView } from '../../drivers/rabbitmq/shapes';
import { DriverError } from '../../drivers/errors';
import { RabbitMqProfile } from '../../drivers/types';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { Init } from '../ipc/protocol';
import type { Question } from '../ipc/question';
import { Questions } from '../ipc/questions';
import { PanelView } from '../panelView';
import { deliveryLimitQuestion } from './deliveryLimit';
import { MessageLists } from './messageLists';
import { Focus, LiveName, LiveState, rabbitProtocol, RowState } from './protocol';
import { OpenPanels } from '../openPanels';

const CAP = 10_000;
/** While a consumer takes messages, the tree's counts are refreshed at most this often. */
const TREE_REFRESH_MS = 1000;

export interface RabbitMqPanelOptions {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly sessions: SessionManager;
  /** The panel changed what a vhost's queues hold: the tree shows their counts again. */
  readonly wrote: (profile: RabbitMqProfile, vhost: string) => void;
}

interface Live {
  consumer: LiveConsumer;
  what: string;
  /** The queue consumed or the exchange tailed. */
  source: string;
}

/**
 * Publish, get, consume, tail and RPC on one vhost of a RabbitMQ connection. Each of Get, Consume, Tail and RPC has
 * its own list, kept on the host with what became of each message, so a hidden panel comes back with all of it.
 */
export class RabbitMqPanel extends Disposable {
  private static readonly open = new OpenPanels<RabbitMqPanel>();
  readonly panel: vscode.WebviewPanel;
  private readonly view: PanelView<typeof rabbitProtocol>;
  private readonly lists: MessageLists;
  /** Rejects are asked about in the panel; each ticket keeps the messages its question counted. */
  private readonly rejects = new Questions<readonly number[]>();
  private readonly live: Record<LiveName, Live | undefined> = { consume: undefined, tail: undefined };
  /** Raised when a consumer starts or stops, so that a stopped one's late deliveries and end are not taken for the next one's. */
  private readonly generation: Record<LiveName, number> = { consume: 0, tail: 0 };
  private focus: Focus;
  private treeTimer: NodeJS.Timeout | undefined;
  private rpcCall: AbortController | undefined;

  static show(options: RabbitMqPanelOptions, profile: RabbitMqProfile, vhost: string, focus: Omit<Focus, 'seq'>): RabbitMqPanel {
    const key = `${profile.id}\n${vhost}`;
    return RabbitMqPanel.open.show(key, () => new RabbitMqPanel(options, profile, vhost, { ...focus, seq: 1 }), (open) => open.show(focus));
  }

  /** The question before a reject, counting the held messages as the host holds them; its ticket keeps their ids. */
  private rejectQuestion(request: unknown, ids: readonly number[]): Question {
    const held = this.lists.unsettled(ids);
    if (held.length === 0) throw new DriverError('config', vscode.l10n.t('None of those messages is held any more: nothing was rejected.'));
    const source = this.liveState('consume').source;
    return this.rejects.ask(request, {
      message: held.length === 1 ? vscode.l10n.t('Reject {0} message from "{1}"?', '1', source) : vscode.l10n.t('Reject {0} messages from "{1}"?', held.length.toLocaleString('en-US'), source),
      detail: vscode.l10n.t('A rejected message does not go back to the queue: the broker drops it, or dead-letters it where the queue has a dead-letter exchange.'),
      action: vscode.l10n.t('Reject'),
    }, held);
  }

  private constructor(private readonly options: RabbitMqPanelOptions, private readonly profile: RabbitMqProfile, readonly vhost: string, focus: Focus) {
    super();
    this.focus = focus;
    const title = vscode.l10n.t('{0}: messages', `${profile.name}${vhost === profile.vhost ? '' : ` ${vhost}`}`);
    this.view = this.register(new PanelView(this, options.extensionUri, options.log, { viewType: 'switchboard.rabbitMq', entry: 'rabbitMq', title, icon: 'mail' }, rabbitProtocol, {
      ready: () => this.init(),
      requests: {
        names: async () => (await this.session()).names(vhost),
        routingKeys: async ({ exchange }) => ({ keys: await (await this.session()).routingKeys(vhost, exchange) }),
        publish: async ({ publish }) => {
          const result = await (await this.session()).publish(vhost, publish);
          this.wrote();
          return result;
        },
        get: async ({ queue, count, mode, acceptDeliveryLimit }) => {
          const session = await this.session();
          const ask = mode === 'requeue' && acceptDeliveryLimit === undefined ? await deliveryLimitQuestion(session, profile, vhost, queue, 'Peek') : undefined;
          if (ask) return { count: 0, ask };
          const messages = await session.get(vhost, queue, count, mode, acceptDeliveryLimit === undefined ? {} : { acceptDeliveryLimit });
          const state: RowState = mode === 'requeue' ? 'peeked' : mode === 'ack' ? 'acked' : 'rejected';
          for (const message of messages) this.lists.add('get', message, state);
          if (mode !== 'requeue' && messages.length) this.wrote();
          return { count: messages.length };
        },
        consume: async ({ queue, prefetch, ackMode, acceptDeliveryLimit }) => {
          const session = await this.session();
          const ask = ackMode === 'manual' && acceptDeliveryLimit === undefined ? await deliveryLimitQuestion(session, profile, vhost, queue, 'Consume') : undefined;
          if (ask) return { live: this.liveState('consume'), ask };
          await this.stop('consume');
          const state: RowState = ackMode === 'manual' ? 'unacked' : 'removed';
          const consumer = await session.consume(vhost, queue, { prefetch, ackMode, ...(acceptDeliveryLimit === undefined ? {} : { acceptDeliveryLimit }) }, this.events('consume', state));
          this.live.consume = { consumer, what: vscode.l10n.t('consuming {0}', queue), source: queue };
          this.wrote();
          return { live: this.liveState('consume') };
        },
        tail: async ({ exchange, pattern, headers }) => {
          const session = await this.session();
          await this.stop('tail');
          const consumer = await session.tail(vhost, exchange, pattern, headers, this.events('tail', 'copy'));
          this.live.tail = { consumer, what: pattern ? vscode.l10n.t('tailing {0} {1}', exchange, pattern) : vscode.l10n.t('tailing {0}', exchange), source: exchange };
          return { live: this.liveState('tail') };
        },
        pause: async ({ list }) => {
          await this.running(list).consumer.pause();
          return { live: this.liveState(list) };
        },
        resume: async ({ list }) => {
          await this.running(list).consumer.resume();
          return { live: this.liveState(list) };
        },
        stop: async ({ list }) => {
          await this.stop(list);
          return { live: this.liveState(list) };
        },
        settle: async ({ ids, how, confirmed }) => {
          const { consumer } = this.running('consume');
          const request = ['settle', ids, how];
          if (how === 'reject' && confirmed === undefined) return { settled: [], state: 'rejected', live: this.liveState('consume'), ask: this.rejectQuestion(request, ids) };
          const waiting = how === 'reject' && confirmed !== undefined ? this.lists.unsettled(this.rejects.agreed(request, confirmed)) : this.lists.unsettled(ids);
          if (how === 'ack') consumer.ack(waiting);
          else consumer.nack(waiting, how === 'requeue');
          const state: RowState = how === 'ack' ? 'acked' : how === 'requeue' ? 'requeued' : 'rejected';
          const settled = this.lists.settle(waiting, state);
          this.wrote();
          return { settled, state, live: this.liveState('consume') };
        },
        rpc: async ({ publish, replyVia, timeoutSeconds }) => {
          this.rpcCall?.abort();
          const call = (this.rpcCall = new AbortController());
          const result = await (await this.session()).rpc(vhost, publish, { replyVia, timeoutMs: timeoutSeconds * 1000, signal: call.signal });
          this.lists.add('rpc', result.reply, 'reply');
          return result;
        },
      },
      commands: { clear: ({ list }) => this.lists.clear(list) },
    }));
    this.panel = this.view.panel;
    this.lists = new MessageLists(CAP, (list, items, received) => this.view.notify('messages', { list, items, received }));
    this.register({
      dispose: () => {
        clearTimeout(this.treeTimer);
        this.rpcCall?.abort();
        void this.stop('consume');
        void this.stop('tail');
        this.lists.dispose();
      },
    });
  }

  private show(focus: Omit<Focus, 'seq'>): void {
    this.focus = { ...focus, seq: this.focus.seq + 1 };
    this.panel.reveal();
    this.view.notify('focus', this.focus);
  }

  private async init(): Promise<Init<typeof rabbitProtocol>> {
    const session = await this.session().catch(() => undefined);
    // Taken last, with nothing awaited after it: a snapshot takes what is pending, and the next batch follows it.
    return {
      title: vscode.l10n.t('{0} · vhost {1}', this.profile.name, this.vhost), readOnly: this.profile.readOnly, cap: CAP, hasApi: session?.hasManagementApi ?? false,
      focus: this.focus, live: { consume: this.liveState('consume'), tail: this.liveState('tail') }, lists: this.lists.snapshot(),
    };
  }

  private session(): Promise<RabbitMqSession> {
    return this.options.sessions.session(this.profile);
  }

  private events(list: LiveName, state: RowState) {
    const generation = ++this.generation[list];
    const current = (): boolean => generation === this.generation[list];
    return {
      onMessage: (message: MessageView) => {
        if (!current()) return;
        this.lists.add(list, message, state);
        if (list === 'consume') this.wroteSoon();
      },
      onEnd: (reason: string) => {
        if (!current()) return;
        this.generation[list]++;
        this.live[list] = undefined;
        this.ended(list, reason);
      },
    };
  }

  private running(list: LiveName): Live {
    const live = this.live[list];
    if (!live) throw new DriverError('closed', list === 'consume' ? vscode.l10n.t('No consumer is running: the messages it held went back to the queue when it stopped.') : vscode.l10n.t('No tail is running.'), { worded: list === 'consume' ? vscode.l10n.t('Start consuming again.') : vscode.l10n.t('Start the tail again.') });
    return live;
  }

  private async stop(list: LiveName): Promise<void> {
    const live = this.live[list];
    if (!live) return;
    this.live[list] = undefined;
    this.generation[list]++;
    await live.consumer.close();
    this.ended(list);
  }

  /** A consumer stopped: the messages it held went back to the queue. */
  private ended(list: LiveName, reason?: string): void {
    if (list === 'consume') {
      const returned = this.lists.returnAll();
      if (returned.length) this.view.notify('states', { list, ids: returned, state: 'returned' });
      this.wrote();
    }
    this.view.notify('live', { list, live: this.liveState(list), ...(reason ? { ended: reason } : {}) });
  }

  private liveState(list: LiveName): LiveState {
    const live = this.live[list];
    return live ? { running: true, paused: live.consumer.paused, what: live.what, source: live.source, unacked: live.consumer.unacked } : { running: false, paused: false, what: '', source: '', unacked: 0 };
  }

  private wrote(): void {
    clearTimeout(this.treeTimer);
    this.treeTimer = undefined;
    this.options.wrote(this.profile, this.vhost);
  }

  /** Messages stream in: the tree follows, but not once per message. */
  private wroteSoon(): void {
    this.treeTimer ??= setTimeout(() => this.wrote(), TREE_REFRESH_MS);
  }

}
