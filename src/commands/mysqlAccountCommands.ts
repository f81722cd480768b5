import * as vscode from 'vscode';
import { isKind, MySqlProfile } from '../drivers/types';
import type { AccountChange, GrantLevel, MySqlSession, ServerUser } from '../drivers/mysql';
import { accountStatement } from '../drivers/mysql/accounts';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { CommandServices } from './commandServices';
import { profileFor } from './pickProfile';
import { rowOf } from './treeArgs';


/** The account of a Users row or of one of its grants. */
function accountOf(arg: unknown): ServerUser | undefined {
  const place = rowOf(arg, 'mysql')?.place;
  return place?.of === 'user' || place?.of === 'grant' ? { user: place.user, host: place.host } : undefined;
}

const shownName = (account: ServerUser): string => (account.host === '' ? account.user : `${account.user}@${account.host}`);

const levelLabel = (level: GrantLevel): string =>
  level.database === undefined ? vscode.l10n.t('the whole server (*.*)') : level.table === undefined ? vscode.l10n.t('database {0} (all its tables)', level.database) : vscode.l10n.t('table {0}.{1}', level.database, level.table);

/** Create and drop accounts, grant and revoke privileges: from the Users rows of a MySQL connection, each confirmed. */
export function registerMySqlAccountCommands(services: CommandServices): vscode.Disposable[] {
  const { profiles, sessions, tree, log } = services;

  const connection = async (arg: unknown, placeHolder: string): Promise<MySqlProfile | undefined> => {
    if (arg instanceof BrowseItemNode) return isKind(arg.profile, 'mysql') ? arg.profile : undefined;
    const profile = await profileFor(arg, profiles, placeHolder, (p) => p.kind === 'mysql');
    return isKind(profile, 'mysql') ? profile : undefined;
  };

  /** The account a command acts on: its row in the tree, or one picked from the connection's accounts. */
  const account = async (arg: unknown, placeHolder: string): Promise<{ profile: MySqlProfile; session: MySqlSession; account: ServerUser } | undefined> => {
    const profile = await connection(arg, vscode.l10n.t('The connection whose accounts to change'));
    if (!profile) return undefined;
    const session = await sessions.session(profile);
    const fromRow = accountOf(arg);
    if (fromRow) return { profile, session, account: fromRow };
    const picked = await vscode.window.showQuickPick((await session.server.users()).map((u) => ({ label: shownName(u), account: u })), { placeHolder });
    return picked && { profile, session, account: picked.account };
  };

  /** Asks before a change, showing the statement it runs; true when the user agreed. */
  const confirm = async (question: string, changes: readonly AccountChange[], note: string, action: string): Promise<boolean> => {
    const statements = changes.map((change) => `${accountStatement(change, { shown: true })};`).join('\n');
    return (await vscode.window.showWarningMessage(question, { modal: true, detail: `${statements}\n\n${note}` }, action)) === action;
  };

  /** Runs changes in order; the first that fails stops the rest and says which ran. */
  const apply = async (profile: MySqlProfile, session: MySqlSession, changes: readonly AccountChange[], what: string): Promise<boolean> => {
    let done = 0;
    try {
      for (const change of changes) {
        await session.server.changeAccount(change);
        done++;
      }
      return true;
    } catch (error) {
      log.report(done === 0 ? what : vscode.l10n.t('{0} ({1} of {2} statements ran before this one failed)', what, done, changes.length), error);
      return false;
    } finally {
      if (done > 0) tree.refreshPlace(profile.id, { kind: 'mysql', of: 'users' });
    }
  };

  const refreshAccount = (profile: MySqlProfile, who: ServerUser): void => tree.refreshPlace(profile.id, { kind: 'mysql', of: 'user', user: who.user, host: who.host });

  const createUser = async (arg?: unknown): Promise<ServerUser | undefined> => {
    const profile = await connection(arg, vscode.l10n.t('Create an account on…'));
    if (!profile) return undefined;
    const user = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create User on {0} (1/3)', profile.name), prompt: vscode.l10n.t('The user name'),
      validateInput: (value) => (value === '' ? vscode.l10n.t('Enter a user name.') : undefined),
    });
    if (user === undefined) return undefined;
    const host = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create User on {0} (2/3)', profile.name), value: '%',
      prompt: vscode.l10n.t('The host it connects from: % for any host, localhost, an address or a pattern such as 10.0.%'),
      validateInput: (value) => (value === '' ? vscode.l10n.t('Enter a host; % means any host.') : undefined),
    });
    if (host === undefined) return undefined;
    const password = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create User on {0} (3/3)', profile.name), password: true, prompt: vscode.l10n.t('Its password'),
      validateInput: (value) => (/[\x00-\x1f\x7f]/.test(value) ? vscode.l10n.t('A password cannot hold a newline, a tab or another control character.') : undefined),
    });
    if (password === undefined) return undefined;
    const change: AccountChange = { action: 'create', account: { user, host }, password };
    const note = password === '' ? vscode.l10n.t('The password is empty: anyone who reaches the server from {0} can sign in as {1}.', host, user) : vscode.l10n.t('The password is sent to the server only; Switchboard does not keep it.');
    if (!(await confirm(vscode.l10n.t('Create the account {0} on {1}?', shownName(change.account), profile.name), [change], note, vscode.l10n.t('Create User')))) return undefined;
    const session = await sessions.session(profile);
    if (!(await apply(profile, session, [change], vscode.l10n.t('Creating the account {0}', shownName(change.account))))) return undefined;
    void vscode.window.showInformationMessage(vscode.l10n.t('Created the account {0}. It has no privileges yet: Grant Privileges… gives it some.', shownName(change.account)));
    return change.account;
  };

  const dropUser = async (arg?: unknown): Promise<boolean> => {
    const target = await account(arg, vscode.l10n.t('The account to drop'));
    if (!target) return false;
    const { profile, session } = target;
    const change: AccountChange = { action: 'drop', account: target.account };
    const own = target.account.user === profile.username ? ` ${vscode.l10n.t('This connection signs in as {0}: if this is its account, it cannot sign in again.', profile.username)}` : '';
    const note = `${vscode.l10n.t('Its privileges go with it; sessions it has open stay until they end. This cannot be undone.')}${own}`;
    if (!(await confirm(vscode.l10n.t('Drop the account {0} on {1}?', shownName(target.account), profile.name), [change], note, vscode.l10n.t('Drop')))) return false;
    return apply(profile, session, [change], vscode.l10n.t('Dropping the account {0}', shownName(target.account)));
  };

  /** The level a grant applies at: the server, a database, or one of its tables. */
  const pickLevel = async (session: MySqlSession): Promise<GrantLevel | undefined> => {
    const databases = await session.databases();
    const picked = await vscode.window.showQuickPick<vscode.QuickPickItem & { database?: string }>([
      { label: '*.*', description: vscode.l10n.t('the whole server') },
      ...databases.map((database) => ({ label: `${database}.*`, description: vscode.l10n.t('a database: all its tables, or pick one next'), database })),
    ], { title: vscode.l10n.t('Grant on…'), matchOnDescription: true });
    if (!picked) return undefined;
    const { database } = picked;
    if (database === undefined) return {};
    // As the server lists them now: a table made since the schema was read can be granted on.
    const tables = await session.server.tableNames(database);
    const table = await vscode.window.showQuickPick([
      { label: `${database}.*`, description: vscode.l10n.t('all tables of {0}', database), table: undefined },
      ...tables.map((name) => ({ label: `${database}.${name}`, description: '', table: name })),
    ], { title: vscode.l10n.t('Grant on a table of {0}, or on all of them', database) });
    return table && (table.table === undefined ? { database } : { database, table: table.table });
  };

  const grant = async (arg?: unknown): Promise<boolean> => {
    const target = await account(arg, vscode.l10n.t('The account to grant privileges to'));
    if (!target) return false;
    const { profile, session } = target;
    const level = await pickLevel(session);
    if (!level) return false;
    const where = level.database === undefined ? 'server' : level.table === undefined ? 'database' : 'table';
    const names = (await session.server.privilegeNames()).filter((p) => p.levels.includes(where));
    const picked = await vscode.window.showQuickPick(names.map((p) => ({ label: p.name })), {
      canPickMany: true, title: vscode.l10n.t('Privileges to grant {0} on {1}', shownName(target.account), levelLabel(level)),
    });
    if (!picked || picked.length === 0) return false;
    const change: AccountChange = { action: 'grant', account: target.account, level, privileges: picked.map((p) => p.label) };
    if (!(await confirm(vscode.l10n.t('Grant privileges to {0} on {1}?', shownName(target.account), profile.name), [change], vscode.l10n.t('The account can use them from its next statement on.'), vscode.l10n.t('Grant')))) return false;
    const done = await apply(profile, session, [change], vscode.l10n.t('Granting privileges to {0}', shownName(target.account)));
    refreshAccount(profile, target.account);
    return done;
  };

  const revoke = async (arg?: unknown): Promise<boolean> => {
    const target = await account(arg, vscode.l10n.t('The account to revoke privileges from'));
    if (!target) return false;
    const { profile, session } = target;
    const held = await session.server.heldPrivileges(target.account);
    if (held.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} holds no privileges on the server, a database or a table that this connection can see. Column privileges, and a role\'s server-wide ones, are revoked with SQL.', shownName(target.account)));
      return false;
    }
    const picked = await vscode.window.showQuickPick(held.map((h) => ({ label: h.privilege, description: levelLabel(h.level), held: h })), {
      canPickMany: true, matchOnDescription: true, title: vscode.l10n.t('Privileges to revoke from {0}', shownName(target.account)),
    });
    if (!picked || picked.length === 0) return false;
    // One REVOKE per level, in the order the levels were listed.
    const byLevel = new Map<string, { level: GrantLevel; privileges: string[] }>();
    for (const { held: h } of picked) {
      const key = JSON.stringify([h.level.database ?? null, h.level.table ?? null]);
      const entry = byLevel.get(key) ?? { level: h.level, privileges: [] };
      entry.privileges.push(h.privilege);
      byLevel.set(key, entry);
    }
    const changes: AccountChange[] = [...byLevel.values()].map(({ level, privileges }) => ({ action: 'revoke', account: target.account, level, privileges }));
    if (!(await confirm(vscode.l10n.t('Revoke privileges from {0} on {1}?', shownName(target.account), profile.name), changes, vscode.l10n.t('Sessions of the account lose them from their next statement on.'), vscode.l10n.t('Revoke')))) return false;
    const done = await apply(profile, session, changes, vscode.l10n.t('Revoking privileges from {0}', shownName(target.account)));
    refreshAccount(profile, target.account);
    return done;
  };

  return [
    vscode.commands.registerCommand('switchboard.mysql.createUser', createUser),
    vscode.commands.registerCommand('switchboard.mysql.dropUser', dropUser),
    vscode.commands.registerCommand('switchboard.mysql.grant', grant),
    vscode.commands.registerCommand('switchboard.mysql.revoke', revoke),
  ];
}
