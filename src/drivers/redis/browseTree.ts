/** What a Redis connection shows in the tree: its databases with key counts, a cluster's nodes, the server views. */
import { isCluster, keyServers, RedisClient } from './client';
import type { BrowseNode, RedisProfile } from '../types';
import { placeOf } from '../places';
import { parseKeyspace } from './info';
import { serverViewChildren } from './serverViews';
import { announcedHost } from './carried';

/** The rows below `node` (the connection itself when absent). */
export async function browseChildren(client: RedisClient, profile: RedisProfile, node?: BrowseNode): Promise<BrowseNode[]> {
  const place = placeOf('redis', node?.place);
  if (place?.of === 'cluster') return clusterNodes(client);
  if (place) return serverViewChildren(client, place);
  if (node) return [];
  if (isCluster(client)) {
    const sizes = await Promise.all(keyServers(client).map((server) => server.dbsize()));
    const keys = sizes.reduce((a, b) => a + b, 0);
    return [
      { place: { kind: 'redis', of: 'db', db: 0 }, label: 'db0', type: 'db', description: `${keys} key${keys === 1 ? '' : 's'}`, tooltip: `db0 across ${sizes.length} masters: ${keys} keys`, icon: 'database', expandable: false, opens: true, counts: { keys, masters: sizes.length } },
      { place: { kind: 'redis', of: 'cluster' }, label: 'Cluster', type: 'clusterNodes', icon: 'type-hierarchy', expandable: true, description: `${sizes.length} masters`, tooltip: 'Nodes, their roles, slots and keys', counts: { masters: sizes.length } },
      { place: { kind: 'redis', of: 'server' }, label: 'Server', type: 'serverViews', icon: 'server', expandable: true, tooltip: 'INFO sections, slow log, clients, memory stats (of one node)' },
    ];
  }
  const keyspace = parseKeyspace(await client.info('keyspace'));
  const count = await databaseCount(client, profile, keyspace);
  const dbs: BrowseNode[] = [];
  for (let db = 0; db < count; db++) {
    const entry = keyspace.get(db);
    if (!entry && db !== profile.db && db > 0) continue;
    dbs.push({
      place: { kind: 'redis', of: 'db', db },
      label: `db${db}`,
      type: 'db',
      description: `${entry?.keys ?? 0} key${entry?.keys === 1 ? '' : 's'}`,
      tooltip: `db${db}: ${entry?.keys ?? 0} keys, ${entry?.expires ?? 0} with a TTL`,
      counts: { keys: entry?.keys ?? 0, expires: entry?.expires ?? 0 },
      icon: 'database',
      expandable: false,
      opens: true,
    });
  }
  return [...dbs, { place: { kind: 'redis', of: 'server' }, label: 'Server', type: 'serverViews', icon: 'server', expandable: true, tooltip: 'INFO sections, slow log, clients, memory stats' }];
}

/** CONFIG may be disabled (managed services), so fall back to what INFO shows. */
async function databaseCount(client: RedisClient, profile: RedisProfile, keyspace: Map<number, unknown>): Promise<number> {
  try {
    const reply = await client.config('GET', 'databases');
    const value = Array.isArray(reply) ? Number(reply[1]) : NaN;
    if (Number.isInteger(value) && value > 0) return value;
  } catch {
    // fall through
  }
  return Math.max(profile.db, ...keyspace.keys()) + 1;
}

/** The nodes of a cluster with role, address, slot ranges and key count (CLUSTER SHARDS-like, from CLUSTER SLOTS). */
async function clusterNodes(client: RedisClient): Promise<BrowseNode[]> {
  if (!isCluster(client)) return [];
  const ranges = new Map<string, string[]>();
  for (const [from, to, master] of await client.cluster('SLOTS')) {
    if (!master) continue;
    const address = `${master[0]}:${master[1]}`;
    ranges.set(address, [...(ranges.get(address) ?? []), from === to ? String(from) : `${from}-${to}`]);
  }
  return Promise.all(client.nodes().map(async (node): Promise<BrowseNode> => {
    // Through SSH, ioredis knows each node by a name of ours; the cluster names it by its own address.
    const address = `${announcedHost(node.options.host ?? '')}:${node.options.port}`;
    const owned = ranges.get(address);
    const keys = await node.dbsize().catch(() => undefined);
    return {
      place: { kind: 'redis', of: 'clusterNode', address }, label: address, type: 'clusterNode', icon: owned ? 'server-process' : 'server', expandable: false,
      description: `${owned ? 'master' : 'replica'}${owned ? ` · slots ${owned.join(', ')}` : ''}${keys === undefined ? '' : ` · ${keys} keys`}`,
    };
  }));
}
