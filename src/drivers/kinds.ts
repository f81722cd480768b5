import { Kind, KINDS, Profile, ProfileOf, SecretName } from './types';
import { COMMON_FIELDS, FieldSpec, FormResult, FormValues, ParsedUrl, TRAILING_FIELDS } from './form';
import { parseRedisUrl, redisFields, redisProfile, redisValues } from './redis/form';
import { memcachedFields, memcachedProfile, memcachedValues, parseServerList } from './memcached/form';
import { parseAmqpUrl, rabbitMqFields, rabbitMqProfile, rabbitMqValues } from './rabbitmq/form';
import { mySqlFields, mySqlProfile, mySqlValues, parseMySqlUrl } from './mysql/form';
import { parseSshAddress, sshFields, sshProfile, sshValues } from './ssh/form';

/** What the rest of Switchboard knows about a kind without loading its client library. */
export interface KindInfo<K extends Kind = Kind> {
  readonly kind: K;
  readonly title: string;
  /** A codicon id. */
  readonly icon: string;
  readonly fields: readonly FieldSpec[];
  /** Which secrets the form collects (saved to SecretStorage, never into the profile). */
  readonly secretFields: readonly SecretName[];
  toProfile(id: string, values: FormValues): { profile: ProfileOf<K>; errors: Record<string, string> };
  toValues(profile: ProfileOf<K>): FormValues;
  /** "host:port" or a list of them, for labels and messages. */
  address(profile: ProfileOf<K>): string;
}

const hostPort = (p: { host: string; port: number }): string => `${p.host}:${p.port}`;

export const KIND_INFO: { readonly [K in Kind]: KindInfo<K> } = {
  redis: { kind: 'redis', title: 'Redis', icon: 'database', fields: redisFields, secretFields: ['password', 'passphrase', 'sentinelPassword'], toProfile: redisProfile, toValues: redisValues, address: hostPort },
  memcached: {
    kind: 'memcached', title: 'Memcached', icon: 'layers', fields: memcachedFields, secretFields: ['password'], toProfile: memcachedProfile, toValues: memcachedValues,
    address: (p) => p.servers.map(hostPort).join(', '),
  },
  rabbitmq: { kind: 'rabbitmq', title: 'RabbitMQ', icon: 'mail', fields: rabbitMqFields, secretFields: ['password'], toProfile: rabbitMqProfile, toValues: rabbitMqValues, address: hostPort },
  mysql: { kind: 'mysql', title: 'MySQL / MariaDB', icon: 'table', fields: mySqlFields, secretFields: ['password'], toProfile: mySqlProfile, toValues: mySqlValues, address: hostPort },
  ssh: { kind: 'ssh', title: 'SSH host', icon: 'terminal', fields: sshFields, secretFields: ['password', 'passphrase'], toProfile: sshProfile, toValues: sshValues, address: hostPort },
};

export function kindInfo<K extends Kind>(kind: K): KindInfo<K> {
  return KIND_INFO[kind];
}

/** Every field of a kind's form, in order: name and group, the kind's own, then tunnel and read-only. */
export function formFields(kind: Kind): FieldSpec[] {
  return [...COMMON_FIELDS, ...KIND_INFO[kind].fields, ...TRAILING_FIELDS];
}

export function profileFromValues(kind: Kind, id: string, values: FormValues): FormResult {
  const { profile, errors } = (KIND_INFO[kind] as KindInfo).toProfile(id, values);
  return Object.keys(errors).length > 0 ? { errors } : { profile, errors };
}

export function valuesFromProfile(profile: Profile): FormValues {
  return (KIND_INFO[profile.kind] as KindInfo).toValues(profile as never);
}

export function addressOf(profile: Profile): string {
  return (KIND_INFO[profile.kind] as KindInfo).address(profile as never);
}

const URL_KINDS: Record<string, Kind> = { 'redis:': 'redis', 'rediss:': 'redis', 'amqp:': 'rabbitmq', 'amqps:': 'rabbitmq', 'mysql:': 'mysql', 'mariadb:': 'mysql' };

/**
 * Reads a pasted address: redis://, rediss://, amqp://, amqps://, mysql:// URLs, user@host:port for SSH,
 * host:port[,host:port] (or memcached://...) for Memcached. Undefined when it is none of these.
 */
export function parseConnectionUrl(text: string): ParsedUrl | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme && URL_KINDS[scheme]) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (!url.hostname) return undefined;
    const kind = URL_KINDS[scheme]!;
    const values = kind === 'redis' ? parseRedisUrl(url) : kind === 'rabbitmq' ? parseAmqpUrl(url) : parseMySqlUrl(url);
    return { kind, values };
  }
  if (scheme === 'ssh:' || (!scheme && trimmed.includes('@'))) {
    const values = parseSshAddress(trimmed);
    return values ? { kind: 'ssh', values } : undefined;
  }
  const list = scheme === 'memcached:' ? trimmed.slice('memcached://'.length) : scheme ? undefined : trimmed;
  // Without a scheme only host:port entries count, so a bare host name is not mistaken for a pool.
  if (list === undefined || (!scheme && !/:\d+/.test(list))) return undefined;
  const parsed = parseServerList(list);
  if (parsed.error || parsed.servers.length === 0) return undefined;
  return { kind: 'memcached', values: { servers: parsed.servers.map((s) => `${s.host}:${s.port}${s.weight !== 1 ? ` ${s.weight}` : ''}`).join('\n') } };
}

/** Whether a stored or imported value has the shape of a profile (its fields are then checked by its kind's form). */
export function isProfile(value: unknown): value is Profile {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['id'] === 'string' && typeof record['name'] === 'string' && (KINDS as readonly unknown[]).includes(record['kind']);
}
