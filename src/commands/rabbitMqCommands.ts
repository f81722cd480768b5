import * as vscode from 'vscode';
import type { RabbitMqSession } from '../drivers/rabbitmq';
import { BindingSpec, ExchangeSpec, jsonFieldTable, QueueSpec } from '../drivers/rabbitmq/shapes';
import type { MoveResult, NotMoved } from '../drivers/rabbitmq/messageMoves';
import { isKind, RabbitMqProfile } from '../drivers/types';
import { RabbitMqPanel } from '../panels/rabbitMq/rabbitMqPanel';
import { Tab } from '../panels/rabbitMq/protocol';
import { profileFor } from './pickProfile';
import { CommandServices } from './commandServices';
import { withCancellableProgress } from '../core/progress';
import { rowOf } from './treeArgs';

/** What a RabbitMQ command acts on: a connection, and maybe a queue, exchange or binding row below it. */
interface Target {
  readonly profile: RabbitMqProfile;
  readonly vhost: string;
  readonly queue?: string;
  readonly exchange?: string;
  readonly binding?: BindingSpec;
}

const exchangeLabel = (name: string): string => name || '(default)';

/** Headers typed as JSON for a headers-exchange binding, every name kept as typed. */
function headersOf(text: string): { headers?: NonNullable<BindingSpec['arguments']>; problem?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: vscode.l10n.t('Not valid JSON') };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: vscode.l10n.t('A JSON object') };
  // The session checks the table before it binds (a name it cannot carry is refused there, naming it).
  return { headers: jsonFieldTable(parsed) };
}

function targetOf(arg: unknown): Target | undefined {
  const row = rowOf(arg, 'rabbitmq');
  if (!row) return undefined;
  const { profile, place } = row;
  if (place.of === 'noApi') return { profile, vhost: profile.vhost };
  const vhost = place.vhost;
  if (place.of === 'queue') return { profile, vhost, queue: place.queue };
  if (place.of === 'exchange') return { profile, vhost, exchange: place.exchange };
  if (place.of === 'binding') return { profile, vhost, binding: place.binding };
  return { profile, vhost };
}

