import { createConnection, RowDataPacket } from 'mysql2/promise';
import type { Frame, Page } from 'playwright-core';
import { closeAllEditors, expand, openConnectionForm, panelFrame, pasteAddress, row, runAndPick, runCommand, savedRow, shot, UiStep } from './ui';

/** Runs SQL on the server directly: what it holds, whatever the UI says. */
async function query(url: string, sql: string): Promise<RowDataPacket[]> {
  const db = await createConnection(url);
  try {
    return (await db.query<RowDataPacket[]>(sql))[0];
  } finally {
    await db.end();
  }
}

/** Fills one field of the row pane and leaves it, which stages the change. */
async function setField(frame: Frame, name: string, value: string): Promise<void> {
  const field = frame.locator('.details').getByLabel(name, { exact: true });
  await field.fill(value);
  await field.press('Tab');
}

async function applyReviewed(page: Page, frame: Frame, changes: number, statements: string[], screenshot?: string): Promise<void> {
  await frame.getByRole('button', { name: `Review and apply ${changes} change${changes === 1 ? '' : 's'}…` }).click();
  const review = frame.getByRole('alertdialog', { name: /^Apply \d+ changes? to e2e_\w+ in one transaction\?$/ });
  for (const statement of statements) await review.getByText(statement).first().waitFor({ timeout: 10_000 });
  if (screenshot) await shot(page, screenshot);
  await review.getByRole('button', { name: 'Apply', exact: true }).click();
  await frame.locator('.notice').filter({ hasText: `Applied ${changes} change` }).waitFor({ timeout: 10_000 });
}

