import { Kind } from '../../drivers/types';

/**
 * The fields an entry of a workspace connection file may have, per kind, with their JSON types: the profile shape of
 * Switchboard's export file, plus a pinned host key for SSH. It is an allow-list: any other field refuses the entry,
 * so a secret cannot ride in under another spelling. media/switchboard.schema.json describes the same fields for
 * the editor (a unit test holds the two together).
 */
export type FieldType = 'string' | 'integer' | 'boolean' | 'strings' | 'forwards' | 'servers';

const COMMON: Readonly<Record<string, FieldType>> = { id: 'string', name: 'string', kind: 'string', group: 'string', readOnly: 'boolean', viaSsh: 'string' };

export const ENTRY_FIELDS: { readonly [K in Kind]: Readonly<Record<string, FieldType>> } = {
  redis: { ...COMMON, host: 'string', port: 'integer', username: 'string', tls: 'boolean', db: 'integer', caFile: 'string', sentinels: 'strings', sentinelMaster: 'string', cluster: 'boolean' },
  memcached: { ...COMMON, servers: 'servers', username: 'string', mapping: 'string' },
  rabbitmq: { ...COMMON, host: 'string', port: 'integer', username: 'string', vhost: 'string', tls: 'boolean', managementUrl: 'string', otherHosts: 'strings', caFile: 'string' },
  mysql: { ...COMMON, host: 'string', port: 'integer', username: 'string', database: 'string', tls: 'boolean', caFile: 'string' },
  ssh: { ...COMMON, host: 'string', port: 'integer', username: 'string', keyFile: 'string', useAgent: 'boolean', jumpHost: 'string', snippets: 'strings', forwards: 'forwards', hostKey: 'string' },
};

/** Fields that name a secret: refused with their own message, their value never read. */
export const SECRET_FIELDS: readonly string[] = ['password', 'passphrase'];

/** Fields holding a local file path: relative ones are read from the workspace folder. */
export const PATH_FIELDS: readonly string[] = ['caFile', 'keyFile'];

/** Fields naming another entry of the same file. */
export const LINK_FIELDS: readonly string[] = ['viaSsh', 'jumpHost'];

/** Top-level fields of the file. */
export const FILE_FIELDS: readonly string[] = ['$schema', 'format', 'version', 'profiles'];

/** An entry's id: short, safe in a URI authority and a SecretStorage key. */
export const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function isInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value);
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object with exactly the listed fields (the optional ones may be missing), each passing its check. */
function isShaped(value: unknown, checks: Readonly<Record<string, (field: unknown) => boolean>>, optional: readonly string[] = []): boolean {
  if (!isRecord(value)) return false;
  if (!Object.keys(value).every((key) => key in checks)) return false;
  return Object.entries(checks).every(([key, check]) => (key in value ? check(value[key]) : optional.includes(key)));
}

const isString = (value: unknown): boolean => typeof value === 'string';

/** Whether a JSON value has the type a field needs. */
export function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return isString(value);
    case 'integer':
      return isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'strings':
      return Array.isArray(value) && value.every(isString);
    case 'forwards':
      return Array.isArray(value) && value.every((item) => isShaped(item, { localPort: isInteger, remoteHost: isString, remotePort: isInteger }));
    case 'servers':
      return Array.isArray(value) && value.every((item) => isShaped(item, { host: isString, port: isInteger, weight: isInteger }, ['weight']));
  }
}

export const TYPE_WORDS: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  integer: 'a whole number',
  boolean: 'true or false',
  strings: 'a list of strings',
  forwards: 'a list of { "localPort", "remoteHost", "remotePort" }',
  servers: 'a list of { "host", "port", "weight" }',
};
