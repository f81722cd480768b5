import Redis, { Cluster } from 'ioredis';
import calculateSlot from 'cluster-key-slot';

/** A standalone (or Sentinel-found) server, or a Redis Cluster: the commands on single keys are the same. */
export type RedisClient = Redis | Cluster;

export const isCluster = (client: RedisClient): client is Cluster => client instanceof Cluster;

/** The servers holding keys: every master of a cluster, or the one server. Keyspace-wide work runs on each. */
export function keyServers(client: RedisClient): Redis[] {
  return isCluster(client) ? client.nodes('master') : [client];
}

/** The master that owns a key's slot, for work that needs one connection (WATCH … EXEC). */
export function ownerOf(cluster: Cluster, key: Buffer): Redis | undefined {
  const [owner] = cluster.slots[calculateSlot(key)] ?? [];
  return cluster.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === owner);
}