/** Topology changes from the tree, and the messages panel (publish, get, consume, tail, RPC). */
export function registerRabbitMqCommands(services: CommandServices): vscode.Disposable[] {
  const { profiles, sessions, tree, log } = services;

  const target = async (arg: unknown, placeHolder: string): Promise<Target | undefined> => {
    const found = targetOf(arg);
    if (found) return found;
    const profile = await profileFor(arg, profiles, placeHolder, (p) => p.kind === 'rabbitmq');
    return isKind(profile, 'rabbitmq') ? { profile, vhost: profile.vhost } : undefined;
  };
  const session = (t: Target): Promise<RabbitMqSession> => sessions.session(t.profile);
  /** Runs a change, reports failure through the log, refreshes the tree on success. */
  const change = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      const result = await work();
      tree.refresh();
      return result;
    } catch (error) {
      log.report(what, error);
      return undefined;
    }
  };
  const confirm = async (message: string, detail: string, action: string): Promise<boolean> =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;

  const pickQueue = async (t: Target, placeHolder: string, exclude?: string): Promise<string | undefined> => {
    const names = (await (await session(t)).names(t.vhost)).queues.filter((q) => q !== exclude);
    if (names.length === 0) return vscode.window.showInputBox({ title: placeHolder, prompt: vscode.l10n.t('Queue name') });
    return vscode.window.showQuickPick(names, { placeHolder });
  };

  // The panel's writes move the counts of the vhost's queues: the tree lists them again.
  const panelOptions = { extensionUri: services.extensionUri, log, sessions, wrote: (profile: RabbitMqProfile, vhost: string) => tree.refreshPlace(profile.id, { kind: 'rabbitmq', of: 'queues', vhost }) };
  const openPanel = (tab: Tab) => async (arg?: unknown): Promise<RabbitMqPanel | undefined> => {
    const t = await target(arg, vscode.l10n.t('Open RabbitMQ messages for…'));
    if (!t) return undefined;
    const focus = { tab, ...(t.queue !== undefined ? { queue: t.queue, exchange: '', routingKey: t.queue } : {}), ...(t.exchange !== undefined ? { exchange: t.exchange } : {}) };
    return RabbitMqPanel.show(panelOptions, t.profile, t.vhost, focus);
  };

  return [
    vscode.commands.registerCommand('switchboard.rabbitmq.messages', async (arg?: unknown) => openPanel(targetOf(arg)?.queue !== undefined ? 'get' : 'publish')(arg)),
    vscode.commands.registerCommand('switchboard.rabbitmq.publish', openPanel('publish')),
    vscode.commands.registerCommand('switchboard.rabbitmq.get', openPanel('get')),
    vscode.commands.registerCommand('switchboard.rabbitmq.consume', openPanel('consume')),
    vscode.commands.registerCommand('switchboard.rabbitmq.tail', openPanel('tail')),
    vscode.commands.registerCommand('switchboard.rabbitmq.rpc', openPanel('rpc')),

    vscode.commands.registerCommand('switchboard.rabbitmq.declareExchange', async (arg?: unknown, given?: ExchangeSpec) => {
      const t = await target(arg, vscode.l10n.t('Declare an exchange on…'));
      if (!t) return undefined;
      const spec = given ?? (await askExchange());
      if (!spec) return undefined;
      return change(vscode.l10n.t('Declaring exchange "{0}"', spec.name), async () => (await session(t)).declareExchange(t.vhost, spec));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.declareQueue', async (arg?: unknown, given?: QueueSpec) => {
      const t = await target(arg, vscode.l10n.t('Declare a queue on…'));
      if (!t) return undefined;
      const spec = given ?? (await askQueue());
      if (!spec) return undefined;
      return change(vscode.l10n.t('Declaring queue "{0}"', spec.name), async () => (await session(t)).declareQueue(t.vhost, spec));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.bind', async (arg?: unknown, given?: BindingSpec) => {
      const t = await target(arg, vscode.l10n.t('Bind on…'));
      if (!t) return undefined;
      const spec = given ?? (await askBinding(t));
      if (!spec) return undefined;
      return change(vscode.l10n.t('Binding {0} to {1}', spec.destination, spec.source), async () => (await session(t)).bind(t.vhost, spec));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.unbind', async (arg?: unknown) => {
      const t = targetOf(arg);
      const b = t?.binding;
      if (!t || !b || !(await confirm(b.routingKey ? vscode.l10n.t('Remove the binding {0} (routing key {1})?', `${exchangeLabel(b.source)} → ${b.destinationType} ${b.destination}`, b.routingKey) : vscode.l10n.t('Remove the binding {0}?', `${exchangeLabel(b.source)} → ${b.destinationType} ${b.destination}`), vscode.l10n.t('Messages matching it stop being routed there.'), vscode.l10n.t('Unbind')))) return undefined;
      return change(vscode.l10n.t('Unbinding'), async () => (await session(t)).unbind(t.vhost, b));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.deleteExchange', async (arg?: unknown) => {
      const t = targetOf(arg);
      if (t?.exchange === undefined || !(await confirm(vscode.l10n.t('Delete exchange "{0}"?', t.exchange), vscode.l10n.t('Its bindings go with it; publishers to it will fail.'), vscode.l10n.t('Delete')))) return undefined;
      return change(vscode.l10n.t('Deleting exchange "{0}"', t.exchange), async () => (await session(t)).deleteExchange(t.vhost, t.exchange!));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.deleteQueue', async (arg?: unknown) => {
      const t = targetOf(arg);
      if (t?.queue === undefined) return undefined;
      const s = await session(t);
      const { messageCount, consumerCount } = await s.queueCounts(t.vhost, t.queue).catch(() => ({ messageCount: NaN, consumerCount: NaN }));
      const messages = Number.isNaN(messageCount) ? vscode.l10n.t('Its messages are deleted with it.') : vscode.l10n.t('Its {0} ready messages are deleted with it.', messageCount);
      const consumers = consumerCount ? ` ${vscode.l10n.t('Its {0} consumers are cancelled.', consumerCount)}` : '';
      const detail = `${messages}${consumers} ${vscode.l10n.t('There is no undo.')}`;
      if (!(await confirm(vscode.l10n.t('Delete queue "{0}"?', t.queue), detail, vscode.l10n.t('Delete')))) return undefined;
      return change(vscode.l10n.t('Deleting queue "{0}"', t.queue), async () => {
        const gone = await s.deleteQueue(t.vhost, t.queue!);
        void vscode.window.showInformationMessage(vscode.l10n.t('Deleted "{0}" with {1} messages.', t.queue ?? '', gone));
        return gone;
      });
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.purge', async (arg?: unknown) => {
      const t = targetOf(arg);
      if (t?.queue === undefined) return undefined;
      const s = await session(t);
      const counts = await change(vscode.l10n.t('Reading "{0}"', t.queue), () => s.queueCounts(t.vhost, t.queue!));
      if (!counts) return undefined;
      if (counts.messageCount === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" has no ready messages to purge.', t.queue));
        return 0;
      }
      if (!(await confirm(vscode.l10n.t('Purge {0} messages from "{1}"?', counts.messageCount, t.queue), vscode.l10n.t('Ready messages are removed for good; unacked ones stay with their consumers.'), vscode.l10n.t('Purge')))) return undefined;
      return change(vscode.l10n.t('Purging "{0}"', t.queue), async () => {
        const purged = await s.purge(t.vhost, t.queue!);
        void vscode.window.showInformationMessage(vscode.l10n.t('Purged {0} messages from "{1}".', purged, t.queue ?? ''));
        return purged;
      });
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.move', async (arg?: unknown, to?: string) => {
      const t = targetOf(arg);
      if (t?.queue === undefined) return undefined;
      const destination = to ?? (await pickQueue(t, vscode.l10n.t('Move the messages of "{0}" to…', t.queue), t.queue));
      if (!destination) return undefined;
      return transfer(t, vscode.l10n.t('Moving messages from "{0}" to "{1}"', t.queue ?? '', destination), (s, progress) => s.move(t.vhost, t.queue!, destination, progress));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.replay', async (arg?: unknown) => {
      const t = targetOf(arg);
      if (t?.queue === undefined) return undefined;
      if (!(await confirm(vscode.l10n.t('Replay the dead-lettered messages of "{0}"?', t.queue), vscode.l10n.t('Each is published again to the exchange and routing key its x-death header records, and removed from this queue once the broker confirms the copy. Messages without x-death stay.'), vscode.l10n.t('Replay')))) return undefined;
      return transfer(t, vscode.l10n.t('Replaying "{0}"', t.queue), (s, progress) => s.replay(t.vhost, t.queue!, progress));
    }),
  ];

  function transfer(t: Target, title: string, work: (s: RabbitMqSession, progress: { signal: AbortSignal; onProgress: (done: number, total: number) => void }) => Promise<MoveResult>) {
    return withCancellableProgress(title, (report, signal) => change(title, async () => {
      const result = await work(await session(t), { signal, onProgress: (done, total) => report(vscode.l10n.t('{0} of {1}', done, total)) });
      const moved = signal.aborted ? vscode.l10n.t('Stopped after moving {0} messages.', result.moved) : vscode.l10n.t('Moved {0} messages.', result.moved);
      const summary = result.skipped ? `${moved} ${vscode.l10n.t('{0} without x-death stayed.', result.skipped)}` : moved;
      if (result.notMoved.length === 0) void vscode.window.showInformationMessage(summary);
      else void vscode.window.showWarningMessage(`${summary} ${notMovedText(result.notMoved, t.queue ?? '')}`, { modal: true });
      return result;
    }));
  }

  async function askBinding(t: Target): Promise<BindingSpec | undefined> {
    const s = await session(t);
    const { exchanges } = await s.names(t.vhost);
    let source = t.exchange;
    let destination = t.queue;
    if (source === undefined) {
      const pick = exchanges.length
        ? (await vscode.window.showQuickPick(exchanges.filter((e) => e.name !== '').map((e) => ({ label: e.name, description: e.type })), { placeHolder: vscode.l10n.t('Bind "{0}" to exchange…', destination ?? '') }))?.label
        : await vscode.window.showInputBox({ prompt: vscode.l10n.t('Exchange to bind to') });
      if (!pick) return undefined;
      source = pick;
    }
    if (destination === undefined) destination = await pickQueue(t, vscode.l10n.t('Route from "{0}" to queue…', source));
    if (!destination) return undefined;
    const type = exchanges.find((e) => e.name === source)?.type;
    if (type === 'headers') {
      const json = await vscode.window.showInputBox({ title: vscode.l10n.t('Bind "{0}" to headers exchange "{1}"', destination, source), prompt: vscode.l10n.t('Headers to match, as JSON'), value: '{"x-match": "all", "": ""}', validateInput: (text) => headersOf(text).problem });
      const headers = json === undefined ? undefined : headersOf(json).headers;
      return headers && { source, destination, destinationType: 'queue', routingKey: '', arguments: headers };
    }
    const routingKey = type === 'fanout' ? '' : await vscode.window.showInputBox({ title: vscode.l10n.t('Bind "{0}" to {1} exchange "{2}"', destination, type ?? '', source), prompt: type === 'topic' ? vscode.l10n.t('Routing pattern: * matches one word, # any number') : vscode.l10n.t('Routing key') });
    return routingKey === undefined ? undefined : { source, destination, destinationType: 'queue', routingKey };
  }
}

