import * as vscode from 'vscode';
import { RedisProfile } from '../drivers/types';
import { SessionManager } from '../core/sessionManager';
import { ProfileStore } from '../storage/profileStore';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { RedisBrowserPanel } from '../panels/redisBrowser/redisBrowserPanel';
import { profileFor } from './pickProfile';
import { RedisCli } from '../terminals/redisCli';

const isRedis = (p: { kind: string } | undefined): p is RedisProfile => p?.kind === 'redis';

/** The database a Redis row stands for: a db row's own, or the connection's. */
export function redisTarget(arg: unknown): { profile: RedisProfile; db: number } | undefined {
  if (!(arg instanceof BrowseItemNode) || !isRedis(arg.profile) || arg.node.path[0] !== 'db') return undefined;
  return { profile: arg.profile, db: Number(arg.node.path[1]) };
}

/** The Redis key browser and console. */
export function registerRedisCommands(extensionUri: vscode.Uri, profiles: ProfileStore, sessions: SessionManager): vscode.Disposable[] {
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
  ];
}
