import * as vscode from 'vscode';
import { FieldSpec } from '../../drivers/form';
import { Kind } from '../../drivers/types';

/**
 * The connection form as the user reads it. The drivers describe their fields in English (they know nothing of
 * VS Code); the labels, help texts and the few worded placeholders are given here by field key, for every kind.
 */
interface Words {
  readonly label?: string;
  readonly help?: string;
  readonly placeholder?: string;
}

type Table = Readonly<Record<string, () => Words>>;

const COMMON: Table = {
  name: () => ({ label: vscode.l10n.t('Name'), placeholder: vscode.l10n.t('e.g. cache (staging)') }),
  group: () => ({ label: vscode.l10n.t('Group'), placeholder: vscode.l10n.t('optional, e.g. staging') }),
  host: () => ({ label: vscode.l10n.t('Host') }),
  port: () => ({ label: vscode.l10n.t('Port') }),
  username: () => ({ label: vscode.l10n.t('User') }),
  password: () => ({ label: vscode.l10n.t('Password') }),
  viaSsh: () => ({ label: vscode.l10n.t('Reach through SSH'), help: vscode.l10n.t('Dial the server through this SSH connection (a tunnel).') }),
  readOnly: () => ({ label: vscode.l10n.t('Read-only'), help: vscode.l10n.t('Refuse every write, enforced in the driver.') }),
};

const BY_KIND: Readonly<Record<Kind, Table>> = {
  redis: {
    username: () => ({ label: vscode.l10n.t('User (ACL)') }),
    db: () => ({ label: vscode.l10n.t('Database index') }),
    tls: () => ({ label: vscode.l10n.t('TLS (rediss)') }),
    caFile: () => ({ label: vscode.l10n.t('CA certificate (PEM file)'), help: vscode.l10n.t('With TLS, when the server\'s certificate is signed by your own CA.') }),
    cluster: () => ({ label: vscode.l10n.t('Redis Cluster'), help: vscode.l10n.t('Host and Port are one node; the others are found from it.') }),
    sentinels: () => ({ label: vscode.l10n.t('Sentinels'), help: vscode.l10n.t('Find the master through Sentinel; Host and Port above are then not used.') }),
    sentinelMaster: () => ({ label: vscode.l10n.t('Sentinel master name') }),
  },
  memcached: {
    servers: () => ({ label: vscode.l10n.t('Servers'), help: vscode.l10n.t('One server per line: host:port, optionally followed by a weight.') }),
    mapping: () => ({ label: vscode.l10n.t('Key to server mapping'), help: vscode.l10n.t('Pick the mapping of the clients that write this pool, so keys are read from the server that holds them.') }),
    username: () => ({ label: vscode.l10n.t('User'), help: vscode.l10n.t('Only for servers started with an auth file (-Y).') }),
  },
  rabbitmq: {
    vhost: () => ({ label: vscode.l10n.t('Virtual host') }),
    tls: () => ({ label: vscode.l10n.t('TLS (amqps)') }),
    caFile: () => ({ label: vscode.l10n.t('CA certificate (PEM file)'), help: vscode.l10n.t('With TLS, when the broker\'s certificate is signed by your own CA.') }),
    otherHosts: () => ({ label: vscode.l10n.t('Other cluster nodes'), help: vscode.l10n.t('Tried in order when the host above does not answer.') }),
    managementUrl: () => ({ label: vscode.l10n.t('Management API URL'), help: vscode.l10n.t('Lists vhosts, exchanges, queues and bindings. Without it, only named queues and exchanges.') }),
  },
  mysql: {
    database: () => ({ label: vscode.l10n.t('Database'), placeholder: vscode.l10n.t('optional') }),
    tls: () => ({ label: vscode.l10n.t('TLS') }),
    caFile: () => ({ label: vscode.l10n.t('CA certificate (PEM file)'), help: vscode.l10n.t('With TLS, when the server\'s certificate is signed by your own CA.') }),
    certFile: () => ({ label: vscode.l10n.t('Client certificate (PEM file)'), help: vscode.l10n.t('With TLS, for a user created REQUIRE X509 (or SUBJECT / ISSUER).') }),
    keyFile: () => ({ label: vscode.l10n.t('Client key (PEM file)') }),
    passphrase: () => ({ label: vscode.l10n.t('Client key passphrase'), help: vscode.l10n.t('When the key file is encrypted.') }),
  },
  ssh: {
    password: () => ({ label: vscode.l10n.t('Password'), help: vscode.l10n.t('Leave empty to log in with a key or the agent.') }),
    keyFile: () => ({ label: vscode.l10n.t('Private key file') }),
    passphrase: () => ({ label: vscode.l10n.t('Key passphrase') }),
    useAgent: () => ({ label: vscode.l10n.t('Use ssh-agent') }),
    jumpHost: () => ({ label: vscode.l10n.t('Jump host (ProxyJump)') }),
    forwards: () => ({ label: vscode.l10n.t('Port forwards'), help: vscode.l10n.t('One per line: localPort:remoteHost:remotePort, started and stopped from the tree.') }),
    snippets: () => ({ label: vscode.l10n.t('Saved commands'), help: vscode.l10n.t('One per line, offered by "{0}".', vscode.l10n.t('Run Command on Host')) }),
  },
};

