import * as vscode from 'vscode';
import { Log } from '../core/log';
import { isKind, RedisProfile } from '../drivers/types';
import { SessionManager } from '../core/sessionManager';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { profileFor } from './pickProfile';
import { redisTarget } from './redisCommands';
import { RedisMemoryPanel } from '../panels/redisMemory/redisMemoryPanel';
import { RedisProfilerPanel } from '../panels/redisProfiler/redisProfilerPanel';
import { RedisSlowLogPanel } from '../panels/redisSlowLog/redisSlowLogPanel';
import { RedisClientsPanel } from '../panels/redisClients/redisClientsPanel';


/** What a Redis server is doing and holding: memory analysis, the profiler, the slow log and the clients. */
export function registerRedisServerCommands(extensionUri: vscode.Uri, profiles: ConnectionCatalog, sessions: SessionManager, log: Log): vscode.Disposable[] {
  /** A db row's database, a connection's own, or (from the palette or another command) a profile id and database. */
  const target = async (arg: unknown, db: unknown, placeHolder: string): Promise<{ profile: RedisProfile; db: number } | undefined> => {
    const found = redisTarget(arg);
    if (found) return found;
    const profile = await profileFor(arg instanceof BrowseItemNode ? undefined : arg, profiles, placeHolder, (p) => p.kind === 'redis');
    if (!isKind(profile, 'redis')) return undefined;
    return { profile, db: typeof db === 'number' && Number.isInteger(db) && db >= 0 ? db : profile.db };
  };
  return [
    vscode.commands.registerCommand('switchboard.redis.analyzeMemory', async (arg?: unknown, db?: unknown) => {
      const where = await target(arg, db, 'Analyze the memory of…');
      return where ? RedisMemoryPanel.show(extensionUri, log, where.profile, where.db, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.redis.profiler', async (arg?: unknown) => {
      const where = await target(arg, undefined, 'Profile the commands of…');
      return where ? new RedisProfilerPanel(extensionUri, log, where.profile, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.redis.slowLog', async (arg?: unknown) => {
      const where = await target(arg, undefined, 'Open the slow log of…');
      return where ? new RedisSlowLogPanel(extensionUri, log, where.profile, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.redis.clients', async (arg?: unknown) => {
      const where = await target(arg, undefined, 'List the clients of…');
      return where ? new RedisClientsPanel(extensionUri, log, where.profile, sessions) : undefined;
    }),
  ];
}
