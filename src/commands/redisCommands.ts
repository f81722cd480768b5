import * as vscode from 'vscode';
import { walkthroughDone } from '../core/walkthrough';
import { createReadStream, createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Log } from '../core/log';
import { withCancellableProgress } from '../core/progress';
import { isKind, RedisProfile } from '../drivers/types';
import { SessionManager } from '../core/sessionManager';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { RedisBrowserPanel } from '../panels/redisBrowser/redisBrowserPanel';
import { profileFor } from './pickProfile';
import { RedisCli } from '../terminals/redisCli';
import type { ConsoleHistory } from '../storage/consoleHistory';
import { RedisPubSubPanel } from '../panels/redisPubSub/redisPubSubPanel';
import { rowOf } from './treeArgs';


/** The database a Redis row stands for: a db row's own, or the connection's. */
export function redisTarget(arg: unknown): { profile: RedisProfile; db: number } | undefined {
  const row = rowOf(arg, 'redis');
  return row?.place.of === 'db' ? { profile: row.profile, db: row.place.db } : undefined;
}

/** The Redis key browser, console, and export / import as JSON lines. */
export function registerRedisCommands(extensionUri: vscode.Uri, profiles: ConnectionCatalog, sessions: SessionManager, log: Log, consoleHistory: ConsoleHistory): vscode.Disposable[] {
  const target = async (arg: unknown, placeHolder: string): Promise<{ profile: RedisProfile; db: number } | undefined> => {
    const found = redisTarget(arg);
    if (found) return found;
    const profile = await profileFor(arg, profiles, placeHolder, (p) => p.kind === 'redis');
    return isKind(profile, 'redis') ? { profile, db: profile.db } : undefined;
  };
  return [
    // `pattern`: open (or refilter) the browser on the keys matching it, e.g. from a row of the memory analysis.
    vscode.commands.registerCommand('switchboard.redis.browseKeys', async (arg?: unknown, db?: unknown, pattern?: unknown) => {
      const match = typeof pattern === 'string' ? pattern : undefined;
      const target = redisTarget(arg);
      const where = target ?? (await (async () => {
        const profile = await profileFor(arg, profiles, vscode.l10n.t('Browse the keys of…'), (p) => p.kind === 'redis');
        return isKind(profile, 'redis') ? { profile, db: typeof db === 'number' ? db : profile.db } : undefined;
      })());
      if (!where) return undefined;
      walkthroughDone('browsedKeys');
      return RedisBrowserPanel.show(extensionUri, log, where.profile, where.db, sessions, match);
    }),
    vscode.commands.registerCommand('switchboard.redis.openCli', async (arg?: unknown) => {
      const profile = redisTarget(arg)?.profile ?? (await profileFor(arg instanceof BrowseItemNode ? undefined : arg, profiles, vscode.l10n.t('Open a Redis console on…'), (p) => p.kind === 'redis'));
      if (!isKind(profile, 'redis')) return undefined;
      const pty = new RedisCli(profile, sessions, consoleHistory);
      const terminal = vscode.window.createTerminal({ name: `${profile.name}: redis`, pty, iconPath: new vscode.ThemeIcon('database') });
      terminal.show();
      walkthroughDone('openedTerminal');
      return { terminal, pty };
    }),
    vscode.commands.registerCommand('switchboard.redis.pubsub', async (arg?: unknown) => {
      const where = await target(arg, vscode.l10n.t('Open Pub/Sub on…'));
      return where ? new RedisPubSubPanel(extensionUri, log, where.profile, sessions) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.redis.exportKeys', async (arg?: unknown) => {
      const where = await target(arg, vscode.l10n.t('Export keys from…'));
      if (!where) return undefined;
      const pattern = await vscode.window.showInputBox({ title: vscode.l10n.t('Export keys from {0} db{1}', where.profile.name, where.db), prompt: vscode.l10n.t('Keys matching this pattern (SCAN MATCH)'), value: '*' });
      if (pattern === undefined) return undefined;
      const file = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(homedir(), `${where.profile.name}-db${where.db}.jsonl`)), filters: { [vscode.l10n.t('JSON lines')]: ['jsonl'] }, saveLabel: vscode.l10n.t('Export') });
      if (!file) return undefined;
      return withCancellableProgress(vscode.l10n.t('Exporting {0} from {1} db{2}', pattern, where.profile.name, where.db), async (progress, signal) => {
        const out = createWriteStream(file.fsPath);
        const write = (line: string): Promise<void> => new Promise((resolve, reject) => (out.write(line, (e) => (e ? reject(e) : resolve()))));
        try {
          const session = await sessions.session(where.profile);
          const report = await session.exportKeys(where.db, pattern, write, { signal, onProgress: (n) => n % 500 === 0 && progress(vscode.l10n.t('{0} keys', n)) });
          const dumped = report.dumped ? ` ${vscode.l10n.t('{0} of them (types {1}) as DUMP payloads, which restore only on a server with the same module.', report.dumped, report.dumpedTypes.join(', '))}` : '';
          const skipped = report.skipped ? ` ${vscode.l10n.t('{0} could not be exported (listed in the Switchboard log).', report.skipped)}` : '';
          if (report.skipped) log.info(`Export from ${where.profile.name} db${where.db}: not exported: ${report.skippedKeys.map((k) => `"${k.key}" (${k.reason})`).join(', ')}${report.skipped > report.skippedKeys.length ? ` and ${report.skipped - report.skippedKeys.length} more` : ''}`);
          const show = report.skipped ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
          void show(`${report.cancelled ? vscode.l10n.t('Stopped after exporting {0} keys to {1}.', report.exported, file.fsPath) : vscode.l10n.t('Exported {0} keys to {1}.', report.exported, file.fsPath)}${dumped}${skipped}`);
          return report;
        } catch (error) {
          log.report(vscode.l10n.t('Exporting keys from {0}', where.profile.name), error);
          return undefined;
        } finally {
          await new Promise((resolve) => out.end(resolve));
        }
      });
    }),
    vscode.commands.registerCommand('switchboard.redis.importKeys', async (arg?: unknown) => {
      const where = await target(arg, vscode.l10n.t('Import keys into…'));
      if (!where) return undefined;
      const [file] = (await vscode.window.showOpenDialog({ filters: { [vscode.l10n.t('JSON lines')]: ['jsonl', 'json'] }, canSelectMany: false, openLabel: vscode.l10n.t('Import') })) ?? [];
      if (!file) return undefined;
      const mode = await vscode.window.showQuickPick([{ label: vscode.l10n.t('Keep existing keys'), replace: false }, { label: vscode.l10n.t('Replace existing keys'), replace: true }], { placeHolder: vscode.l10n.t('When a key already exists…') });
      if (!mode) return undefined;
      return withCancellableProgress(vscode.l10n.t('Importing into {0} db{1}', where.profile.name, where.db), async (report, signal) => {
        try {
          const session = await sessions.session(where.profile);
          const lines = createInterface({ input: createReadStream(file.fsPath), crlfDelay: Infinity });
          const result = await session.importLines(where.db, lines, mode.replace, { signal, onProgress: (n) => n % 500 === 0 && report(vscode.l10n.t('{0} keys', n)) });
          const notes = [
            result.kept ? vscode.l10n.t('kept {0} that already existed', result.kept) : '',
            result.expired ? vscode.l10n.t('left out {0} whose expiry time has passed', result.expired) : '',
            result.incomplete ? vscode.l10n.t('left out {0} that changed while they were exported', result.incomplete) : '',
            result.lostPending ? vscode.l10n.t('{0} pending stream entries could not be restored (their messages were deleted)', result.lostPending) : '',
          ].filter(Boolean);
          void vscode.window.showInformationMessage(`${result.cancelled ? vscode.l10n.t('Stopped after importing {0} keys', result.written) : vscode.l10n.t('Imported {0} keys', result.written)}${notes.length ? vscode.l10n.t('; {0}', notes.join(vscode.l10n.t('; '))) : ''}.`);
          return result;
        } catch (error) {
          log.report(vscode.l10n.t('Importing keys into {0}', where.profile.name), error);
          return undefined;
        }
      });
    }),
  ];
}
