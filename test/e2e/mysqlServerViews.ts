import { createConnection, RowDataPacket } from 'mysql2/promise';
import type { Page } from 'playwright-core';
import { assertReloaded, closeAllEditors, hideAndReturn, holds, markWebview, panelFrame, runCommand, shot, typeLines, UiStep } from './ui';

/**
 * Runs a palette command that asks for a connection and picks Demo MariaDB by keyboard. A webview that has just
 * loaded may take the focus back and close the quick pick: then the command is run again.
 */
async function onMariaDb(page: Page, command: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, command);
    const picked = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused').filter({ hasText: 'Demo MariaDB' })
      .waitFor({ timeout: 5000 }).then(() => true, () => false);
    if (picked) {
      await page.keyboard.press('Enter');
      return;
    }
    if (attempt === 3) throw new Error(`the connection pick of "${command}" closed before Demo MariaDB could be chosen`);
  }
}

/** EXPLAIN of the statement under the cursor as a tree, then the process list killing a sleeping query after asking. */
export function mysqlServerViewsStep(need: (key: string) => string): UiStep {
  const url = need('MYSQL_URL');
  return {
    name: 'explains the SQL statement under the cursor as a tree with the full scan marked, then kills a sleeping query from the process list after confirming',
    async run(page) {
      const db = await createConnection({ uri: url, multipleStatements: true });
      await db.query(`CREATE TABLE IF NOT EXISTS e2e_plan (id INT PRIMARY KEY, note VARCHAR(20));
        INSERT IGNORE INTO e2e_plan SELECT seq, CONCAT('n', seq) FROM seq_1_to_3000;
        ANALYZE TABLE e2e_plan;`);
      await db.end();
      await closeAllEditors(page);
      await runCommand(page, 'Switchboard: New SQL Query');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo MariaDB' }).first().click();
      await page.locator('.statusbar-item').filter({ hasText: 'Demo MariaDB' }).first().waitFor({ timeout: 10_000 });
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await typeLines(page, "SELECT id FROM e2e_plan WHERE note = 'n7';\nSELECT 1;");
      // The cursor into the first statement: EXPLAIN takes the one under it.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Home');
      await runCommand(page, 'Switchboard: Explain SQL Statement');
      const plan = await panelFrame(page, 'mysqlExplain');
      await plan.locator('.statement').filter({ hasText: "SELECT id FROM e2e_plan WHERE note = 'n7'" }).waitFor({ timeout: 15_000 });
      const scan = plan.locator('.step').filter({ has: plan.locator('.step-label', { hasText: 'Table e2e_plan' }) });
      await scan.locator('.badge').filter({ hasText: 'ALL' }).waitFor({ timeout: 15_000 });
      await scan.locator('.costly').filter({ hasText: /full table scan of ~[\d,]+ rows of e2e_plan/ }).waitFor();
      await scan.locator('.figures').filter({ hasText: /rows [\d,]+ · filtered/ }).waitFor();
      await shot(page, '20-mysql-explain');
      // Hidden and back: the webview is built again and shows the same plan, from what the host kept.
      await markWebview(page, 'mysqlExplain');
      await hideAndReturn(page, 'Demo MariaDB: EXPLAIN');
      const shownAgain = await assertReloaded(page, 'mysqlExplain');
      await shownAgain.locator('.statement').filter({ hasText: "SELECT id FROM e2e_plan WHERE note = 'n7'" }).waitFor({ timeout: 15_000 });
      await shownAgain.locator('.step').filter({ has: shownAgain.locator('.step-label', { hasText: 'Table e2e_plan' }) }).locator('.badge').filter({ hasText: 'ALL' }).waitFor();
      // The editor the hiding opened goes, unsaved, so that the steps below find the SQL editor as before.
      await page.locator('.tabs-container .tab').filter({ hasText: /Untitled-\d+/ }).last().click();
      await runCommand(page, 'View: Revert and Close Editor');

      // ANALYZE of a statement whose effect the rollback after it would not undo is refused before anything is asked.
      await page.locator('.tabs-container .tab').filter({ hasNotText: 'EXPLAIN' }).first().click();
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await typeLines(page, "\nSELECT GET_LOCK('e2e_plan_lock', 0);");
      await runCommand(page, 'Switchboard: Analyze SQL Statement');
      await page.locator('.notifications-toasts').filter({ hasText: "ANALYZE refused: it runs the statement, and GET_LOCK() takes a user lock other sessions wait for, which the rollback after it does not undo." }).waitFor({ timeout: 15_000 });
      if (await page.locator('.monaco-dialog-box').count()) throw new Error('ANALYZE asked to confirm a run it then refuses');
      await runCommand(page, 'Notifications: Clear All Notifications');

      // ANALYZE of a write from the palette: the panel shows its EXPLAIN and asks there, Cancel focused.
      await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await typeLines(page, "\nUPDATE e2e_plan SET note = 'analyzed' WHERE id = 7;");
      await runCommand(page, 'Switchboard: Analyze SQL Statement');
      const analyzed = await panelFrame(page, 'mysqlExplain');
      const runIt = analyzed.getByRole('alertdialog', { name: 'Run this writing statement on Demo MariaDB to analyze it?' });
      await runIt.getByText("UPDATE e2e_plan SET note = 'analyzed' WHERE id = 7").waitFor({ timeout: 15_000 });
      if (await page.locator('.monaco-dialog-box').count()) throw new Error('ANALYZE of a write asked in a VS Code modal');
      await analyzed.locator('.status').filter({ hasText: /^EXPLAIN · read at/ }).waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await runIt.waitFor({ state: 'detached' });
      await analyzed.getByRole('button', { name: 'Analyze (runs the statement)…' }).click();
      await runIt.getByRole('button', { name: 'Run ANALYZE', exact: true }).click();
      await analyzed.locator('.status').filter({ hasText: /^ANALYZE · ran in a transaction that was rolled back/ }).waitFor({ timeout: 15_000 });
      const check = await createConnection(url);
      const [notes] = await check.query<RowDataPacket[]>('SELECT note FROM e2e_plan WHERE id = 7');
      await check.end();
      if (notes[0]?.['note'] !== 'n7') throw new Error(`ANALYZE left the write in place: ${String(notes[0]?.['note'])}`);
      await page.locator('.tabs-container .tab').filter({ hasNotText: 'EXPLAIN' }).first().click();

      const sleeper = await createConnection(url);
      const sleeping = sleeper.query('SELECT SLEEP(30) AS e2e_sleep').then(() => 'finished', (error: unknown) => (error instanceof Error && 'code' in error ? String(error.code) : 'failed'));
      const id = sleeper.threadId;
      try {
        await onMariaDb(page, 'Switchboard: Show Processes');
        const processes = await panelFrame(page, 'mysqlProcesses');
        await processes.getByLabel('Filter processes').fill('e2e_sleep');
        const sleepRow = processes.locator('.vlist-row:visible').filter({ hasText: 'SELECT SLEEP(30) AS e2e_sleep' });
        await sleepRow.waitFor({ timeout: 15_000 });
        // As a user picking a row would: the list stops reading itself every 2 s meanwhile.
        await processes.getByLabel('Refresh every 2 seconds').uncheck();
        await sleepRow.click();
        await processes.getByRole('button', { name: 'Kill Query…' }).click();
        const question = processes.getByRole('alertdialog', { name: `Kill the query of connection ${id} on Demo MariaDB?` });
        await question.getByText('SELECT SLEEP(30) AS e2e_sleep').waitFor();
        await question.getByText(`KILL QUERY ${id} stops the statement`).waitFor();
        await shot(page, '21-mysql-kill-confirm');
        // Cancel has the focus: Enter right after the question kills nothing.
        await page.keyboard.press('Enter');
        await question.waitFor({ state: 'detached' });
        await sleepRow.waitFor();
        await processes.getByRole('button', { name: 'Kill Query…' }).click();
        await question.getByRole('button', { name: 'Kill Query', exact: true }).click();
        if ((await sleeping) !== 'ER_QUERY_INTERRUPTED') throw new Error('the sleeping query was not interrupted');
        await processes.locator('.notice').filter({ hasText: `Connection ${id}: killed.` }).waitFor({ timeout: 10_000 });
        await processes.getByLabel('Refresh every 2 seconds').check();
        // The list reads itself again: the connection stays, idle.
        await processes.getByLabel('Filter processes').fill(String(id));
        await processes.locator('.vlist-row:visible').filter({ hasText: 'Sleep' }).first().waitFor({ timeout: 10_000 });
        await shot(page, '22-mysql-processes');
        // Hidden and back: the webview is built again with the filter and the refreshing as they were.
        await markWebview(page, 'mysqlProcesses');
        await hideAndReturn(page, 'Demo MariaDB: processes');
        const shownAgain = await assertReloaded(page, 'mysqlProcesses');
        await holds(shownAgain.getByLabel('Filter processes'), String(id));
        if (!(await shownAgain.getByLabel('Refresh every 2 seconds').isChecked())) throw new Error('the 2-second refresh was turned off by hiding the panel');
        await shownAgain.locator('.vlist-row:visible').filter({ hasText: 'Sleep' }).first().waitFor({ timeout: 10_000 });
      } finally {
        sleeper.destroy();
      }
      await closeAllEditors(page);
    },
  };
}

