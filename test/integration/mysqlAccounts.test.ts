import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { AccountChange, driver, MySqlSession, ServerUser } from '../../src/drivers/mysql';
import { accountStatement } from '../../src/drivers/mysql/accounts';
import { isDriverError } from '../../src/drivers/errors';
import { startMariaDb, MariaDbService } from '../services/mariadb';
import { mariaDbSession } from './mariaDbSession';
import { pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Account management against a private MariaDB: accounts with names and passwords that break naive quoting are
 * created (and sign in with that password, whatever the sql_mode), granted and revoked privileges on databases and
 * tables with hostile names, and dropped; privilege names that are not the server's own are refused before anything
 * is sent; read-only connections refuse every change and leave the server as it was.
 */

const root = mkdtempSync(join(tmpdir(), 'switchboard-accounts-'));
let db: MariaDbService;
let writable: MySqlSession;
let readOnly: MySqlSession;

const HOSTILE_DB = 'we`ird.db';
const HOSTILE_TABLE = "t'1; DROP TABLE x";
const who: ServerUser = { user: "o'neil@x`;--", host: '127.0.0.1' };
const PASSWORD = "it's a \\ secret \"ok\" 口令";

/** SHOW GRANTS of an account, sorted, without the password hash the server adds to the first line. */
const grantsOf = async (account: ServerUser): Promise<string[]> => (await writable.server.grants(account)).map((g) => g.replace(/ IDENTIFIED BY PASSWORD '[^']*'/, '')).sort();

const refused = (code: string, message?: RegExp) => (e: unknown): boolean => isDriverError(e) && e.code === code && (message === undefined || message.test(e.message));

async function signsIn(password: string): Promise<boolean> {
  const connection = await createConnection({ host: '127.0.0.1', port: db.port, user: who.user, password }).catch(() => undefined);
  await connection?.end();
  return connection !== undefined;
}

before(async () => {
  db = await startMariaDb(root, 'admin', 'admin-secret', 'shop');
  await db.sql(`CREATE DATABASE \`we\`\`ird.db\`; CREATE TABLE \`we\`\`ird.db\`.\`t'1; DROP TABLE x\` (id INT);`);
  writable = await mariaDbSession(db, false);
  readOnly = await mariaDbSession(db, true);
});

after(async () => {
  await writable?.close();
  await readOnly?.close();
  await db?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('an account whose name and password hold quotes, backslashes and @ is created and signs in with that password', async () => {
  const create: AccountChange = { action: 'create', account: who, password: PASSWORD };
  assert.equal(accountStatement(create, { shown: true }), "CREATE USER `o'neil@x``;--`@`127.0.0.1` IDENTIFIED BY '********'", 'the confirmation masks the password');
  await writable.server.changeAccount(create);
  assert.ok((await writable.server.users()).some((u) => u.user === who.user && u.host === who.host));
  assert.equal(await signsIn(PASSWORD), true);
  assert.equal(await signsIn("it's a \\\\ secret"), false);
  await assert.rejects(writable.server.changeAccount(create), (e: unknown) => e instanceof Error && /CREATE USER failed/.test(e.message), 'a second create is the server\'s refusal, not a silent replace');
});

test('under NO_BACKSLASH_ESCAPES the same password is written so that it still signs in', async () => {
  const other: ServerUser = { user: 'nobackslash', host: '127.0.0.1' };
  await db.sql("SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')");
  const session = await mariaDbSession(db, false);
  try {
    await session.server.changeAccount({ action: 'create', account: other, password: PASSWORD });
    const connection = await createConnection({ host: '127.0.0.1', port: db.port, user: other.user, password: PASSWORD });
    await connection.end();
  } finally {
    await session.close();
    await db.sql("SET GLOBAL sql_mode = REPLACE(@@GLOBAL.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
  }
});

test('privileges are granted on the server, a hostile database and a hostile table, listed held, and revoked level by level', async () => {
  await writable.server.changeAccount({ action: 'grant', account: who, level: {}, privileges: ['PROCESS'] });
  await writable.server.changeAccount({ action: 'grant', account: who, level: { database: HOSTILE_DB }, privileges: ['SELECT', 'EVENT', 'GRANT OPTION'] });
  await writable.server.changeAccount({ action: 'grant', account: who, level: { database: HOSTILE_DB, table: HOSTILE_TABLE }, privileges: ['INSERT', 'UPDATE'] });
  assert.deepEqual(await grantsOf(who), [
    "GRANT INSERT, UPDATE ON `we``ird.db`.`t'1; DROP TABLE x` TO `o'neil@x``;--`@`127.0.0.1`",
    "GRANT PROCESS ON *.* TO `o'neil@x``;--`@`127.0.0.1`",
    "GRANT SELECT, EVENT ON `we``ird.db`.* TO `o'neil@x``;--`@`127.0.0.1` WITH GRANT OPTION",
  ]);
  const held = (await writable.server.heldPrivileges(who)).map((h) => `${h.privilege} ${h.level.database ?? '*'}.${h.level.table ?? '*'}`).sort();
  assert.deepEqual(held, ['EVENT we`ird.db.*', 'GRANT OPTION we`ird.db.*', `INSERT we\`ird.db.${HOSTILE_TABLE}`, 'PROCESS *.*', 'SELECT we`ird.db.*', `UPDATE we\`ird.db.${HOSTILE_TABLE}`]);

  await writable.server.changeAccount({ action: 'revoke', account: who, level: { database: HOSTILE_DB }, privileges: ['GRANT OPTION', 'EVENT'] });
  await writable.server.changeAccount({ action: 'revoke', account: who, level: { database: HOSTILE_DB, table: HOSTILE_TABLE }, privileges: ['INSERT', 'UPDATE'] });
  await writable.server.changeAccount({ action: 'revoke', account: who, level: {}, privileges: ['PROCESS'] });
  assert.deepEqual((await writable.server.heldPrivileges(who)).map((h) => h.privilege), ['SELECT']);
  assert.ok((await db.sql('SELECT COUNT(*) FROM `we``ird.db`.`t\'1; DROP TABLE x`')).includes('0'), 'the table named like a statement is still there');
});

test('privileges the server does not list are refused before anything is sent: other spellings, column lists, statements', async () => {
  const before = await grantsOf(who);
  for (const privilege of ['select', 'ALL PRIVILEGES', 'SELECT (id)', 'SELECT ON *.* TO root; --', 'SELECT,INSERT', ' SELECT', 'SELECT\u00a0', 'USAGE', 'SUPER  ']) {
    await assert.rejects(writable.server.changeAccount({ action: 'grant', account: who, level: {}, privileges: [privilege] }), refused('config', /Not a privilege this server knows/), privilege);
  }
  await assert.rejects(writable.server.changeAccount({ action: 'revoke', account: who, level: {}, privileges: [] }), refused('config', /no privilege was chosen/));
  await assert.rejects(writable.server.changeAccount({ action: 'create', account: { user: 'newline', host: '%' }, password: 'a\nb' }), refused('config', /control character/));
  await assert.rejects(writable.server.changeAccount({ action: 'create', account: { user: '', host: '%' }, password: 'x' }), refused('config', /user name/));
  assert.deepEqual(await grantsOf(who), before);
  assert.equal((await writable.server.users()).some((u) => u.user === 'newline' || u.user === ''), false);
});

test('read-only connections refuse every account change and the server keeps what it had', async () => {
  const before = await grantsOf(who);
  const changes: AccountChange[] = [
    { action: 'create', account: { user: 'ro-made', host: '%' }, password: 'x' },
    { action: 'grant', account: who, level: {}, privileges: ['SUPER'] },
    { action: 'revoke', account: who, level: { database: HOSTILE_DB }, privileges: ['SELECT'] },
    { action: 'drop', account: who },
  ];
  for (const change of changes) await assert.rejects(readOnly.server.changeAccount(change), refused('readOnly'), change.action);
  assert.deepEqual(await grantsOf(who), before);
  assert.equal((await writable.server.users()).some((u) => u.user === 'ro-made'), false);
  // Reading them is not a change.
  assert.ok((await readOnly.server.heldPrivileges(who)).length > 0);
  assert.ok((await readOnly.server.privilegeNames()).some((p) => p.name === 'SELECT' && p.levels.includes('table')));
});

test('an account without GRANT OPTION gets the server\'s refusal and changes nothing', async () => {
  const limited: ServerUser = { user: 'limited', host: '127.0.0.1' };
  await writable.server.changeAccount({ action: 'create', account: limited, password: 'limited-secret' });
  await writable.server.changeAccount({ action: 'grant', account: limited, level: {}, privileges: ['SELECT', 'CREATE USER'] });
  const profile = { id: 'limited', name: 'limited', kind: 'mysql' as const, host: '127.0.0.1', port: db.port, username: 'limited', tls: false, readOnly: false };
  const session = await driver.connect(profile, { secrets: { password: 'limited-secret' }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
  assert.ok(session instanceof MySqlSession);
  try {
    const before = await grantsOf(who);
    await assert.rejects(session.server.changeAccount({ action: 'grant', account: who, level: {}, privileges: ['SELECT'] }), (e: unknown) => e instanceof Error && /denied/i.test(e.message));
    assert.deepEqual(await grantsOf(who), before);
  } finally {
    await session.close();
  }
});

test('accounts and roles are dropped; the tree lists them no more', async () => {
  await db.sql('CREATE ROLE `rôle`; GRANT SELECT ON `shop`.* TO `rôle`;');
  const role: ServerUser = { user: 'rôle', host: '' };
  assert.deepEqual((await writable.server.heldPrivileges(role)).map((h) => `${h.privilege} ${h.level.database}`), ['SELECT shop']);
  await writable.server.changeAccount({ action: 'revoke', account: role, level: { database: 'shop' }, privileges: ['SELECT'] });
  assert.deepEqual(await writable.server.heldPrivileges(role), []);
  assert.equal(accountStatement({ action: 'drop', account: role }, { shown: true }), 'DROP ROLE `rôle`');
  await writable.server.changeAccount({ action: 'drop', account: role });
  await writable.server.changeAccount({ action: 'drop', account: who });
  const users = await writable.server.users();
  assert.equal(users.some((u) => u.user === who.user || u.user === role.user), false, JSON.stringify(users));
  assert.equal(await signsIn(PASSWORD), false);
});
