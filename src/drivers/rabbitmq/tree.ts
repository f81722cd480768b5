import { BrowseNode } from '../types';
import { placeOf } from '../places';
import { BindingInfo, ManagementApi } from './managementApi';

const NO_API: BrowseNode = {
  place: { kind: 'rabbitmq', of: 'noApi' }, label: 'Topology needs the management API', type: 'notice', icon: 'info', expandable: false,
  tooltip: 'Set the management API URL (e.g. http://host:15672) in this connection to list vhosts, exchanges and queues. Named queues and exchanges work without it: use Publish, Get or Consume from the connection\'s menu.',
};

const exchangeLabel = (name: string): string => (name === '' ? '(default)' : name);

function argsText(args: Record<string, unknown>): string {
  return Object.entries(args).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
}

/** Binding rows. The place carries everything needed to unbind: vhost, source, destination, routing key and arguments. */
function bindingNode(vhost: string, b: BindingInfo, direction: 'out' | 'in'): BrowseNode {
  const args = argsText(b.arguments);
  const key = b.routingKey === '' ? '' : `key ${b.routingKey}`;
  const other = direction === 'out' ? `${b.destinationType} ${b.destination}` : `exchange ${exchangeLabel(b.source)}`;
  return {
    place: { kind: 'rabbitmq', of: 'binding', vhost, direction, binding: { source: b.source, destinationType: b.destinationType, destination: b.destination, routingKey: b.routingKey, arguments: b.arguments } },
    label: `${direction === 'out' ? '→' : '←'} ${other}`,
    type: 'binding',
    icon: 'link',
    expandable: false,
    description: [key, args].filter(Boolean).join(' · '),
    tooltip: `${exchangeLabel(b.source)} → ${b.destinationType} ${b.destination}${b.routingKey ? `\nrouting key: ${b.routingKey}` : ''}${args ? `\narguments: ${args}` : ''}`,
  };
}

/** Ready messages and consumers as the broker counts them now, by queue name (missing: not known). */
export type ExactCounts = (vhost: string, queues: readonly string[]) => Promise<ReadonlyMap<string, { readonly messageCount: number; readonly consumerCount: number }>>;

/**
 * The explorer rows below a RabbitMQ connection: vhosts → exchanges and queues → bindings both ways. A queue's ready
 * and consumer counts come from the broker itself when `exact` can read them: the management API samples its
 * statistics every few seconds, so right after a publish or a consume it still shows the counts from before.
 */
export async function topologyChildren(api: ManagementApi | undefined, connectionVhost: string, node?: BrowseNode, exact?: ExactCounts): Promise<BrowseNode[]> {
  if (!api) return node ? [] : [NO_API];
  if (!node) {
    return (await api.vhosts()).map((name): BrowseNode => ({
      place: { kind: 'rabbitmq', of: 'vhost', vhost: name }, label: name, type: 'vhost', icon: 'folder-library', expandable: true, description: name === connectionVhost ? 'connection vhost' : '',
    }));
  }
  const place = placeOf('rabbitmq', node.place);
  if (place?.of === 'vhost') {
    const vhost = place.vhost;
    const [exchanges, queues] = await Promise.all([api.exchanges(vhost), api.queues(vhost)]);
    return [
      { place: { kind: 'rabbitmq', of: 'exchanges', vhost }, label: 'Exchanges', type: 'exchanges', icon: 'arrow-swap', expandable: true, description: String(exchanges.length) },
      { place: { kind: 'rabbitmq', of: 'queues', vhost }, label: 'Queues', type: 'queues', icon: 'inbox', expandable: true, description: String(queues.length) },
    ];
  }
  if (place?.of === 'exchanges') {
    const vhost = place.vhost;
    return (await api.exchanges(vhost)).map((e): BrowseNode => ({
      place: { kind: 'rabbitmq', of: 'exchange', vhost, exchange: e.name },
      label: exchangeLabel(e.name),
      type: e.name === '' || e.name.startsWith('amq.') ? 'exchange:predefined' : 'exchange',
      icon: 'arrow-swap',
      expandable: e.name !== '',
      description: [e.type, e.durable ? 'durable' : '', e.autoDelete ? 'auto-delete' : '', e.internal ? 'internal' : ''].filter(Boolean).join(' · '),
    }));
  }
  if (place?.of === 'queues') {
    const vhost = place.vhost;
    const listed = await api.queues(vhost);
    // Another connection's exclusive queue (a tail's) cannot be checked: the broker would close the channel.
    const counts = exact ? await exact(vhost, listed.filter((q) => !q.exclusive).map((q) => q.name)).catch(() => undefined) : undefined;
    return listed.map((sampled): BrowseNode => {
      const now = counts?.get(sampled.name);
      const q = now ? { ...sampled, ready: now.messageCount, consumers: now.consumerCount } : sampled;
      const flags = [q.type, q.durable ? 'durable' : '', q.exclusive ? 'exclusive' : '', q.autoDelete ? 'auto-delete' : ''].filter(Boolean).join(', ');
      const args = argsText(q.arguments);
      return {
        place: { kind: 'rabbitmq', of: 'queue', vhost, queue: q.name },
        label: q.name,
        type: 'queue',
        icon: 'inbox',
        expandable: true,
        description: `${q.ready} ready · ${q.unacked} unacked · ${q.consumers} consumer${q.consumers === 1 ? '' : 's'}`,
        tooltip: `${q.name} (${flags})\n${q.ready} ready, ${q.unacked} unacked, ${q.consumers} consumer${q.consumers === 1 ? '' : 's'}${now ? ' (ready and consumers as the broker counts them now; unacked as the management API last sampled it)' : ' (as the management API last sampled them)'}${args ? `\n${args}` : ''}`,
      };
    });
  }
  if (place?.of === 'exchange') {
    const { vhost, exchange: name } = place;
    const [out, into] = await Promise.all([api.exchangeBindings(vhost, name, 'source'), api.exchangeBindings(vhost, name, 'destination')]);
    const rows = [...out.map((b) => bindingNode(vhost, b, 'out')), ...into.map((b) => bindingNode(vhost, b, 'in'))];
    return rows.length ? rows : [{ place: { kind: 'rabbitmq', of: 'noBindings', vhost, under: 'exchange', name }, label: 'No bindings', type: 'empty', icon: 'circle-slash', expandable: false }];
  }
  if (place?.of === 'queue') {
    const { vhost, queue: name } = place;
    // The default exchange's implicit binding exists for every queue; it is not worth a row.
    const rows = (await api.queueBindings(vhost, name)).filter((b) => b.source !== '').map((b) => bindingNode(vhost, b, 'in'));
    return rows.length ? rows : [{ place: { kind: 'rabbitmq', of: 'noBindings', vhost, under: 'queue', name }, label: 'Only the default exchange routes here', type: 'empty', icon: 'circle-slash', expandable: false }];
  }
  return [];
}
