import * as vscode from 'vscode';
import type { KeyRef } from '../drivers/redis/shapes';
import { RedisProfile } from '../drivers/types';
import { Log } from '../core/log';
import { SessionManager } from '../core/sessionManager';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { RedisStreamPanel } from '../panels/redisStream/redisStreamPanel';
import { profileFor } from './pickProfile';
import { redisTarget } from './redisCommands';

/** A key as another command or panel names it: its text, and its bytes in base64 when they are not UTF-8. */
function keyArg(arg: unknown): KeyRef | undefined {
  if (typeof arg === 'string' && arg) return { text: arg };
  if (typeof arg !== 'object' || arg === null || !('text' in arg) || typeof arg.text !== 'string') return undefined;
  if ('base64' in arg && typeof arg.base64 === 'string') return { text: arg.text, base64: arg.base64 };
  return { text: arg.text };
}

/** Consumer groups of a stream key: from the key browser (connection, database and key given) or the palette (asked). */
export function registerRedisStreamCommands(extensionUri: vscode.Uri, profiles: ConnectionCatalog, sessions: SessionManager, log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.redis.streamGroups', async (arg?: unknown, db?: unknown, key?: unknown) => {
      const found = redisTarget(arg);
      const profile = found?.profile ?? (await profileFor(arg, profiles, 'Consumer groups of a stream on…', (p) => p.kind === 'redis'));
      if (profile?.kind !== 'redis') return undefined;
      const database = found?.db ?? (typeof db === 'number' && Number.isInteger(db) && db >= 0 ? db : profile.db);
      const stream = keyArg(key) ?? (await askKey(profile, database));
      return stream ? RedisStreamPanel.show(extensionUri, log, profile, database, stream, sessions) : undefined;
    }),
  ];
}

async function askKey(profile: RedisProfile, db: number): Promise<KeyRef | undefined> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Consumer groups on {0} db{1}', profile.name, db),
    prompt: vscode.l10n.t('The stream key (a group can also be created on a key that does not exist yet, with MKSTREAM)'),
    validateInput: (value) => (value ? undefined : 'Name the stream key.'),
  });
  return text ? { text } : undefined;
}
