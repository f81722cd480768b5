import * as l10n from '@vscode/l10n';
import { userInfo } from 'node:os';
import { FormValues } from '../../drivers/form';
import { flag, ImportCollector, ImportReport, isObject, Json, object, SECRET_NAMES, text } from './importReport';

/**
 * RedisInsight's "Export" of databases: a JSON array of its database records (ExportDatabase in its API), with
 * passwords, the sentinel master's password and the SSH password, passphrase and private key only when "export
 * passwords" was ticked. connectionType is STANDALONE, CLUSTER or SENTINEL; for SENTINEL, host and port are a
 * Sentinel's and sentinelMaster names the master. CA and client certificates travel as PEM text, not as files.
 */

const TOOL = 'RedisInsight';
const WORDS = {
  masterPassword: () => l10n.t('Sentinel master password'),
  sshPrivateKey: () => l10n.t('SSH private key (RedisInsight keeps the key itself, not a file: pick your key file in the SSH connection)'),
  caCert: (name: string) => l10n.t('TLS CA certificate "{0}" is kept by RedisInsight as text: save it as a PEM file and set it as the connection\'s CA certificate', name),
  clientCert: () => l10n.t('TLS client certificates are not supported, so it was not imported'),
  noVerify: () => l10n.t('RedisInsight did not verify the server certificate; Switchboard does'),
  servername: (name: string) => l10n.t('the TLS server name (SNI) "{0}" is not used; Switchboard sends the host name', name),
  sentinelUser: () => l10n.t('the Sentinel master\'s user name is not used: the connection logs in with its own user'),
  notAList: () => l10n.t('This is not a RedisInsight export (a JSON list of databases).'),
};

/** Whether a parsed JSON document looks like a RedisInsight export. */
export function isRedisInsightExport(parsed: unknown): boolean {
  return Array.isArray(parsed) && parsed.length > 0 && parsed.every((entry) => isObject(entry) && 'host' in entry && 'connectionType' in entry);
}

export function importRedisInsight(parsed: unknown, defaultUser = userInfo().username): ImportReport {
  if (!Array.isArray(parsed)) throw new Error(WORDS.notAList());
  const collector = new ImportCollector(TOOL, 'redisinsight');
  for (const entry of parsed) {
    if (!isObject(entry)) {
      collector.skip(l10n.t('(unnamed)'));
      continue;
    }
    const host = text(entry['host']);
    const port = text(entry['port']) || '6379';
    const name = text(entry['name']) || `${host}:${port}`;
    readEntry(collector, entry, name, host, port, defaultUser);
  }
  return collector.report();
}

function readEntry(collector: ImportCollector, entry: Json, name: string, host: string, port: string, defaultUser: string): void {
  collector.leftOut(name, SECRET_NAMES.password(), entry['password']);
  const values: FormValues = { host, port, username: text(entry['username']), db: text(entry['db']) || '0', tls: flag(entry['tls']) };
  const type = text(entry['connectionType']).toUpperCase();
  const sentinel = object(entry['sentinelMaster']);
  if (type === 'SENTINEL' || text(sentinel['name'])) {
    values['sentinels'] = `${host}:${port}`;
    values['sentinelMaster'] = text(sentinel['name']);
    collector.leftOut(name, WORDS.masterPassword(), sentinel['password']);
    if (text(sentinel['username'])) collector.note(name, WORDS.sentinelUser());
  } else if (type === 'CLUSTER' && !flag(entry['forceStandalone'])) {
    values['cluster'] = true;
  }
  const ca = object(entry['caCert']);
  if (values['tls'] === true && (text(ca['certificate']) || text(ca['name']))) collector.note(name, WORDS.caCert(text(ca['name']) || 'CA'));
  if (isObject(entry['clientCert'])) collector.note(name, WORDS.clientCert());
  if (values['tls'] === true && entry['verifyServerCert'] === false) collector.note(name, WORDS.noVerify());
  if (text(entry['tlsServername'])) collector.note(name, WORDS.servername(text(entry['tlsServername'])));
  if (flag(entry['ssh']) || isObject(entry['sshOptions'])) {
    const ssh = object(entry['sshOptions']);
    collector.leftOut(name, SECRET_NAMES.sshPassword(), ssh['password']);
    collector.leftOut(name, SECRET_NAMES.sshPassphrase(), ssh['passphrase']);
    collector.leftOut(name, WORDS.sshPrivateKey(), ssh['privateKey']);
    const carrier = collector.carrier(name, { host: text(ssh['host']), port: text(ssh['port']) || '22', username: text(ssh['username']) || defaultUser, useAgent: false });
    if (!carrier) return;
    values['viaSsh'] = carrier;
  }
  collector.add('redis', collector.idFor(text(entry['id']) || `${host}:${port}:${name}`), name, values);
}
