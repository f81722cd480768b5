import * as vscode from 'vscode';
import { Kind } from '../drivers/types';

const SECTION = 'switchboard';

/** Reads a value of the expected type; undefined for anything else (a hand-edited settings.json can hold anything). */
type Read<T> = (value: unknown) => T | undefined;

const positive: Read<number> = (value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined);
const text: Read<string> = (value) => (typeof value === 'string' ? value : undefined);
const nonEmpty: Read<string> = (value) => (typeof value === 'string' && value !== '' ? value : undefined);
const flag: Read<boolean> = (value) => (typeof value === 'boolean' ? value : undefined);
const texts: Read<string[]> = (value) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined);

/**
 * One setting: its value where the user set it, else package.json's default (never repeated here). A setting that
 * decides where data goes or what is trusted is `userOnly`: a workspace's own value is ignored, so a folder someone
 * else wrote cannot redirect the audit log or point an import elsewhere.
 */
function setting<T>(key: string, read: Read<T>, userOnly = false): () => T {
  return () => {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect(key);
    const candidates = userOnly
      ? [inspected?.globalValue, inspected?.defaultValue]
      : [inspected?.workspaceFolderValue, inspected?.workspaceValue, inspected?.globalValue, inspected?.defaultValue];
    for (const candidate of candidates) {
      const value = read(candidate);
      if (value !== undefined) return value;
    }
    throw new Error(`The setting ${SECTION}.${key} has no usable value or default.`);
  };
}

/** Every Switchboard setting, typed, in one place (see package.json for what each means). */
export const config = {
  connectTimeoutMs: () => setting('connectTimeoutSeconds', positive)() * 1000,
  maxShownBytes: () => Math.max(1, setting('maxShownValueKB', positive)()) * 1024,
  sshConfigFile: setting('ssh.configFile', text, true),
  /** Hosts (`host` or `host:port`) whose SHA-1 `ssh-rsa` host-key signatures are accepted. */
  sshAllowSha1RsaHosts: setting('ssh.allowSha1RsaHosts', texts, true),
  syncKnownHostKeys: setting('sync.knownHostKeys', flag, true),
  sshAuditLog: () => setting('ssh.auditLog', text, true)().trim(),
  sshMaxEditorFileMB: setting('ssh.maxEditorFileMB', positive),
  memcachedListCap: setting('memcached.listCap', positive),
  redisMaxEditorValueMB: setting('redis.maxEditorValueMB', positive),
  redisKeyDelimiter: setting('redis.keyDelimiter', nonEmpty),
  mysqlMaxRows: setting('mysql.maxRows', positive),
  mysqlMaxResultBytes: () => setting('mysql.maxResultMB', positive)() * 1024 * 1024,
  mysqlScratchpadTimeoutMs: () => setting('mysql.scratchpadTimeoutSeconds', positive)() * 1000,
  replyTimeoutMs,
  mysqlHistoryLimit: setting('mysql.historyLimit', (value) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined)),
};

/** How long one operation may wait for the server's reply, for kinds that have such a setting. */
const REPLY_TIMEOUT_SETTINGS: Partial<Record<Kind, string>> = { mysql: 'mysql.queryTimeoutSeconds', redis: 'redis.commandTimeoutSeconds' };

export function replyTimeoutMs(kind: Kind): number | undefined {
  const key = REPLY_TIMEOUT_SETTINGS[kind];
  return key ? setting(key, positive)() * 1000 : undefined;
}

/** Calls `listener` when any Switchboard setting changes, with a test for which ones. */
export function onConfigChange(listener: (affects: (key: string) => boolean) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) listener((key) => event.affectsConfiguration(`${SECTION}.${key}`));
  });
}
