import * as vscode from 'vscode';
import { config } from '../core/config';
import { createHash } from 'node:crypto';
import type { RedisSession } from '../drivers/redis';
import type { Bytes, KeyRef } from '../drivers/redis/shapes';
import { displayBytes } from '../drivers/redis/keys';
import { messageOf } from '../drivers/errors';
import { notJsonObject } from '../drivers/format';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { SessionManager } from '../core/sessionManager';
import { boxed } from '../drivers/lineBreaks';

export const REDIS_SCHEME = 'switchboard-redis';

/**
 * switchboard-redis://<profile id>/<db>/<key>[?field64=<hash field bytes>]: binary keys travel as base64 in `b64`,
 * a hash field always as the base64 of its bytes, so a field is never confused with one whose text looks the same.
 */
export function redisValueUri(profileId: string, db: number, key: KeyRef, field?: Bytes): vscode.Uri {
  const query = new URLSearchParams();
  if (field !== undefined) query.set('field64', field.base64);
  if (key.base64 !== undefined) query.set('b64', key.base64);
  return vscode.Uri.from({ scheme: REDIS_SCHEME, authority: profileId, path: `/${db}/${key.text}`, query: query.toString() });
}

function parse(uri: vscode.Uri): { db: number; key: KeyRef; field?: Buffer } {
  const match = /^\/(\d+)\/(.*)$/s.exec(uri.path);
  if (!match) throw vscode.FileSystemError.FileNotFound(uri);
  const query = new URLSearchParams(uri.query);
  const b64 = query.get('b64');
  const field = query.get('field64');
  return { db: Number(match[1]), key: b64 !== null ? { text: match[2]!, base64: b64 } : { text: match[2]! }, ...(field !== null ? { field: Buffer.from(field, 'base64') } : {}) };
}

/** A content fingerprint as mtime: VS Code compares it before saving, so a value changed meanwhile is reported. */
/** A key, or a hash field of it, as messages name it. */
const valueName = (key: KeyRef, field: Buffer | undefined): string => (field !== undefined ? `${key.text} (${displayBytes(field).text})` : key.text);

const fingerprint = (data: Buffer): number => createHash('sha1').update(data).digest().readUInt32BE(0);

/**
 * A Redis string (or hash field) as an editor document. Saves are checked twice: VS Code's own mtime comparison and
 * a WATCH on the key, so a value someone else changed is reported instead of overwritten.
 */
export class RedisValueFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  /** What each open document was read as, for the save-time check. */
  private readonly read = new Map<string, Buffer>();

  constructor(private readonly profiles: ConnectionCatalog, private readonly sessions: SessionManager) {}

  private async session(uri: vscode.Uri): Promise<RedisSession> {
    const profile = this.profiles.get(uri.authority);
    if (profile?.kind !== 'redis') throw vscode.FileSystemError.Unavailable(vscode.l10n.t('No Redis connection with id {0}; it may have been deleted.', uri.authority));
    return this.sessions.session(profile);
  }

  private async load(uri: vscode.Uri): Promise<Buffer> {
    const { db, key, field } = parse(uri);
    const limitMb = config.redisMaxEditorValueMB();
    let value: Buffer | undefined;
    try {
      value = await (await this.session(uri)).readWhole(db, key, field, limitMb * 1024 * 1024);
    } catch (error) {
      throw vscode.FileSystemError.Unavailable(messageOf(error));
    }
    if (value === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    return value;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    // "/" and "/<db>" (and key names with slashes) read as folders, so VS Code can create files under them.
    if (/^\/(\d+\/?)?$/.test(uri.path) || uri.path.endsWith('/')) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const value = await this.load(uri);
    // An editor makes mixed line breaks one kind as it opens the document: such a value is opened read-only.
    const mixed = boxed(value.toString('utf8')).mixed;
    return { type: vscode.FileType.File, ctime: 0, mtime: fingerprint(value), size: value.length, ...(mixed ? { permissions: vscode.FilePermission.Readonly } : {}) };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  /** Folders are only a way of writing key names; there is nothing to create. */
  createDirectory(): void {
    return undefined;
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const value = await this.load(uri);
    this.read.set(uri.toString(), value);
    return value;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { db, key, field } = parse(uri);
    const session = await this.session(uri);
    const expected = this.read.get(uri.toString());
    const data = Buffer.from(content);
    // A value that was JSON stays JSON: a half-edited document is not written over it.
    const broken = expected !== undefined && notJsonObject(expected.toString('utf8')) === undefined ? notJsonObject(data.toString('utf8')) : undefined;
    if (broken !== undefined) {
      throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Not saved: {0} holds JSON and this text is not valid JSON ({1}). Fix it and save again; to store other text, edit the value in the key browser.', valueName(key, field), broken));
    }
    let result: 'saved' | 'conflict';
    try {
      result = field === undefined ? await session.saveString(db, key, data, expected) : await session.saveHashField(db, key, field, data, expected);
    } catch (error) {
      throw vscode.FileSystemError.NoPermissions(messageOf(error));
    }
    if (result === 'conflict') {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('{0} was changed by someone else since it was opened; nothing was written. Reopen it to see their version.', valueName(key, field)));
    }
    this.read.set(uri.toString(), data);
    this.changes.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Delete keys in the key browser.'));
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Rename keys in the key browser.'));
  }
}
