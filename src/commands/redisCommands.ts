import * as vscode from 'vscode';
import { createReadStream, createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RedisSession } from '../drivers/redis';
import { Log } from '../core/log';
import { RedisProfile } from '../drivers/types';
import { SessionManager } from '../core/sessionManager';
import { ProfileStore } from '../storage/profileStore';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { RedisBrowserPanel } from '../panels/redisBrowser/redisBrowserPanel';
import { profileFor } from './pickProfile';
import { RedisCli } from '../terminals/redisCli';
import { RedisPubSubPanel } from '../panels/redisPubSub/redisPubSubPanel';

const isRedis = (p: { kind: string } | undefined): p is RedisProfile => p?.kind === 'redis';

/** The database a Redis row stands for: a db row's own, or the connection's. */
export function redisTarget(arg: unknown): { profile: RedisProfile; db: number } | undefined {
  if (!(arg instanceof BrowseItemNode) || !isRedis(arg.profile) || arg.node.path[0] !== 'db') return undefined;
  return { profile: arg.profile, db: Number(arg.node.path[1]) };
}

/** The Redis key browser, console, and export / import as JSON lines. */
export function registerRedisCommands(extensionUri: vscode.Uri, profiles: ProfileStore, sessions: SessionManager, log: Log): vscode.Disposable[] {
  const target = async (arg: unknown, placeHolder: string): Promise<{ profile: RedisProfile; db: number } | undefined> => {
    const found = redisTarget(arg);
    if (found) return found;
    const profile = await profileFor(arg, profiles, placeHolder, (p) => p.kind === 'redis');
    return isRedis(profile) ? { profile, db: profile.db } : undefined;
  };
  return [
    vscode.commands.registerCommand('switchboard.redis.browseKeys', async (arg?: unknown, db?: unknown) => {
      const target = redisTarget(arg);
      if (target) return RedisBrowserPanel.show(extensionUri, target.profile, target.db, sessions);
      const profile = await profileFor(arg, profiles, 'Browse the keys of…', (p) => p.kind === 'redis');
      return isRedis(profile) ? RedisBrowserPanel.show(extensionUri, profile, typeof db === 'number' ? db : profile.db, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.redis.openCli', async (arg?: unknown) => {
      const profile = redisTarget(arg)?.profile ?? (await profileFor(arg instanceof BrowseItemNode ? undefined : arg, profiles, 'Open a Redis console on…', (p) => p.kind === 'redis'));
      if (!isRedis(profile)) return undefined;
      const pty = new RedisCli(profile, sessions);
      const terminal = vscode.window.createTerminal({ name: `${profile.name}: redis`, pty, iconPath: new vscode.ThemeIcon('database') });
      terminal.show();
      return { terminal, pty };
    }),
    vscode.commands.registerCommand('switchboard.redis.pubsub', async (arg?: unknown) => {
      const where = await target(arg, 'Open Pub/Sub on…');
      return where ? new RedisPubSubPanel(extensionUri, where.profile, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.redis.exportKeys', async (arg?: unknown) => {
      const where = await target(arg, 'Export keys from…');
      if (!where) return undefined;
      const pattern = await vscode.window.showInputBox({ title: `Export keys from ${where.profile.name} db${where.db}`, prompt: 'Keys matching this pattern (SCAN MATCH)', value: '*' });
      if (pattern === undefined) return undefined;
      const file = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(homedir(), `${where.profile.name}-db${where.db}.jsonl`)), filters: { 'JSON lines': ['jsonl'] }, saveLabel: 'Export' });
      if (!file) return undefined;
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${pattern} from ${where.profile.name} db${where.db}`, cancellable: true }, async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        const out = createWriteStream(file.fsPath);
        const write = (line: string): Promise<void> => new Promise((resolve, reject) => (out.write(line, (e) => (e ? reject(e) : resolve()))));
        try {
          const session = (await sessions.session(where.profile)) as RedisSession;
          const count = await session.exportKeys(where.db, pattern, write, { signal: controller.signal, onProgress: (n) => n % 500 === 0 && progress.report({ message: `${n} keys` }) });
          void vscode.window.showInformationMessage(`${controller.signal.aborted ? 'Stopped after exporting' : 'Exported'} ${count} keys to ${file.fsPath}.`);
          return count;
        } catch (error) {
          log.report(`Exporting keys from ${where.profile.name}`, error);
          return undefined;
        } finally {
          await new Promise((resolve) => out.end(resolve));
        }
      });
    }),
    vscode.commands.registerCommand('switchboard.redis.importKeys', async (arg?: unknown) => {
      const where = await target(arg, 'Import keys into…');
      if (!where) return undefined;
      const [file] = (await vscode.window.showOpenDialog({ filters: { 'JSON lines': ['jsonl', 'json'] }, canSelectMany: false, openLabel: 'Import' })) ?? [];
      if (!file) return undefined;
      const mode = await vscode.window.showQuickPick([{ label: 'Keep existing keys', replace: false }, { label: 'Replace existing keys', replace: true }], { placeHolder: 'When a key already exists…' });
      if (!mode) return undefined;
      return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Importing into ${where.profile.name} db${where.db}`, cancellable: true }, async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        try {
          const session = (await sessions.session(where.profile)) as RedisSession;
          const lines = createInterface({ input: createReadStream(file.fsPath), crlfDelay: Infinity });
          const result = await session.importLines(where.db, lines, mode.replace, { signal: controller.signal, onProgress: (n) => n % 500 === 0 && progress.report({ message: `${n} keys` }) });
          void vscode.window.showInformationMessage(`Imported ${result.written} keys${result.kept ? `, kept ${result.kept} that already existed` : ''}.`);
          return result;
        } catch (error) {
          log.report(`Importing keys into ${where.profile.name}`, error);
          return undefined;
        }
      });
    }),
  ];
}
