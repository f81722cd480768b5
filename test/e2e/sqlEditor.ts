import { createConnection } from 'mysql2/promise';
import type { Frame } from 'playwright-core';
import { closeAllEditors, panelFrame, runCommand, shot, typeLines, UiStep } from './ui';

/** Builds in the ORM builder the orders with their customer whose name starts with Ada. */
export async function ordersOfAda(builder: Frame): Promise<void> {
  await builder.getByLabel('Model', { exact: true }).selectOption('E2eOrder');
  await builder.getByLabel('Include customer').check();
  await builder.getByRole('button', { name: 'Add condition' }).click();
  await builder.getByLabel('Attribute', { exact: true }).selectOption('customer.name');
  await builder.getByLabel('Operator', { exact: true }).selectOption('like');
  await builder.getByLabel('Value', { exact: true }).fill('Ada%');
}

/** SQL from an editor into the results grid (Ctrl+Enter), then an ORM query built on the live models. */
export function sqlEditorSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'runs SQL from an editor with Ctrl+Enter into the results grid, then builds an ORM query on the live models',
      async run(page) {
        const db = await createConnection(need('MYSQL_URL'));
        await db.query('CREATE TABLE IF NOT EXISTS e2e_customers (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, email VARCHAR(120) NULL, note TEXT NULL)');
        await db.query('CREATE TABLE IF NOT EXISTS e2e_orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL, FOREIGN KEY (customer_id) REFERENCES e2e_customers(id))');
        await db.query("INSERT IGNORE INTO e2e_customers VALUES (1, 'Ada Lovelace', 'ada@example.com', NULL), (2, 'Grace Hopper', NULL, '<script>alert(1)</script>')");
        await db.query('INSERT IGNORE INTO e2e_orders VALUES (10, 1, 49.90), (11, 1, 19.50), (12, 2, 5.00)');
        await db.end();
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: New SQL Query');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo MariaDB' }).first().click();
        await page.locator('.statusbar-item').filter({ hasText: 'Demo MariaDB' }).first().waitFor({ timeout: 10_000 });
        await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
        await typeLines(page, 'SELECT c.id, c.name, c.email, c.note, COUNT(o.id) AS orders\nFROM e2e_customers c LEFT JOIN e2e_orders o ON o.customer_id = c.id\nGROUP BY c.id ORDER BY c.id;');
        await page.keyboard.press('Control+Enter');
        const results = await panelFrame(page, 'sqlResults');
        await results.locator('.vlist-row:visible').filter({ hasText: 'Ada Lovelace' }).waitFor({ timeout: 20_000 });
        await results.locator('.vlist-row:visible .null').first().waitFor();
        await results.locator('.vlist-row:visible').filter({ hasText: '<script>alert(1)</script>' }).waitFor();
        await results.locator('.status').filter({ hasText: /^Done in/ }).waitFor();
        await shot(page, '12-mysql-results');
        await runCommand(page, 'Switchboard: Open ORM Query Builder');
        const builder = await panelFrame(page, 'ormBuilder');
        await ordersOfAda(builder);
        await builder.getByRole('button', { name: 'Show SQL' }).click();
        await builder.locator('.sql').filter({ hasText: 'LEFT OUTER JOIN `e2e_customers` AS `customer`' }).waitFor({ timeout: 10_000 });
        await builder.getByRole('button', { name: 'Run', exact: true }).click();
        await builder.locator('header .status').filter({ hasText: '2 rows, one per E2eOrder instance.' }).waitFor({ timeout: 10_000 });
        await builder.getByRole('table', { name: 'Results' }).locator('td').filter({ hasText: '49.90' }).waitFor({ timeout: 10_000 });
        await shot(page, '13-orm-builder');
        // The plan of the SELECT the builder sends, in the EXPLAIN panel; then back to the builder.
        await builder.getByRole('button', { name: 'Explain…' }).click();
        const plan = await panelFrame(page, 'mysqlExplain');
        await plan.locator('.statement').filter({ hasText: 'LEFT OUTER JOIN `e2e_customers` AS `customer`' }).waitFor({ timeout: 15_000 });
        await plan.locator('.step-label').filter({ hasText: /^Table / }).first().waitFor({ timeout: 15_000 });
        // Its own tab closed, the builder it opened from is the one shown in that group again.
        const explainTab = page.locator('.tabs-container .tab').filter({ hasText: 'Demo MariaDB: EXPLAIN' });
        await explainTab.hover();
        await explainTab.locator('.tab-actions .action-label').first().click();
        await explainTab.waitFor({ state: 'detached' });
        await (await panelFrame(page, 'ormBuilder')).getByRole('table', { name: 'Results' }).locator('td').filter({ hasText: '49.90' }).first().waitFor({ timeout: 10_000 });
      },
    },
  ];
}
