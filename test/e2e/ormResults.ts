/* ORM results in the builder: one row per model instance, to-many associations nested in a cell. */
import { panelFrame, shot, UiStep } from './ui';

/** Builds on the step before: the builder is open on the e2e tables (Ada Lovelace has orders 10 and 11). */
export const ormResultsStep: UiStep = {
  name: 'ORM results: a hasMany include is one row per customer with its orders nested in an expandable cell; the note says why it is not editable',
  async run(page) {
    const builder = await panelFrame(page, 'ormBuilder');
    await builder.getByLabel('Model', { exact: true }).selectOption('E2eCustomer');
    const include = builder.locator('input.include[data-target="E2eOrder"]');
    await include.check();
    const path = (await include.getAttribute('data-path')) ?? '';
    await builder.getByRole('button', { name: 'Add condition' }).click();
    await builder.getByLabel('Attribute', { exact: true }).selectOption('name');
    await builder.getByLabel('Operator', { exact: true }).selectOption('eq');
    await builder.getByLabel('Value', { exact: true }).fill('Ada Lovelace');
    await builder.getByRole('button', { name: 'Run', exact: true }).click();
    // One customer asked for, one row shown: not one row per order.
    await builder.locator('header .status').filter({ hasText: '1 row, one per E2eCustomer instance.' }).waitFor({ timeout: 15_000 });
    const results = builder.getByRole('table', { name: 'Results' });
    const rows = results.locator(':scope > tbody > tr');
    if ((await rows.count()) !== 1) throw new Error(`one customer should be one row, not ${await rows.count()}`);
    await rows.first().locator('td').filter({ hasText: 'Ada Lovelace' }).waitFor();
    const cell = results.getByRole('button', { name: `2 ${path} ▸` });
    await cell.waitFor();
    if ((await builder.getByText('49.90').count()) !== 0) throw new Error('the orders should stay folded until their cell is opened');
    await cell.click();
    const orders = results.getByRole('table', { name: `${path} of row 1` });
    await orders.locator('td').filter({ hasText: '49.90' }).waitFor();
    await orders.locator('td').filter({ hasText: '19.50' }).waitFor();
    if ((await orders.locator(':scope > tbody > tr').count()) !== 2) throw new Error('the nested table should hold the two orders');
    await results.getByRole('button', { name: `2 ${path} ▾` }).waitFor();
    // A writable connection: the note says what it means, not that the connection is read-only.
    const note = builder.locator('.results-note');
    await note.filter({ hasText: 'ORM results are not editable here' }).waitFor();
    if ((await note.textContent())?.includes('Read-only')) throw new Error(`a writable connection's note says "${await note.textContent()}"`);
    await shot(page, '13b-orm-nested-results');
    await results.getByRole('button', { name: `2 ${path} ▾` }).click();
    await orders.waitFor({ state: 'detached' });
  },
};