const MAPPINGS: Readonly<Record<string, () => string>> = {
  memjs: () => vscode.l10n.t('memjs default (hash modulo server count)'),
  ketama: () => vscode.l10n.t('Consistent hashing (ketama, libmemcached-compatible)'),
  python: () => vscode.l10n.t('python-memcached (CRC32 modulo, servers repeated by weight)'),
};

const KIND_TITLES: Readonly<Record<Kind, () => string>> = {
  redis: () => 'Redis',
  memcached: () => 'Memcached',
  rabbitmq: () => 'RabbitMQ',
  mysql: () => 'MySQL / MariaDB',
  ssh: () => vscode.l10n.t('SSH host'),
};

export function kindTitle(kind: Kind): string {
  return KIND_TITLES[kind]();
}

/** A kind's fields with their texts in the user's language; a field not worded here keeps the driver's text. */
export function wordFields(kind: Kind, fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.map((field) => {
    const words = (BY_KIND[kind][field.key] ?? COMMON[field.key])?.() ?? {};
    const options = field.options?.map((option) => ({ value: option.value, label: MAPPINGS[option.value]?.() ?? option.label }));
    return {
      ...field,
      ...(words.label !== undefined ? { label: words.label } : {}),
      ...(field.help !== undefined && words.help !== undefined ? { help: words.help } : {}),
      ...(field.placeholder !== undefined && words.placeholder !== undefined ? { placeholder: words.placeholder } : {}),
      ...(options ? { options } : {}),
    };
  });
}

/** The form's checks worded: the drivers' few shared phrasings, by what they say, with the field's worded label. */
export function wordFieldErrors(kind: Kind, fields: readonly FieldSpec[], errors: Readonly<Record<string, string>>): Record<string, string> {
  const worded = wordFields(kind, fields);
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    const english = fields.find((f) => f.key === key)?.label;
    const label = worded.find((f) => f.key === key)?.label ?? key;
    const range = /^(.+) must be a whole number from (-?\d+) to (-?\d+)\.$/.exec(message);
    if (english !== undefined && message === `${english} is required.`) out[key] = vscode.l10n.t('{0} is required.', label);
    else if (message === 'Port must be a whole number from 1 to 65535.') out[key] = vscode.l10n.t('Port must be a whole number from 1 to 65535.');
    else if (range) out[key] = vscode.l10n.t('{0} must be a whole number from {1} to {2}.', label, range[2] ?? '', range[3] ?? '');
    else if (message === 'List at least one server.') out[key] = vscode.l10n.t('List at least one server.');
    else if (message === 'A host cannot be its own jump host.') out[key] = vscode.l10n.t('A host cannot be its own jump host.');
    else if (message === 'Give the master name the Sentinels monitor.') out[key] = vscode.l10n.t('Give the master name the Sentinels monitor.');
    else if (message === 'A connection goes through Sentinel or to a cluster, not both.') out[key] = vscode.l10n.t('A connection goes through Sentinel or to a cluster, not both.');
    else out[key] = message;
  }
  return out;
}