/** Server variables hidden and shown again: the filter as typed, the values as they were read (not read again). */
export function serverVariablesRestoreStep(need: (key: string) => string): UiStep {
  const url = need('MYSQL_URL');
  return {
    name: 'server variables come back after being hidden with the filter and the values as they were read',
    async run(page) {
      await closeAllEditors(page);
      const db = await createConnection({ uri: url });
      const [[before]] = await db.query<RowDataPacket[]>('SELECT @@GLOBAL.max_connections AS n');
      const limit = Number(before?.['n']);
      try {
        await onMariaDb(page, 'Switchboard: Show Server Variables');
        const values = await panelFrame(page, 'mysqlServerValues');
        await values.getByLabel('Filter').fill('max_connections');
        const read = values.locator('.vlist-row:visible').filter({ hasText: new RegExp(`^max_connections\\s*${limit}$`) });
        await read.waitFor({ timeout: 15_000 });
        const status = (await values.locator('header .status').filter({ hasText: / of [\d,]+ values · / }).textContent()) ?? '';
        await markWebview(page, 'mysqlServerValues');
        // Meanwhile the server changes: what comes back is what was read, with the time it was read.
        await hideAndReturn(page, 'Demo MariaDB: variables', async () => void (await db.query(`SET GLOBAL max_connections = ${limit + 1}`)));
        const shownAgain = await assertReloaded(page, 'mysqlServerValues');
        await shownAgain.locator('header .status').filter({ hasText: status }).waitFor({ timeout: 15_000 });
        await holds(shownAgain.getByLabel('Filter'), 'max_connections');
        await shownAgain.locator('.vlist-row:visible').filter({ hasText: new RegExp(`^max_connections\\s*${limit}$`) }).waitFor();
        // Refresh reads the server again.
        await shownAgain.getByRole('button', { name: 'Refresh' }).click();
        await shownAgain.locator('.vlist-row:visible').filter({ hasText: new RegExp(`^max_connections\\s*${limit + 1}$`) }).waitFor({ timeout: 15_000 });
      } finally {
        await db.query(`SET GLOBAL max_connections = ${limit}`);
        await db.end();
      }
      await closeAllEditors(page);
    },
  };
}
