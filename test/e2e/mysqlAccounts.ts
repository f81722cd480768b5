import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import type { Page } from 'playwright-core';
import { expand, row, runCommand, shot, UiStep } from './ui';

const ACCOUNT = 'e2e_user@%';

/** Runs a palette command that asks for a connection, and picks Demo MariaDB. */
async function onMariaDb(page: Page, command: string): Promise<void> {
  await runCommand(page, command);
  await pick(page, 'Demo MariaDB');
}

/** Picks the quick pick row whose label is `label`. */
async function pick(page: Page, label: string): Promise<void> {
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first().click({ timeout: 15_000 });
}

/** Checks the row labelled `label` of a pick of many. */
async function toggle(page: Page, label: string): Promise<void> {
  await page.locator('.quick-input-list .monaco-list-row .label-name').getByText(label, { exact: true }).click({ timeout: 15_000 });
}

/** Types into the input box that is open and accepts it. */
async function answer(page: Page, title: RegExp, text: string): Promise<void> {
  await page.locator('.quick-input-widget').filter({ hasText: title }).waitFor({ timeout: 15_000 });
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** The modal question, once it shows `statement`: what the confirmation says will run. */
async function question(page: Page, title: string, statement: string) {
  const dialog = page.locator('.monaco-dialog-box').filter({ hasText: title });
  await dialog.getByText(statement, { exact: false }).waitFor({ timeout: 15_000 });
  return dialog;
}

const grantsOf = async (db: Connection): Promise<string[]> => {
  const [rows] = await db.query<RowDataPacket[]>("SHOW GRANTS FOR 'e2e_user'@'%'");
  return rows.map((r) => String(Object.values(r)[0]).replace(/ IDENTIFIED BY PASSWORD '[^']*'/, ''));
};

const exists = async (db: Connection): Promise<boolean> => {
  const [rows] = await db.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM mysql.user WHERE User = 'e2e_user'");
  return Number(rows[0]?.['n']) === 1;
};

/** Create User, Grant, Revoke and Drop User from the palette, each asking with the statement it runs; the server checked after each. */
export function mysqlAccountsStep(need: (key: string) => string): UiStep {
  const url = need('MYSQL_URL');
  const database = new URL(url).pathname.slice(1);
  return {
    name: 'creates an account, grants it privileges on a table, revokes one and drops the account, each after a question showing the statement',
    async run(page) {
      const db = await createConnection(url);
      try {
        await db.query("DROP USER IF EXISTS 'e2e_user'@'%'");
        await db.query('CREATE TABLE IF NOT EXISTS e2e_accounts (id INT PRIMARY KEY)');

        await onMariaDb(page, 'Switchboard: Create User…');
        await answer(page, /Create User on Demo MariaDB \(1\/3\)/, 'e2e_user');
        // The host box offers "%" (any host), selected: Enter keeps it.
        await answer(page, /Create User on Demo MariaDB \(2\/3\)/, '');
        await answer(page, /Create User on Demo MariaDB \(3\/3\)/, "it's-e2e");
        const create = await question(page, `Create the account ${ACCOUNT} on Demo MariaDB?`, "CREATE USER `e2e_user`@`%` IDENTIFIED BY '********';");
        if ((await create.textContent())?.includes("it's-e2e")) throw new Error('the question shows the password');
        await shot(page, '23-mysql-create-user');
        await create.getByRole('button', { name: 'Create User' }).click();
        await page.locator('.notifications-toasts').filter({ hasText: `Created the account ${ACCOUNT}.` }).waitFor({ timeout: 15_000 });
        if (!(await exists(db))) throw new Error('the account was not created');
        const { hostname, port } = new URL(url);
        const signIn = await createConnection({ host: hostname, port: Number(port), user: 'e2e_user', password: "it's-e2e" });
        await signIn.end();

        // The tree lists it below Server › Users.
        await row(page, 'Demo MariaDB').click();
        await page.keyboard.press('Control+ArrowLeft');
        await expand(page, 'Demo MariaDB', /^Server/);
        await expand(page, /^Server/, /^Users/);
        await expand(page, /^Users/, new RegExp(`^${ACCOUNT}`));

        await runCommand(page, 'Switchboard: Grant Privileges…');
        await pick(page, 'Demo MariaDB');
        await pick(page, ACCOUNT);
        await pick(page, `${database}.*`);
        await pick(page, `${database}.e2e_accounts`);
        // Picked in any order, they are listed (and granted) in the pick's order.
        for (const privilege of ['SELECT', 'INSERT']) {
          await toggle(page, privilege);
        }
        await page.keyboard.press('Enter');
        const grant = await question(page, `Grant privileges to ${ACCOUNT} on Demo MariaDB?`, `GRANT INSERT, SELECT ON \`${database}\`.\`e2e_accounts\` TO \`e2e_user\`@\`%\`;`);
        await grant.getByRole('button', { name: 'Grant', exact: true }).click();
        await grant.waitFor({ state: 'detached' });
        // The account's row in the tree lists its grants again.
        await expand(page, new RegExp(`^${ACCOUNT}`), /^GRANT SELECT, INSERT ON/);
        const granted = await grantsOf(db);
        if (!granted.includes(`GRANT SELECT, INSERT ON \`${database}\`.\`e2e_accounts\` TO \`e2e_user\`@\`%\``)) throw new Error(`grants: ${granted.join(' | ')}`);

        await runCommand(page, 'Switchboard: Revoke Privileges…');
        await pick(page, 'Demo MariaDB');
        await pick(page, ACCOUNT);
        await toggle(page, 'INSERT');
        await page.keyboard.press('Enter');
        const revoke = await question(page, `Revoke privileges from ${ACCOUNT} on Demo MariaDB?`, `REVOKE INSERT ON \`${database}\`.\`e2e_accounts\` FROM \`e2e_user\`@\`%\`;`);
        await revoke.getByRole('button', { name: 'Revoke', exact: true }).click();
        await revoke.waitFor({ state: 'detached' });
        await row(page, /^GRANT SELECT ON/).waitFor({ timeout: 15_000 });
        const revoked = await grantsOf(db);
        if (!revoked.includes(`GRANT SELECT ON \`${database}\`.\`e2e_accounts\` TO \`e2e_user\`@\`%\``)) throw new Error(`grants: ${revoked.join(' | ')}`);

        // Drop, answered with Escape first: nothing is dropped.
        for (const answerWith of ['Escape', 'Drop'] as const) {
          await runCommand(page, 'Switchboard: Drop User…');
          await pick(page, 'Demo MariaDB');
          await pick(page, ACCOUNT);
          const drop = await question(page, `Drop the account ${ACCOUNT} on Demo MariaDB?`, 'DROP USER `e2e_user`@`%`;');
          if (answerWith === 'Escape') {
            await page.keyboard.press('Escape');
            await drop.waitFor({ state: 'detached' });
            if (!(await exists(db))) throw new Error('Escape dropped the account');
          } else {
            await drop.getByRole('button', { name: 'Drop', exact: true }).click();
            await row(page, new RegExp(`^${ACCOUNT}`)).waitFor({ state: 'detached', timeout: 15_000 });
          }
        }
        if (await exists(db)) throw new Error('the account was not dropped');
        await row(page, 'Demo MariaDB').click();
        await page.keyboard.press('Control+ArrowLeft');
      } finally {
        await db.query("DROP USER IF EXISTS 'e2e_user'@'%'");
        await db.end();
      }
    },
  };
}
