import { BrowseNode } from '../types';
import { BindingInfo, ManagementApi } from './managementApi';

const NO_API: BrowseNode = {
  path: ['notice'], label: 'Topology needs the management API', type: 'notice', icon: 'info', expandable: false,
  tooltip: 'Set the management API URL (e.g. http://host:15672) in this connection to list vhosts, exchanges and queues. Named queues and exchanges work without it: use Publish, Get or Consume from the connection\'s menu.',
};

const exchangeLabel = (name: string): string => (name === '' ? '(default)' : name);

function argsText(args: Record<string, unknown>): string {
  return Object.entries(args).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
}

/**
 * Binding rows. The path carries everything needed to unbind: vhost, source, destination type and name, routing key
 * and the arguments as JSON.
 */
function bindingNode(vhost: string, b: BindingInfo, direction: 'out' | 'in'): BrowseNode {
  const args = argsText(b.arguments);
  const key = b.routingKey === '' ? '' : `key ${b.routingKey}`;
  const other = direction === 'out' ? `${b.destinationType} ${b.destination}` : `exchange ${exchangeLabel(b.source)}`;
  return {
    path: ['vhost', vhost, 'binding', b.source, b.destinationType, b.destination, b.routingKey, JSON.stringify(b.arguments)],
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
    return (await api.vhosts()).map((name) => ({
      path: ['vhost', name], label: name, type: 'vhost', icon: 'folder-library', expandable: true, description: name === connectionVhost ? 'connection vhost' : '',
    }));
  }
  const [what, vhost, group, name] = node.path;
  if (what !== 'vhost' || vhost === undefined) return [];
  if (group === undefined) {
    const [exchanges, queues] = await Promise.all([api.exchanges(vhost), api.queues(vhost)]);
    return [
      { path: ['vhost', vhost, 'exchanges'], label: 'Exchanges', type: 'exchanges', icon: 'arrow-swap', expandable: true, description: String(exchanges.length) },
      { path: ['vhost', vhost, 'queues'], label: 'Queues', type: 'queues', icon: 'inbox', expandable: true, description: String(queues.length) },
    ];
  }
  if (group === 'exchanges') {
    return (await api.exchanges(vhost)).map((e) => ({
      path: ['vhost', vhost, 'exchange', e.name],
      label: exchangeLabel(e.name),
      type: e.name === '' || e.name.startsWith('amq.') ? 'exchange:predefined' : 'exchange',
      icon: 'arrow-swap',
      expandable: e.name !== '',
      description: [e.type, e.durable ? 'durable' : '', e.autoDelete ? 'auto-delete' : '', e.internal ? 'internal' : ''].filter(Boolean).join(' · '),
    }));
  }
  if (group === 'queues') {
    const listed = await api.queues(vhost);
    // Another connection's exclusive queue (a tail's) cannot be checked: the broker would close the channel.
    const counts = exact ? await exact(vhost, listed.filter((q) => !q.exclusive).map((q) => q.name)).catch(() => undefined) : undefined;
    return listed.map((sampled) => {
      const now = counts?.get(sampled.name);
      const q = now ? { ...sampled, ready: now.messageCount, consumers: now.consumerCount } : sampled;
      const flags = [q.type, q.durable ? 'durable' : '', q.exclusive ? 'exclusive' : '', q.autoDelete ? 'auto-delete' : ''].filter(Boolean).join(', ');
      const args = argsText(q.arguments);
      return {
        path: ['vhost', vhost, 'queue', q.name],
        label: q.name,
        type: 'queue',
        icon: 'inbox',
        expandable: true,
        description: `${q.ready} ready · ${q.unacked} unacked · ${q.consumers} consumer${q.consumers === 1 ? '' : 's'}`,
        tooltip: `${q.name} (${flags})\n${q.ready} ready, ${q.unacked} unacked, ${q.consumers} consumer${q.consumers === 1 ? '' : 's'}${now ? ' (ready and consumers as the broker counts them now; unacked as the management API last sampled it)' : ' (as the management API last sampled them)'}${args ? `\n${args}` : ''}`,
      };
    });
  }
  if (group === 'exchange' && name !== undefined) {
    const [out, into] = await Promise.all([api.exchangeBindings(vhost, name, 'source'), api.exchangeBindings(vhost, name, 'destination')]);
    const rows = [...out.map((b) => bindingNode(vhost, b, 'out')), ...into.map((b) => bindingNode(vhost, b, 'in'))];
    return rows.length ? rows : [{ path: ['vhost', vhost, 'empty', name], label: 'No bindings', type: 'empty', icon: 'circle-slash', expandable: false }];
  }
  if (group === 'queue' && name !== undefined) {
    // The default exchange's implicit binding exists for every queue; it is not worth a row.
    const rows = (await api.queueBindings(vhost, name)).filter((b) => b.source !== '').map((b) => bindingNode(vhost, b, 'in'));
    return rows.length ? rows : [{ path: ['vhost', vhost, 'empty', name], label: 'Only the default exchange routes here', type: 'empty', icon: 'circle-slash', expandable: false }];
  }
  return [];
}
