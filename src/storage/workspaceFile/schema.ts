import { formFields } from '../../drivers/kinds';
import { KEY_MAPPINGS } from '../../drivers/memcached/mappings';
import { Kind, KINDS } from '../../drivers/types';
import { ENTRY_FIELDS, ENTRY_ID, FieldType, SECRET_FIELDS } from './shape';

/**
 * The JSON Schema of .vscode/switchboard.json that VS Code uses for validation and completion while the file is
 * edited (media/switchboard.schema.json, contributed through jsonValidation). Built from the same allow-list the
 * parser enforces and worded from the connection forms, so the editor and Switchboard agree.
 */

const WORDS = {
  title: 'Switchboard connections shared in this workspace',
  file: 'Connections everyone who opens this workspace sees in Switchboard. No passwords: each person enters their own when connecting, and it is kept in their SecretStorage.',
  profiles: 'The connections, each with a stable "id".',
  id: 'A short stable name for this connection (letters, digits, ".", "_", "-"); each person\'s password for it is kept under it. Other entries link to it by this id.',
  kind: 'What this connection is.',
  link: 'The "id" of an SSH connection in this file to go through.',
  hostKey: 'Pin the SSH host key: a known_hosts line as ssh-keyscan prints it ("[host]:port ssh-ed25519 AAAA…") or just "ssh-ed25519 AAAA…". Only this key is accepted; any other is refused as a changed key.',
  path: 'A local file. "~/" is each person\'s home; a relative path is read from this workspace folder.',
  secret: 'No secrets in a shared file: remove this. Each person enters their own password when connecting; it is kept in their SecretStorage.',
  format: 'Optional; the value Switchboard\'s export writes.',
};

type JsonSchema = Readonly<Record<string, unknown>>;

function typeSchema(type: FieldType): JsonSchema {
  switch (type) {
    case 'string':
      return { type: 'string' };
    case 'integer':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'strings':
      return { type: 'array', items: { type: 'string' } };
    case 'forwards':
      return {
        type: 'array',
        items: { type: 'object', required: ['localPort', 'remoteHost', 'remotePort'], additionalProperties: false, properties: { localPort: { type: 'integer', minimum: 1, maximum: 65535 }, remoteHost: { type: 'string' }, remotePort: { type: 'integer', minimum: 1, maximum: 65535 } } },
      };
    case 'servers':
      return {
        type: 'array',
        items: { type: 'object', required: ['host', 'port'], additionalProperties: false, properties: { host: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 }, weight: { type: 'integer', minimum: 1 } } },
      };
  }
}

/** The schema of one field of a kind, described in the words of its connection form. */
function fieldSchema(kind: Kind, key: string, type: FieldType): JsonSchema {
  const spec = formFields(kind).find((field) => field.key === key);
  const description = key === 'id' ? WORDS.id : key === 'kind' ? WORDS.kind : key === 'hostKey' ? WORDS.hostKey : key === 'viaSsh' || key === 'jumpHost' ? WORDS.link
    : [spec?.label, spec?.help, key === 'caFile' || key === 'keyFile' ? WORDS.path : undefined].filter(Boolean).join('. ');
  const extra: Record<string, unknown> = {};
  if (key === 'port') Object.assign(extra, { minimum: 1, maximum: 65535 });
  if (key === 'id') extra['pattern'] = ENTRY_ID.source;
  if (key === 'kind') extra['const'] = kind;
  if (key === 'mapping') extra['enum'] = KEY_MAPPINGS.map((m) => m.value);
  return { ...typeSchema(type), ...extra, ...(description ? { description } : {}) };
}

function kindSchema(kind: Kind): JsonSchema {
  const properties = Object.fromEntries(Object.entries(ENTRY_FIELDS[kind]).map(([key, type]) => [key, fieldSchema(kind, key, type)]));
  for (const secret of SECRET_FIELDS) properties[secret] = { not: {}, errorMessage: WORDS.secret };
  return { if: { properties: { kind: { const: kind } }, required: ['kind'] }, then: { properties, additionalProperties: false } };
}

export function workspaceFileSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: WORDS.title,
    description: WORDS.file,
    type: 'object',
    additionalProperties: false,
    required: ['profiles'],
    properties: {
      $schema: { type: 'string' },
      format: { const: 'switchboard-profiles', description: WORDS.format },
      version: { const: 1, description: WORDS.format },
      profiles: {
        description: WORDS.profiles,
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'name', 'kind'],
          properties: {
            id: { type: 'string', pattern: ENTRY_ID.source, description: WORDS.id },
            name: { type: 'string', minLength: 1 },
            kind: { enum: [...KINDS], description: WORDS.kind },
          },
          allOf: KINDS.map(kindSchema),
          defaultSnippets: [
            { label: 'Redis', body: { id: '${1:cache}', name: '${2:Cache}', kind: 'redis', host: '${3:127.0.0.1}', port: 6379 } },
            { label: 'MySQL / MariaDB', body: { id: '${1:db}', name: '${2:Database}', kind: 'mysql', host: '${3:127.0.0.1}', port: 3306, username: '${4:app}' } },
            { label: 'SSH host', body: { id: '${1:bastion}', name: '${2:Bastion}', kind: 'ssh', host: '${3:bastion.example.com}', port: 22, username: '${4:deploy}', useAgent: true, hostKey: '${5:ssh-ed25519 AAAA…}' } },
          ],
        },
      },
    },
  };
}
