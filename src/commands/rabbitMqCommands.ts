import * as vscode from 'vscode';
import type { RabbitMqSession } from '../drivers/rabbitmq';
import type { BindingSpec, ExchangeSpec, FieldValue, QueueSpec } from '../drivers/rabbitmq/shapes';

type FieldTable = { readonly [name: string]: FieldValue };
import { RabbitMqProfile } from '../drivers/types';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { RabbitMqPanel } from '../panels/rabbitMq/rabbitMqPanel';
import { Tab } from '../panels/rabbitMq/protocol';
import { profileFor } from './pickProfile';
import { CommandServices } from './commandServices';

/** What a RabbitMQ command acts on: a connection, and maybe a queue, exchange or binding row below it. */
interface Target {
  readonly profile: RabbitMqProfile;
  readonly vhost: string;
  readonly queue?: string;
  readonly exchange?: string;
  readonly binding?: BindingSpec;
}

const isRabbit = (p: { kind: string } | undefined): p is RabbitMqProfile => p?.kind === 'rabbitmq';
const exchangeLabel = (name: string): string => name || '(default)';

function targetOf(arg: unknown): Target | undefined {
  if (!(arg instanceof BrowseItemNode) || !isRabbit(arg.profile)) return undefined;
  const [what, vhost = arg.profile.vhost, type, name, ...rest] = arg.node.path;
  if (what !== 'vhost') return { profile: arg.profile, vhost };
  if (type === 'queue' && name !== undefined) return { profile: arg.profile, vhost, queue: name };
  if (type === 'exchange' && name !== undefined) return { profile: arg.profile, vhost, exchange: name };
  if (type === 'binding' && name !== undefined) {
    const [destinationType, destination = '', routingKey = '', args = '{}'] = rest;
    const binding: BindingSpec = { source: name, destinationType: destinationType === 'exchange' ? 'exchange' : 'queue', destination, routingKey, arguments: JSON.parse(args) as FieldTable };
    return { profile: arg.profile, vhost, binding };
  }
  return { profile: arg.profile, vhost };
}

