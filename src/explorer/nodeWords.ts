import * as vscode from 'vscode';
import { BrowseNode, Kind } from '../drivers/types';
import type { Place } from '../drivers/places';

/** What the tree shows of a driver's row; the driver's English stays for anything not worded here (server data). */
export interface NodeWords {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
}

type Words = (node: BrowseNode, count: (name: string) => number) => Partial<NodeWords>;

const keys = (n: number): string => (n === 1 ? vscode.l10n.t('1 key') : vscode.l10n.t('{0} keys', n));

/** Rows with fixed wording, by kind, node type and (where a type has several) which one of them (see `which`). */
const WORDS: Readonly<Record<string, Words>> = {
  'redis:db': (node, count) => ({
    description: keys(count('keys')),
    tooltip: node.counts?.['masters'] !== undefined
      ? vscode.l10n.t('{0} across {1} masters: {2}', node.label, count('masters'), keys(count('keys')))
      : vscode.l10n.t('{0}: {1}, {2} with a TTL', node.label, keys(count('keys')), count('expires')),
  }),
  'redis:clusterNodes': (_node, count) => ({ label: vscode.l10n.t('Cluster'), description: vscode.l10n.t('{0} masters', count('masters')), tooltip: vscode.l10n.t('Nodes, their roles, slots and keys') }),
  'redis:serverViews': () => ({ label: vscode.l10n.t('Server'), tooltip: vscode.l10n.t('INFO sections, slow log, clients, memory stats') }),
  'redis:serverView:info': () => ({ label: vscode.l10n.t('Info') }),
  'redis:serverView:slowlog': () => ({ label: vscode.l10n.t('Slow log') }),
  'redis:serverView:clients': () => ({ label: vscode.l10n.t('Clients') }),
  'redis:serverView:memory': () => ({ label: vscode.l10n.t('Memory stats') }),
  'mysql:serverViews': () => ({ label: vscode.l10n.t('Server'), tooltip: vscode.l10n.t('Processes, status, variables, users') }),
  'mysql:serverView:processes': () => ({ label: vscode.l10n.t('Processes'), tooltip: vscode.l10n.t('The server\'s connections and what they run; kill a query or a connection') }),
  'mysql:serverView:status': () => ({ label: vscode.l10n.t('Status'), tooltip: 'SHOW GLOBAL STATUS' }),
  'mysql:serverView:variables': () => ({ label: vscode.l10n.t('Variables'), tooltip: 'SHOW GLOBAL VARIABLES' }),
  'mysql:users': () => ({ label: vscode.l10n.t('Users'), tooltip: vscode.l10n.t('Accounts and their grants') }),
  'mysql:models': () => ({ label: vscode.l10n.t('Models'), description: vscode.l10n.t('Sequelize, from the schema') }),
  'mysql:indexes': () => ({ label: vscode.l10n.t('Indexes') }),
  'mysql:foreignKeys': () => ({ label: vscode.l10n.t('Foreign keys') }),
  'rabbitmq:notice:noApi': () => ({
    label: vscode.l10n.t('Topology needs the management API'),
    tooltip: vscode.l10n.t('Set the management API URL (e.g. http://host:15672) in this connection to list vhosts, exchanges and queues. Named queues and exchanges work without it: use Publish, Get or Consume from the connection\'s menu.'),
  }),
  'rabbitmq:exchanges': () => ({ label: vscode.l10n.t('Exchanges') }),
  'rabbitmq:queues': () => ({ label: vscode.l10n.t('Queues') }),
  'rabbitmq:empty': (node) => ({ label: node.place.of === 'noBindings' && node.place.under === 'queue' ? vscode.l10n.t('Only the default exchange routes here') : vscode.l10n.t('No bindings') }),
  'ssh:fact:system': () => ({ label: vscode.l10n.t('System') }),
  'ssh:fact:uptime': () => ({ label: vscode.l10n.t('Uptime') }),
  'ssh:filesRoot': (node) => ({ label: vscode.l10n.t('Files'), tooltip: vscode.l10n.t('SFTP, starting at {0}. Go to Folder… (or Go Up) shows another part of the host.', node.description ?? '') }),
  'ssh:forwards': (_node, count) => ({ label: vscode.l10n.t('Port Forwards'), description: vscode.l10n.t('{0} running', count('running')) }),
  'ssh:notice:noForwards': () => ({ label: vscode.l10n.t('No port forwards yet'), tooltip: vscode.l10n.t('Use "{0}" on the connection.', vscode.l10n.t('Add Port Forward')) }),
  'ssh:forwardRunning': () => ({ description: vscode.l10n.t('forwarding') }),
  'ssh:forwardStopped': () => ({ description: vscode.l10n.t('stopped') }),
};

/** The row as the user reads it: worded here when it is one of the fixed rows, the driver's own text otherwise. */
export function wordNode(kind: Kind, node: BrowseNode): NodeWords {
  const words = WORDS[`${kind}:${node.type}:${which(node.place)}`] ?? WORDS[`${kind}:${node.type}`];
  const worded = words?.(node, (name) => node.counts?.[name] ?? 0) ?? {};
  return {
    label: worded.label ?? node.label,
    ...(worded.description ?? node.description ? { description: worded.description ?? node.description } : {}),
    ...(worded.tooltip ?? node.tooltip ? { tooltip: worded.tooltip ?? node.tooltip } : {}),
  };
}

/** Which of the rows of one type a place is, where they are worded apart (a server view, a host fact, a notice). */
function which(place: Place): string {
  if (place.of === 'serverView') return place.view;
  if (place.of === 'fact') return place.fact;
  return place.of;
}
