import * as l10n from '@vscode/l10n';
import { userInfo } from 'node:os';
import { FormValues } from '../../drivers/form';
import { flag, ImportCollector, ImportReport, isObject, Json, object, SECRET_NAMES, text } from './importReport';

/**
 * Another Redis Desktop Manager's "Export" (connections.ano): base64 of UTF-8 JSON, either {connections, groups}
 * or, from older versions, the plain list of connections. A connection has host, port (often a string), auth (the
 * password), username, name, separator, cluster, connectionReadOnly, groupId, and optional sshOptions (host, port,
 * username, password, privatekey as a file path, passphrase), sslOptions (key, cert, ca as file paths, servername) and
 * sentinelOptions (masterName, nodePassword); with sentinelOptions, host and port are the Sentinel's.
 */

const TOOL = 'Another Redis Desktop Manager';
const WORDS = {
  nodePassword: () => l10n.t('Redis node password (behind the Sentinel)'),
  clientCert: () => l10n.t('TLS client certificates are not supported, so the key and certificate files were not imported'),
  servername: (name: string) => l10n.t('the TLS server name (SNI) "{0}" is not used; Switchboard sends the host name', name),
  separator: (separator: string) => l10n.t('its key separator "{0}" is not kept per connection: set switchboard.redis.keyDelimiter', separator),
  notAnExport: () => l10n.t('This is not an Another Redis Desktop Manager export.'),
};

/** The connection list of an .ano file's text (base64 or, if someone decoded it, the JSON itself), or undefined. */
export function parseArdmFile(fileText: string): unknown {
  const trimmed = fileText.trim();
  const candidates = [trimmed];
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) candidates.unshift(Buffer.from(trimmed, 'base64').toString('utf8'));
  for (const candidate of candidates) {
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (isArdmBundle(parsed)) return parsed;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** {connections, groups} as ARDM writes it now, or a non-empty plain list as it wrote before. */
function isArdmBundle(parsed: unknown): boolean {
  const list = isObject(parsed) ? (Array.isArray(parsed['groups']) ? parsed['connections'] : undefined) : Array.isArray(parsed) && parsed.length ? parsed : undefined;
  return Array.isArray(list) && list.every((c) => isObject(c) && ('auth' in c || 'separator' in c || 'sshOptions' in c || 'sentinelOptions' in c) && 'host' in c);
}

export function importArdm(parsed: unknown, defaultUser = userInfo().username): ImportReport {
  if (!isArdmBundle(parsed)) throw new Error(WORDS.notAnExport());
  const bundle = isObject(parsed) ? parsed : { connections: parsed };
  const connections = Array.isArray(bundle['connections']) ? bundle['connections'] : [];
  const groups = new Map<string, string>();
  for (const group of Array.isArray(bundle['groups']) ? bundle['groups'] : []) {
    if (isObject(group) && text(group['id']) && text(group['name'])) groups.set(text(group['id']), text(group['name']));
  }
  const collector = new ImportCollector(TOOL, 'ardm');
  connections.forEach((entry: unknown, index: number) => {
    if (!isObject(entry)) return collector.skip(l10n.t('(unnamed)'));
    const host = text(entry['host']) || '127.0.0.1';
    const port = text(entry['port']) || '6379';
    // ARDM's own fallback name.
    const name = text(entry['name']) || `${host}@${port}`;
    readEntry(collector, entry, { name, host, port, group: groups.get(text(entry['groupId'])) ?? '', sourceId: text(entry['key']) || `${index}-${host}-${port}`, defaultUser });
  });
  return collector.report();
}

interface EntryFacts {
  readonly name: string;
  readonly host: string;
  readonly port: string;
  readonly group: string;
  readonly sourceId: string;
  readonly defaultUser: string;
}

function readEntry(collector: ImportCollector, entry: Json, { name, host, port, group, sourceId, defaultUser }: EntryFacts): void {
  collector.leftOut(name, SECRET_NAMES.password(), entry['auth']);
  const values: FormValues = { host, port, username: text(entry['username']), group, readOnly: flag(entry['connectionReadOnly']), cluster: flag(entry['cluster']) };
  const separator = typeof entry['separator'] === 'string' ? entry['separator'] : ':';
  if (separator !== ':') collector.note(name, WORDS.separator(separator));
  if (isObject(entry['sentinelOptions'])) {
    const sentinel = entry['sentinelOptions'];
    values['sentinels'] = `${host}:${port}`;
    values['sentinelMaster'] = text(sentinel['masterName']);
    collector.leftOut(name, WORDS.nodePassword(), sentinel['nodePassword']);
  }
  if (isObject(entry['sslOptions'])) {
    const ssl = entry['sslOptions'];
    values['tls'] = true;
    values['caFile'] = text(ssl['ca']);
    if (text(ssl['key']) || text(ssl['cert'])) collector.note(name, WORDS.clientCert());
    if (text(ssl['servername'])) collector.note(name, WORDS.servername(text(ssl['servername'])));
  }
  if (isObject(entry['sshOptions']) && text(entry['sshOptions']['host'])) {
    const ssh = object(entry['sshOptions']);
    collector.leftOut(name, SECRET_NAMES.sshPassword(), ssh['password']);
    collector.leftOut(name, SECRET_NAMES.sshPassphrase(), ssh['passphrase']);
    const keyFile = text(ssh['privatekey']);
    const carrier = collector.carrier(name, { host: text(ssh['host']), port: text(ssh['port']) || '22', username: text(ssh['username']) || defaultUser, useAgent: false, group, ...(keyFile ? { keyFile } : {}) });
    if (!carrier) return;
    values['viaSsh'] = carrier;
  }
  collector.add('redis', collector.idFor(sourceId), name, values);
}