/** Topology changes from the tree, and the messages panel (publish, get, consume, tail, RPC). */
export function registerRabbitMqCommands(services: CommandServices): vscode.Disposable[] {
  const { profiles, sessions, tree, log } = services;

  const target = async (arg: unknown, placeHolder: string): Promise<Target | undefined> => {
    const found = targetOf(arg);
    if (found) return found;
    const profile = await profileFor(arg, profiles, placeHolder, (p) => p.kind === 'rabbitmq');
    return isRabbit(profile) ? { profile, vhost: profile.vhost } : undefined;
  };
  const session = async (t: Target): Promise<RabbitMqSession> => (await sessions.session(t.profile)) as RabbitMqSession;
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
    if (names.length === 0) return vscode.window.showInputBox({ title: placeHolder, prompt: 'Queue name' });
    return vscode.window.showQuickPick(names, { placeHolder });
  };

  const openPanel = (tab: Tab) => async (arg?: unknown): Promise<RabbitMqPanel | undefined> => {
    const t = await target(arg, 'Open RabbitMQ messages for…');
    if (!t) return undefined;
    const focus = { tab, ...(t.queue !== undefined ? { queue: t.queue, exchange: '', routingKey: t.queue } : {}), ...(t.exchange !== undefined ? { exchange: t.exchange } : {}) };
    return RabbitMqPanel.show(services.extensionUri, t.profile, t.vhost, sessions, focus);
  };

  return [
    vscode.commands.registerCommand('switchboard.rabbitmq.messages', async (arg?: unknown) => openPanel(targetOf(arg)?.queue !== undefined ? 'get' : 'publish')(arg)),
    vscode.commands.registerCommand('switchboard.rabbitmq.publish', openPanel('publish')),
    vscode.commands.registerCommand('switchboard.rabbitmq.get', openPanel('get')),
    vscode.commands.registerCommand('switchboard.rabbitmq.consume', openPanel('consume')),
    vscode.commands.registerCommand('switchboard.rabbitmq.tail', openPanel('tail')),
    vscode.commands.registerCommand('switchboard.rabbitmq.rpc', openPanel('rpc')),

    vscode.commands.registerCommand('switchboard.rabbitmq.declareExchange', async (arg?: unknown, given?: ExchangeSpec) => {
      const t = await target(arg, 'Declare an exchange on…');
      if (!t) return undefined;
      const spec = given ?? (await askExchange());
      if (!spec) return undefined;
      return change(`Declaring exchange "${spec.name}"`, async () => (await session(t)).declareExchange(t.vhost, spec));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.declareQueue', async (arg?: unknown, given?: QueueSpec) => {
      const t = await target(arg, 'Declare a queue on…');
      if (!t) return undefined;
      const spec = given ?? (await askQueue());
      if (!spec) return undefined;
      return change(`Declaring queue "${spec.name}"`, async () => (await session(t)).declareQueue(t.vhost, spec));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.bind', async (arg?: unknown, given?: BindingSpec) => {
      const t = await target(arg, 'Bind on…');
      if (!t) return undefined;
      const spec = given ?? (await askBinding(t));
      if (!spec) return undefined;
      return change(`Binding ${spec.destination} to ${spec.source}`, async () => (await session(t)).bind(t.vhost, spec));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.unbind', async (arg?: unknown) => {
      const b = targetOf(arg)?.binding;
      if (!b || !(await confirm(`Remove the binding ${exchangeLabel(b.source)} → ${b.destinationType} ${b.destination}${b.routingKey ? ` (key ${b.routingKey})` : ''}?`, 'Messages matching it stop being routed there.', 'Unbind'))) return undefined;
      const t = targetOf(arg)!;
      return change('Unbinding', async () => (await session(t)).unbind(t.vhost, b));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.deleteExchange', async (arg?: unknown) => {
      const t = targetOf(arg);
      if (t?.exchange === undefined || !(await confirm(`Delete exchange "${t.exchange}"?`, 'Its bindings go with it; publishers to it will fail.', 'Delete'))) return undefined;
      return change(`Deleting exchange "${t.exchange}"`, async () => (await session(t)).deleteExchange(t.vhost, t.exchange!));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.deleteQueue', async (arg?: unknown) => {
      const t = targetOf(arg);
      if (t?.queue === undefined) return undefined;
      const s = await session(t);
      const { messageCount, consumerCount } = await s.topology.queueCounts(t.vhost, t.queue).catch(() => ({ messageCount: NaN, consumerCount: NaN }));
      const detail = `${Number.isNaN(messageCount) ? 'Its' : `Its ${messageCount} ready`} messages are deleted with it${consumerCount ? `, and its ${consumerCount} consumers are cancelled` : ''}. There is no undo.`;
      if (!(await confirm(`Delete queue "${t.queue}"?`, detail, 'Delete'))) return undefined;
      return change(`Deleting queue "${t.queue}"`, async () => {
        const gone = await s.deleteQueue(t.vhost, t.queue!);
        void vscode.window.showInformationMessage(`Deleted "${t.queue}" with ${gone} messages.`);
        return gone;
      });
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.purge', async (arg?: unknown) => {
      const t = targetOf(arg);
      if (t?.queue === undefined) return undefined;
      const s = await session(t);
      const counts = await change(`Reading "${t.queue}"`, () => s.topology.queueCounts(t.vhost, t.queue!));
      if (!counts) return undefined;
      if (counts.messageCount === 0) {
        void vscode.window.showInformationMessage(`"${t.queue}" has no ready messages to purge.`);
        return 0;
      }
      if (!(await confirm(`Purge ${counts.messageCount} messages from "${t.queue}"?`, 'Ready messages are removed for good; unacked ones stay with their consumers.', 'Purge'))) return undefined;
      return change(`Purging "${t.queue}"`, async () => {
        const purged = await s.purge(t.vhost, t.queue!);
        void vscode.window.showInformationMessage(`Purged ${purged} messages from "${t.queue}".`);
        return purged;
      });
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.move', async (arg?: unknown, to?: string) => {
      const t = targetOf(arg);
      if (t?.queue === undefined) return undefined;
      const destination = to ?? (await pickQueue(t, `Move the messages of "${t.queue}" to…`, t.queue));
      if (!destination) return undefined;
      return transfer(t, `Moving messages from "${t.queue}" to "${destination}"`, (s, progress) => s.move(t.vhost, t.queue!, destination, progress));
    }),
    vscode.commands.registerCommand('switchboard.rabbitmq.replay', async (arg?: unknown) => {
      const t = targetOf(arg);
      if (t?.queue === undefined) return undefined;
      if (!(await confirm(`Replay the dead-lettered messages of "${t.queue}"?`, 'Each is published again to the exchange and routing key its x-death header records, and removed from this queue once the broker confirms the copy. Messages without x-death stay.', 'Replay'))) return undefined;
      return transfer(t, `Replaying "${t.queue}"`, (s, progress) => s.replay(t.vhost, t.queue!, progress));
    }),
  ];

  function transfer(t: Target, title: string, work: (s: RabbitMqSession, progress: { signal: AbortSignal; onProgress: (done: number, total: number) => void }) => Promise<{ moved: number; skipped: number }>) {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return change(title, async () => {
        const result = await work(await session(t), { signal: controller.signal, onProgress: (done, total) => progress.report({ message: `${done} of ${total}` }) });
        void vscode.window.showInformationMessage(`${controller.signal.aborted ? 'Stopped after moving' : 'Moved'} ${result.moved} messages${result.skipped ? `; ${result.skipped} without x-death stayed` : ''}.`);
        return result;
      });
    });
  }

  async function askBinding(t: Target): Promise<BindingSpec | undefined> {
    const s = await session(t);
    const { exchanges } = await s.names(t.vhost);
    let source = t.exchange;
    let destination = t.queue;
    if (source === undefined) {
      const pick = exchanges.length
        ? (await vscode.window.showQuickPick(exchanges.filter((e) => e.name !== '').map((e) => ({ label: e.name, description: e.type })), { placeHolder: `Bind "${destination}" to exchange…` }))?.label
        : await vscode.window.showInputBox({ prompt: 'Exchange to bind to' });
      if (!pick) return undefined;
      source = pick;
    }
    if (destination === undefined) destination = await pickQueue(t, `Route from "${source}" to queue…`);
    if (!destination) return undefined;
    const type = exchanges.find((e) => e.name === source)?.type;
    if (type === 'headers') {
      const json = await vscode.window.showInputBox({ title: `Bind "${destination}" to headers exchange "${source}"`, prompt: 'Headers to match, as JSON', value: '{"x-match": "all", "": ""}', validateInput: (v) => { try { const o: unknown = JSON.parse(v); return typeof o === 'object' && o !== null && !Array.isArray(o) ? undefined : 'A JSON object'; } catch { return 'Not valid JSON'; } } });
      return json === undefined ? undefined : { source, destination, destinationType: 'queue', routingKey: '', arguments: JSON.parse(json) as FieldTable };
    }
    const routingKey = type === 'fanout' ? '' : await vscode.window.showInputBox({ title: `Bind "${destination}" to ${type ?? ''} exchange "${source}"`, prompt: type === 'topic' ? 'Routing pattern: * matches one word, # any number' : 'Routing key' });
    return routingKey === undefined ? undefined : { source, destination, destinationType: 'queue', routingKey };
  }
}