async function askExchange(): Promise<ExchangeSpec | undefined> {
  const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Declare exchange'), prompt: vscode.l10n.t('Name'), validateInput: (v) => (v.trim() ? (v.startsWith('amq.') ? vscode.l10n.t('Names starting with amq. are reserved') : undefined) : vscode.l10n.t('A name is needed')) });
  if (!name) return undefined;
  const picked = await vscode.window.showQuickPick(['direct', 'fanout', 'topic', 'headers'], { title: vscode.l10n.t('Declare exchange "{0}"', name), placeHolder: vscode.l10n.t('Type') });
  const EXCHANGE_TYPES = ['direct', 'fanout', 'topic', 'headers'] as const;
  const type = EXCHANGE_TYPES.find((t) => t === picked);
  if (!type) return undefined;
  const flags = await vscode.window.showQuickPick([
    { flag: 'durable', label: vscode.l10n.t('Durable'), picked: true, detail: vscode.l10n.t('Survives a broker restart') },
    { flag: 'autoDelete', label: vscode.l10n.t('Auto-delete'), picked: false, detail: vscode.l10n.t('Deleted when its last binding goes') },
    { flag: 'internal', label: vscode.l10n.t('Internal'), picked: false, detail: vscode.l10n.t('Only other exchanges can publish to it') },
  ], { title: vscode.l10n.t('Declare {0} exchange "{1}"', type, name), canPickMany: true });
  if (!flags) return undefined;
  const has = (flag: string): boolean => flags.some((f) => f.flag === flag);
  return { name: name.trim(), type, durable: has('durable'), autoDelete: has('autoDelete'), internal: has('internal') };
}

