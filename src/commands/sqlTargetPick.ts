import * as vscode from 'vscode';
import type { MySqlSession } from '../drivers/mysql';
import { SqlTarget } from '../editors/sqlTargets';
import { profileFor } from './pickProfile';
import { CommandServices } from './commandServices';
import { isKind } from '../drivers/types';


/** Asks where SQL runs: a MySQL connection, then one of its databases (the profile's own first). */
export async function askSqlTarget({ profiles, sessions, log }: Pick<CommandServices, 'profiles' | 'sessions' | 'log'>): Promise<SqlTarget | undefined> {
  const profile = await profileFor(undefined, profiles, vscode.l10n.t('Run against which MySQL connection?'), (p) => p.kind === 'mysql');
  if (!isKind(profile, 'mysql')) return undefined;
  const session: MySqlSession = await sessions.session(profile);
  const databases = await session.databases().catch((error: unknown) => {
    log.report(vscode.l10n.t('Listing the databases of {0}', profile.name), error);
    return undefined;
  });
  if (!databases) return undefined;
  const ordered = [...databases].sort((a, b) => Number(b === profile.database) - Number(a === profile.database));
  const picked = await vscode.window.showQuickPick(ordered.map((d) => ({ label: d, description: d === profile.database ? vscode.l10n.t('the connection\'s database') : '' })), { placeHolder: vscode.l10n.t('Database on {0}', profile.name) });
  return picked ? { profileId: profile.id, database: picked.label } : undefined;
}