async function askExchange(): Promise<ExchangeSpec | undefined> {
  const name = await vscode.window.showInputBox({ title: 'Declare exchange', prompt: 'Name', validateInput: (v) => (v.trim() ? (v.startsWith('amq.') ? 'Names starting with amq. are reserved' : undefined) : 'A name is needed') });
  if (!name) return undefined;
  const picked = await vscode.window.showQuickPick(['direct', 'fanout', 'topic', 'headers'], { title: `Declare exchange "${name}"`, placeHolder: 'Type' });
  const EXCHANGE_TYPES = ['direct', 'fanout', 'topic', 'headers'] as const;
  const type = EXCHANGE_TYPES.find((t) => t === picked);
  if (!type) return undefined;
  const flags = await vscode.window.showQuickPick([
    { label: 'Durable', picked: true, detail: 'Survives a broker restart' },
    { label: 'Auto-delete', picked: false, detail: 'Deleted when its last binding goes' },
    { label: 'Internal', picked: false, detail: 'Only other exchanges can publish to it' },
  ], { title: `Declare ${type} exchange "${name}"`, canPickMany: true });
  if (!flags) return undefined;
  const has = (label: string): boolean => flags.some((f) => f.label === label);
  return { name: name.trim(), type, durable: has('Durable'), autoDelete: has('Auto-delete'), internal: has('Internal') };
}

