import { createConnection } from 'mysql2/promise';
import { panelFrame, runCommand, shot, waitInView, UiStep } from './ui';

/** A million rows streamed into the results grid, scrolled to the last, and a running query cancelled on the server. */
export function sqlMillionRowsSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'streams 1,000,000 rows into the results grid, scrolls to the last one, and cancels a running query on the server',
      async run(page) {
        await runCommand(page, 'Switchboard: New SQL Query');
        await page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: 'Demo MariaDB' }).waitFor();
        await page.keyboard.press('Enter');
        await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
        const runSql = async (sql: string): Promise<void> => {
          await page.keyboard.press('Control+A');
          await page.keyboard.insertText(sql);
          await page.keyboard.press('Control+Enter');
        };
        await runSql("SELECT seq, CONCAT('row ', seq) AS label FROM seq_1_to_1000000;");
        const results = await panelFrame(page, 'sqlResults');
        // The statement's message (kept on the Messages tab) is written once every row has arrived.
        await results.locator('.message').filter({ hasText: 'seq_1_to_1000000' }).filter({ hasText: '1,000,000 rows ·' }).waitFor({ state: 'attached', timeout: 120_000 });
        await results.getByRole('listbox', { name: 'Rows' }).click();
        await page.keyboard.press('End');
        await results.locator('.vlist-row[aria-selected="true"]').filter({ hasText: 'row 1000000' }).waitFor({ timeout: 10_000 });
        await shot(page, '16-mysql-million-rows');
        // The wheel moves by rows, not by the scroll bar's scaled range: 10 rows (220 px) up, row 999,990 is at the bottom.
        const grid = results.getByRole('listbox', { name: 'Rows' });
        await grid.hover();
        await page.mouse.wheel(0, -220);
        await waitInView(grid, results.locator('.vlist-row').filter({ hasText: 'row 999990' }), true);
        await waitInView(grid, results.locator('.vlist-row').filter({ hasText: 'row 999991' }), false);
        // Back to the SQL editor (the grid has the focus), by keyboard.
        await runCommand(page, 'View: Focus First Editor Group');
        await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 10_000 });
        await runSql('SELECT SLEEP(60) AS slow;');
        await results.getByRole('button', { name: 'Cancel query' }).click({ timeout: 10_000 });
        await results.locator('.status').filter({ hasText: /^Cancelled in/ }).waitFor({ timeout: 10_000 });
        await results.locator('.message').filter({ hasText: 'SLEEP(60)' }).filter({ hasText: 'cancelled' }).waitFor({ state: 'attached' });
        // KILL QUERY stopped it on the server too, not only in the grid.
        const db = await createConnection(need('MYSQL_URL'));
        const [running] = await db.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(60)%'");
        await db.end();
        if ((running as { n: number }[])[0]?.n !== 0) throw new Error('the cancelled query still runs on the server');
      },
    },
  ];
}