/** Open Table from the tree: a WHERE filter and sorting on the server, edits reviewed and applied, a foreign key followed. */
export function tableDataSteps(need: (key: string) => string): UiStep[] {
  const url = need('MYSQL_URL');
  return [
    {
      name: 'opens a table from the tree, filters and sorts it on the server, and applies an edit, a new row and a deletion in one reviewed transaction',
      async run(page) {
        await closeAllEditors(page);
        await query(url, 'DELETE FROM e2e_orders WHERE id >= 13');
        await row(page, /^demo/).click();
        const orders = row(page, /^e2e_orders/);
        await orders.waitFor({ timeout: 15_000 });
        await orders.hover();
        await orders.locator('.action-label[aria-label="Open Table"]').click();
        const table = await panelFrame(page, 'tableData');
        await table.locator('header .status').filter({ hasText: /^rows 1–3( of about \d+)? · paged by key/ }).waitFor({ timeout: 15_000 });

        await table.getByLabel('Filter (a WHERE condition)').fill('total > 10');
        await table.getByLabel('Filter (a WHERE condition)').press('Enter');
        await table.locator('header .status').filter({ hasText: /^rows 1–2 · paged by key/ }).waitFor({ timeout: 10_000 });
        await table.getByRole('columnheader', { name: 'total' }).click();
        await table.getByRole('columnheader', { name: 'total ▲' }).click();
        await table.getByRole('columnheader', { name: 'total ▼' }).waitFor();
        await table.locator('.vlist-row:visible').first().filter({ hasText: '49.90' }).waitFor({ timeout: 10_000 });
        // A filter that tries to step out of its WHERE is refused, and the rows shown stay.
        await table.getByLabel('Filter (a WHERE condition)').fill('1) UNION SELECT 1, 2, 3 FROM DUAL WHERE (1');
        await table.getByRole('button', { name: 'Filter', exact: true }).click();
        await table.locator('.notice.error-text').filter({ hasText: 'The filter was not applied: the filter closes a parenthesis it did not open' }).waitFor({ timeout: 10_000 });
        await table.locator('.vlist-row:visible').filter({ hasText: '49.90' }).waitFor();
        await table.getByLabel('Filter (a WHERE condition)').fill('');
        await table.getByRole('button', { name: 'Filter', exact: true }).click();
        await table.locator('header .status').filter({ hasText: /^rows 1–3/ }).waitFor({ timeout: 10_000 });

        await table.locator('.vlist-row:visible').filter({ hasText: '19.50' }).click();
        await setField(table, 'total', '21.00');
        await table.getByRole('button', { name: 'Add row' }).click();
        await setField(table, 'id', '13');
        await setField(table, 'customer_id', '2');
        await setField(table, 'total', '7.25');
        // The question shows the statements of two changes; a third staged while it is open makes it stale.
        await table.getByRole('button', { name: 'Review and apply 2 changes…' }).click();
        const stale = table.getByRole('alertdialog', { name: 'Apply 2 changes to e2e_orders in one transaction?' });
        await stale.waitFor({ timeout: 10_000 });
        await table.locator('.vlist-row:visible').filter({ hasText: '5.00' }).click();
        await table.getByRole('button', { name: 'Delete row' }).click();
        await table.locator('.vlist-row.deleted:visible').filter({ hasText: '5.00' }).waitFor();
        await stale.getByRole('button', { name: 'Apply', exact: true }).click();
        await table.locator('.notice.error-text').filter({ hasText: 'The changes were edited after they were reviewed: nothing was applied.' }).waitFor({ timeout: 10_000 });
        const untouched = (await query(url, 'SELECT id, total FROM e2e_orders ORDER BY id')).map((r) => `${String(r['id'])}:${String(r['total'])}`).join(' ');
        if (untouched !== '10:49.90 11:19.50 12:5.00') throw new Error(`a stale review changed the table: ${untouched}`);
        await shot(page, '17-table-data-staged');
        await applyReviewed(page, table, 3, ['UPDATE `demo`.`e2e_orders` SET `total` = ?', 'INSERT INTO `demo`.`e2e_orders` (`id`, `customer_id`, `total`) VALUES (?, ?, ?)', 'DELETE FROM `demo`.`e2e_orders` WHERE'], '17-table-data-review');
        await table.locator('.vlist-row:visible').filter({ hasText: '7.25' }).waitFor({ timeout: 10_000 });
        const rows = await query(url, 'SELECT id, total FROM e2e_orders ORDER BY id');
        const shown = rows.map((r) => `${String(r['id'])}:${String(r['total'])}`).join(' ');
        if (shown !== '10:49.90 11:21.00 13:7.25') throw new Error(`the table holds ${shown}`);
        await query(url, 'DELETE FROM e2e_orders WHERE id = 13');
        await query(url, 'UPDATE e2e_orders SET total = 19.50 WHERE id = 11');
        await query(url, 'INSERT IGNORE INTO e2e_orders VALUES (12, 2, 5.00)');
      },
    },
    {
      name: 'follows a foreign-key cell to the row it refers to, sets a value to NULL there, and the table view comes back after being hidden',
      async run(page) {
        const orders = await panelFrame(page, 'tableData');
        await orders.getByRole('button', { name: 'Next ›', disabled: true }).waitFor();
        await orders.locator('.vlist-row:visible').filter({ hasText: '49.90' }).click();
        await orders.locator('.details').getByRole('button', { name: '→ e2e_customers' }).click();
        await page.locator('.tabs-container .tab.active').filter({ hasText: 'demo.e2e_customers' }).waitFor({ timeout: 10_000 });
        const customers = await panelFrame(page, 'tableData');
        await customers.locator('.match').filter({ hasText: 'Only the row a foreign key refers to: id = 1' }).waitFor({ timeout: 10_000 });
        await customers.locator('.vlist-row:visible').filter({ hasText: 'Ada Lovelace' }).click();
        await customers.locator('.details').getByLabel('email is NULL').check();
        await customers.getByLabel('Filter (a WHERE condition)').fill('name <> \'typed, not applied\'');
        // Hidden and back: the filter being typed, the row and the staged NULL are all there.
        await runCommand(page, 'File: New Untitled Text File');
        await page.locator('.tabs-container .tab.active').filter({ hasText: 'Untitled' }).first().waitFor();
        await page.locator('.tabs-container .tab').filter({ hasText: 'demo.e2e_customers' }).first().click();
        const back = await panelFrame(page, 'tableData');
        await back.locator('.vlist-row.edited:visible').filter({ hasText: 'Ada Lovelace' }).filter({ hasText: 'NULL' }).waitFor({ timeout: 10_000 });
        if ((await back.getByLabel('Filter (a WHERE condition)').inputValue()) !== 'name <> \'typed, not applied\'') throw new Error('the filter being typed was lost');
        await shot(page, '18-table-data-foreign-key');
        await applyReviewed(page, back, 1, ['UPDATE `demo`.`e2e_customers` SET `email` = ?', 'with ? = NULL']);
        const [ada] = await query(url, 'SELECT email FROM e2e_customers WHERE id = 1');
        if (ada?.['email'] !== null) throw new Error(`email is ${String(ada?.['email'])}, not NULL`);
        await query(url, "UPDATE e2e_customers SET email = 'ada@example.com' WHERE id = 1");
      },
    },
    {
      name: 'a table of a read-only connection opens read-only: no edit controls, and the reason shown',
      async run(page) {
        await closeAllEditors(page);
        const frame = await openConnectionForm(page);
        await pasteAddress(page, frame, url);
        await frame.locator('#field-name').fill('Prod MariaDB');
        await frame.locator('#field-readOnly').check();
        await frame.getByRole('button', { name: 'Save' }).click();
        await savedRow(page, 'Prod MariaDB');
        // Only the new connection's tables in the tree: every other row folded away by List: Collapse All (Ctrl+Left).
        await row(page, 'Prod MariaDB').click();
        await page.keyboard.press('Control+ArrowLeft');
        await page.locator('.monaco-list-row[role="treeitem"]').filter({ hasText: /^e2e_orders/ }).waitFor({ state: 'detached' });
        await expand(page, 'Prod MariaDB', /^demo/);
        await row(page, /^demo/).click();
        await row(page, /^e2e_orders/).waitFor({ timeout: 15_000 });
        // From the palette this time (the tree's own Open Table is the first step's): connection, database, table.
        await runAndPick(page, 'Switchboard: Open Table', 'Prod MariaDB');
        for (const [asked, answer] of [['Database on Prod MariaDB', 'demo'], ['Open which table of demo', 'e2e_orders']] as const) {
          await page.locator(`.quick-input-widget input[placeholder^="${asked}"]`).waitFor({ timeout: 15_000 });
          await page.keyboard.type(answer);
          await page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: new RegExp(`^${answer}`) }).waitFor();
          await page.keyboard.press('Enter');
        }
        await page.locator('.tabs-container .tab.active').filter({ hasText: 'Prod MariaDB · demo.e2e_orders' }).waitFor({ timeout: 10_000 });
        const table = await panelFrame(page, 'tableData');
        await table.locator('header .status').filter({ hasText: /^rows 1–3/ }).waitFor({ timeout: 15_000 });
        await table.getByText('"Prod MariaDB" is a read-only connection.').waitFor();
        for (const name of ['Add row', 'Delete row']) {
          if (await table.getByRole('button', { name }).isVisible()) throw new Error(`${name} is offered on a read-only connection`);
        }
        await table.locator('.vlist-row:visible').filter({ hasText: '49.90' }).click();
        if ((await table.locator('.details').getByLabel('total', { exact: true }).getAttribute('readonly')) === null) throw new Error('a value can be typed into on a read-only connection');
        await shot(page, '19-table-data-read-only');
        // Leave the workbench as the later steps expect it: one editor group, the read-only connection folded.
        await runCommand(page, 'View: Close All Editor Groups');
        await row(page, 'Prod MariaDB').click();
        await page.locator('.monaco-list-row[role="treeitem"]').filter({ hasText: /^e2e_orders/ }).waitFor({ state: 'detached' });
      },
    },
  ];
}