async function askQueue(): Promise<QueueSpec | undefined> {
  const name = await vscode.window.showInputBox({ title: 'Declare queue', prompt: 'Name (empty: the broker picks one)' });
  if (name === undefined) return undefined;
  const kind = await vscode.window.showQuickPick([{ label: 'Classic', quorum: false }, { label: 'Quorum', quorum: true, detail: 'Replicated, always durable' }], { title: `Declare queue "${name}"`, placeHolder: 'Queue type' });
  if (!kind) return undefined;
  const options = await vscode.window.showQuickPick([
    { label: 'Durable', picked: true, detail: 'Survives a broker restart' },
    ...(kind.quorum ? [] : [{ label: 'Exclusive', picked: false, detail: 'Only this connection uses it; deleted when it closes' }, { label: 'Auto-delete', picked: false, detail: 'Deleted when its last consumer goes' }]),
    { label: 'Message TTL…', picked: false, detail: 'x-message-ttl' },
    { label: 'Max length…', picked: false, detail: 'x-max-length' },
    { label: 'Dead-letter exchange…', picked: false, detail: 'x-dead-letter-exchange and routing key' },
  ], { title: `Declare ${kind.label.toLowerCase()} queue "${name}"`, canPickMany: true });
  if (!options) return undefined;
  const has = (label: string): boolean => options.some((o) => o.label === label);
  const whole = (v: string): string | undefined => (/^\d+$/.test(v.trim()) ? undefined : 'A whole number');
  const ttl = has('Message TTL…') ? await vscode.window.showInputBox({ prompt: 'Message TTL in milliseconds', validateInput: whole }) : '';
  const maxLength = has('Max length…') ? await vscode.window.showInputBox({ prompt: 'Max length (messages)', validateInput: whole }) : '';
  const dlx = has('Dead-letter exchange…') ? await vscode.window.showInputBox({ prompt: 'Dead-letter exchange ("" is the default exchange)' }) : '';
  const dlk = has('Dead-letter exchange…') && dlx !== undefined ? await vscode.window.showInputBox({ prompt: 'Dead-letter routing key (empty: keep the original)' }) : '';
  if (ttl === undefined || maxLength === undefined || dlx === undefined || dlk === undefined) return undefined;
  return {
    name: name.trim(), durable: has('Durable'), exclusive: has('Exclusive'), autoDelete: has('Auto-delete'), quorum: kind.quorum,
    ...(ttl ? { messageTtl: Number(ttl) } : {}), ...(maxLength ? { maxLength: Number(maxLength) } : {}),
    ...(has('Dead-letter exchange…') ? { deadLetterExchange: dlx } : {}), ...(dlk ? { deadLetterRoutingKey: dlk } : {}),
  };
}
