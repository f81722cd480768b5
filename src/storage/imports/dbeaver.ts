import * as l10n from '@vscode/l10n';
import { userInfo } from 'node:os';
import { decoded, FormValues } from '../../drivers/form';
import { flag, ImportCollector, ImportReport, isObject, Json, object, SECRET_NAMES, text } from './importReport';

/**
 * DBeaver's data-sources.json (DataSourceSerializerModern): {folders, connections: {<id>: {provider, driver, name,
 * folder, read-only, configuration: {host, port, database, url, handlers}}}}. User names and passwords are normally
 * in credentials-config.json beside it, encrypted, and not read here; a file written by a "secure" configuration
 * manager (or an old version) has them in configuration.credentials or configuration.user/password instead. The SSH
 * tunnel is the handler ssh_tunnel: properties host, port, authType (PASSWORD, PUBLIC_KEY, AGENT), keyPath, and jump
 * servers jumpServer0.host / .port / .name / .authType / .keyPath, first hop first.
 */

const TOOL = 'DBeaver';
const MYSQL_PROVIDERS = new Set(['mysql', 'mariadb']);
const MAX_JUMP_SERVERS = 5;
const WORDS = {
  notMySql: (provider: string) => (provider ? l10n.t('it is a {0} connection; only MySQL and MariaDB are imported from DBeaver', provider) : l10n.t('it is not a MySQL connection; only MySQL and MariaDB are imported from DBeaver')),
  user: (user: string) => l10n.t('DBeaver keeps its user name in the encrypted credentials-config.json, which is not read: the user was set to {0}, as the mysql client would', user),
  sshUser: (user: string) => l10n.t('the SSH user name is in DBeaver\'s encrypted credentials: it was set to {0}', user),
  sshKeyValue: () => l10n.t('its SSH key is stored inside DBeaver, not as a file: pick your key file in the SSH connection'),
  sslCa: () => l10n.t('TLS is on; its CA and client certificate files are not used (Switchboard verifies MySQL servers against the system CAs)'),
  proxy: (handler: string) => l10n.t('its network handler "{0}" is not supported, so it connects without it', handler),
  notDataSources: () => l10n.t('This is not a DBeaver data-sources.json (no "connections" object).'),
};

export function isDbeaverDataSources(parsed: unknown): boolean {
  return isObject(parsed) && isObject(parsed['connections']) && Object.values(parsed['connections']).every((c) => isObject(c) && 'provider' in c && 'configuration' in c);
}

export function importDbeaver(parsed: unknown, defaultUser = userInfo().username): ImportReport {
  if (!isDbeaverDataSources(parsed)) throw new Error(WORDS.notDataSources());
  const collector = new ImportCollector(TOOL, 'dbeaver');
  for (const [id, entry] of Object.entries(object(object(parsed)['connections']))) {
    if (!isObject(entry)) continue;
    const name = text(entry['name']) || id;
    const provider = text(entry['provider']).toLowerCase();
    if (!MYSQL_PROVIDERS.has(provider) && !/^(mysql|mariadb)/i.test(text(entry['driver']))) {
      collector.skip(name, WORDS.notMySql(provider));
      continue;
    }
    readEntry(collector, id, name, entry, defaultUser);
  }
  return collector.report();
}

function readEntry(collector: ImportCollector, id: string, name: string, entry: Json, defaultUser: string): void {
  const config = object(entry['configuration']);
  const credentials = object(config['credentials']);
  collector.leftOut(name, SECRET_NAMES.password(), config['password'] ?? credentials['password']);
  const fromUrl = jdbcAddress(text(config['url']));
  let username = text(config['user']) || text(credentials['user']);
  if (!username) {
    username = defaultUser;
    collector.note(name, WORDS.user(defaultUser));
  }
  const group = text(entry['folder']);
  const values: FormValues = {
    host: text(config['host']) || fromUrl.host,
    port: text(config['port']) || fromUrl.port || '3306',
    database: text(config['database']) || fromUrl.database,
    username,
    group,
    readOnly: flag(entry['read-only']),
  };
  for (const [handlerId, handler] of Object.entries(object(config['handlers']))) {
    if (!isObject(handler) || !flag(handler['enabled'])) continue;
    if (handlerId === 'mysql_ssl') {
      values['tls'] = true;
      collector.note(name, WORDS.sslCa());
    } else if (handlerId === 'ssh_tunnel') {
      const carrier = tunnel(collector, name, handler, group, defaultUser);
      if (!carrier) return;
      values['viaSsh'] = carrier;
    } else {
      collector.note(name, WORDS.proxy(handlerId));
    }
  }
  collector.add('mysql', collector.idFor(id), name, values);
}

/** The SSH profile chain of an ssh_tunnel handler: its jump servers in order, then the tunnel host itself. */
function tunnel(collector: ImportCollector, name: string, handler: Json, group: string, defaultUser: string): string | undefined {
  const properties = object(handler['properties']);
  const handlerCredentials = object(handler['credentials']);
  collector.leftOut(name, SECRET_NAMES.sshPassword(), handler['password'] ?? handlerCredentials['password']);
  let previous: string | undefined;
  for (let index = 0; index < MAX_JUMP_SERVERS && flag(properties[`jumpServer${index}.enabled`]); index++) {
    const prefix = `jumpServer${index}.`;
    previous = hop(collector, name, properties, prefix, text(properties[`${prefix}name`]), previous, group, defaultUser);
    if (!previous) return undefined;
  }
  return hop(collector, name, properties, '', text(handler['user']) || text(handlerCredentials['user']), previous, group, defaultUser);
}

function hop(collector: ImportCollector, name: string, properties: Json, prefix: string, user: string, jumpHost: string | undefined, group: string, defaultUser: string): string | undefined {
  const authType = text(properties[`${prefix}authType`]).toUpperCase() || 'PASSWORD';
  const keyFile = authType === 'PUBLIC_KEY' ? text(properties[`${prefix}keyPath`]) : '';
  if (authType === 'PUBLIC_KEY' && !keyFile) collector.note(name, WORDS.sshKeyValue());
  if (!user) collector.note(name, WORDS.sshUser(defaultUser));
  return collector.carrier(name, {
    host: text(properties[`${prefix}host`]), port: text(properties[`${prefix}port`]) || '22', username: user || defaultUser, useAgent: authType === 'AGENT', group,
    ...(keyFile ? { keyFile } : {}), ...(jumpHost ? { jumpHost } : {}),
  });
}

/** Host, port and database of a jdbc:mysql:// or jdbc:mariadb:// URL, for entries that keep only the URL. */
function jdbcAddress(url: string): { host: string; port: string; database: string } {
  const match = /^jdbc:(?:mysql|mariadb):\/\/(\[[^\]]+\]|[^:/?,]+)(?::(\d+))?(?:\/([^?;]*))?/i.exec(url);
  return { host: match?.[1]?.replace(/^\[(.*)\]$/, '$1') ?? '', port: match?.[2] ?? '', database: decoded(match?.[3] ?? '') };
}
