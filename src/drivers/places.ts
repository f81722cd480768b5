/**
 * Where a row of the explorer stands, typed by kind: what a driver's `children` reads to list below it, what
 * commands read to act on it, and (serialised) the row's identity in the tree. A place names what it stands for
 * by field, never by position.
 */
import type { BindingSpec } from './rabbitmq/shapes';

export type MySqlPlace =
  | { readonly kind: 'mysql'; readonly of: 'db'; readonly db: string }
  | { readonly kind: 'mysql'; readonly of: 'models'; readonly db: string }
  | { readonly kind: 'mysql'; readonly of: 'model'; readonly db: string; readonly model: string }
  | { readonly kind: 'mysql'; readonly of: 'association'; readonly db: string; readonly model: string; readonly association: string }
  | { readonly kind: 'mysql'; readonly of: 'table'; readonly db: string; readonly table: string }
  | { readonly kind: 'mysql'; readonly of: 'column'; readonly db: string; readonly table: string; readonly column: string }
  | { readonly kind: 'mysql'; readonly of: 'indexes'; readonly db: string; readonly table: string }
  | { readonly kind: 'mysql'; readonly of: 'index'; readonly db: string; readonly table: string; readonly index: string }
  | { readonly kind: 'mysql'; readonly of: 'foreignKeys'; readonly db: string; readonly table: string }
  | { readonly kind: 'mysql'; readonly of: 'foreignKey'; readonly db: string; readonly table: string; readonly foreignKey: string }
  | { readonly kind: 'mysql'; readonly of: 'server' }
  | { readonly kind: 'mysql'; readonly of: 'serverView'; readonly view: 'processes' | 'status' | 'variables' }
  | { readonly kind: 'mysql'; readonly of: 'users' }
  | { readonly kind: 'mysql'; readonly of: 'user'; readonly user: string; readonly host: string }
  | { readonly kind: 'mysql'; readonly of: 'grant'; readonly user: string; readonly host: string; readonly index: number };

/** The server views below a Redis connection's Server row. */
export type RedisServerView = 'info' | 'slowlog' | 'clients' | 'memory';

export type RedisPlace =
  | { readonly kind: 'redis'; readonly of: 'db'; readonly db: number }
  | { readonly kind: 'redis'; readonly of: 'cluster' }
  | { readonly kind: 'redis'; readonly of: 'clusterNode'; readonly address: string }
  | { readonly kind: 'redis'; readonly of: 'server' }
  | { readonly kind: 'redis'; readonly of: 'serverView'; readonly view: RedisServerView }
  | { readonly kind: 'redis'; readonly of: 'infoSection'; readonly section: string }
  /** A figure of a server view (an INFO field, a slow log entry, a client, a memory stat), by its name there. */
  | { readonly kind: 'redis'; readonly of: 'stat'; readonly view: RedisServerView; readonly section?: string; readonly name: string };

export type MemcachedPlace =
  | { readonly kind: 'memcached'; readonly of: 'server'; readonly server: string }
  | { readonly kind: 'memcached'; readonly of: 'statGroup'; readonly server: string; readonly group: string }
  | { readonly kind: 'memcached'; readonly of: 'stat'; readonly server: string; readonly group: string; readonly name: string };


export type RabbitMqPlace =
  | { readonly kind: 'rabbitmq'; readonly of: 'noApi' }
  | { readonly kind: 'rabbitmq'; readonly of: 'vhost'; readonly vhost: string }
  | { readonly kind: 'rabbitmq'; readonly of: 'exchanges'; readonly vhost: string }
  | { readonly kind: 'rabbitmq'; readonly of: 'queues'; readonly vhost: string }
  | { readonly kind: 'rabbitmq'; readonly of: 'exchange'; readonly vhost: string; readonly exchange: string }
  | { readonly kind: 'rabbitmq'; readonly of: 'queue'; readonly vhost: string; readonly queue: string }
  /** A binding below the exchange it leaves (`out`) or the queue or exchange it leads to (`in`). */
  | { readonly kind: 'rabbitmq'; readonly of: 'binding'; readonly vhost: string; readonly direction: 'out' | 'in'; readonly binding: BindingSpec }
  | { readonly kind: 'rabbitmq'; readonly of: 'noBindings'; readonly vhost: string; readonly under: 'exchange' | 'queue'; readonly name: string };

export type SshPlace =
  | { readonly kind: 'ssh'; readonly of: 'fact'; readonly fact: 'system' | 'uptime' }
  | { readonly kind: 'ssh'; readonly of: 'dir'; readonly path: string }
  | { readonly kind: 'ssh'; readonly of: 'file'; readonly path: string }
  | { readonly kind: 'ssh'; readonly of: 'refused'; readonly path: string }
  | { readonly kind: 'ssh'; readonly of: 'forwards' }
  | { readonly kind: 'ssh'; readonly of: 'noForwards' }
  | { readonly kind: 'ssh'; readonly of: 'forward'; readonly forward: string };

export type Place = MySqlPlace | RedisPlace | MemcachedPlace | RabbitMqPlace | SshPlace;

/** The place of a row of one kind, or undefined for a row of another kind (or no row: the connection itself). */
export function placeOf<K extends Place['kind']>(kind: K, place: Place | undefined): Extract<Place, { kind: K }> | undefined {
  return place && isOfKind(kind, place) ? place : undefined;
}

function isOfKind<K extends Place['kind']>(kind: K, place: Place): place is Extract<Place, { kind: K }> {
  return place.kind === kind;
}

/** A place as text, the same whatever order its fields were written in: what tells two rows apart in the tree. */
export function placeKey(place: Place): string {
  return JSON.stringify(sortedKeys(place));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, item]) => [key, sortedKeys(item)]));
}