async function askQueue(): Promise<QueueSpec | undefined> {
  const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Declare queue'), prompt: vscode.l10n.t('Name (empty: the broker picks one)') });
  if (name === undefined) return undefined;
  const kind = await vscode.window.showQuickPick([{ label: vscode.l10n.t('Classic'), quorum: false }, { label: vscode.l10n.t('Quorum'), quorum: true, detail: vscode.l10n.t('Replicated, always durable') }], { title: vscode.l10n.t('Declare queue "{0}"', name), placeHolder: vscode.l10n.t('Queue type') });
  if (!kind) return undefined;
  const options = await vscode.window.showQuickPick([
    { flag: 'durable', label: vscode.l10n.t('Durable'), picked: true, detail: vscode.l10n.t('Survives a broker restart') },
    ...(kind.quorum ? [] : [{ flag: 'exclusive', label: vscode.l10n.t('Exclusive'), picked: false, detail: vscode.l10n.t('Only this connection uses it; deleted when it closes') }, { flag: 'autoDelete', label: vscode.l10n.t('Auto-delete'), picked: false, detail: vscode.l10n.t('Deleted when its last consumer goes') }]),
    { flag: 'ttl', label: vscode.l10n.t('Message TTL…'), picked: false, detail: 'x-message-ttl' },
    { flag: 'maxLength', label: vscode.l10n.t('Max length…'), picked: false, detail: 'x-max-length' },
    { flag: 'deadLetter', label: vscode.l10n.t('Dead-letter exchange…'), picked: false, detail: vscode.l10n.t('x-dead-letter-exchange and routing key') },
  ], { title: kind.quorum ? vscode.l10n.t('Declare quorum queue "{0}"', name) : vscode.l10n.t('Declare classic queue "{0}"', name), canPickMany: true });
  if (!options) return undefined;
  const has = (flag: string): boolean => options.some((o) => o.flag === flag);
  const whole = (v: string): string | undefined => (/^\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('A whole number'));
  const ttl = has('ttl') ? await vscode.window.showInputBox({ prompt: vscode.l10n.t('Message TTL in milliseconds'), validateInput: whole }) : '';
  const maxLength = has('maxLength') ? await vscode.window.showInputBox({ prompt: vscode.l10n.t('Max length (messages)'), validateInput: whole }) : '';
  const dlx = has('deadLetter') ? await vscode.window.showInputBox({ prompt: vscode.l10n.t('Dead-letter exchange ("" is the default exchange)') }) : '';
  const dlk = has('deadLetter') && dlx !== undefined ? await vscode.window.showInputBox({ prompt: vscode.l10n.t('Dead-letter routing key (empty: keep the original)') }) : '';
  if (ttl === undefined || maxLength === undefined || dlx === undefined || dlk === undefined) return undefined;
  return {
    name: name.trim(), durable: has('durable'), exclusive: has('exclusive'), autoDelete: has('autoDelete'), quorum: kind.quorum,
    ...(ttl ? { messageTtl: Number(ttl) } : {}), ...(maxLength ? { maxLength: Number(maxLength) } : {}),
    ...(has('deadLetter') ? { deadLetterExchange: dlx } : {}), ...(dlk ? { deadLetterRoutingKey: dlk } : {}),
  };
}

/** Names each message whose copy the broker did not take (the first ten), and says they are still where they were. */
function notMovedText(notMoved: readonly NotMoved[], queue: string): string {
  const named = notMoved.slice(0, 10).map((m) => {
    const ids = [m.messageId ? vscode.l10n.t('message id "{0}"', m.messageId) : '', m.correlationId ? vscode.l10n.t('correlation id "{0}"', m.correlationId) : ''].filter(Boolean).join(', ');
    const where = vscode.l10n.t('message {0} to exchange "{1}" with routing key "{2}"', m.position, exchangeLabel(m.exchange), m.routingKey);
    return `${where}${ids ? ` (${ids})` : ''}: ${m.reason}`;
  });
  const more = notMoved.length > 10 ? vscode.l10n.t('; and {0} more', notMoved.length - 10) : '';
  const head = notMoved.length === 1 ? vscode.l10n.t('1 message was not moved and stays in "{0}"', queue) : vscode.l10n.t('{0} messages were not moved and stay in "{1}"', notMoved.length, queue);
  return `${head}: ${named.join('; ')}${more}.`;
}
