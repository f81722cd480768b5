import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { closeAllEditors, deleteMemcached, loadMemcached, memcachedStats, panelFrame, readMemcached, row, runCommand, seedMemcached, shot, UiStep } from './ui';
import { cutTexts, iconsDraw, wrappedToolbars } from './look';

export async function openBrowser(page: Page): Promise<Frame> {
  await closeAllEditors(page);
  await runCommand(page, 'Switchboard: Browse Memcached Keys');
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Memcached' }).first().click();
  const browser = await panelFrame(page, 'memcachedBrowser');
  await browser.locator('header .status').filter({ hasText: / · done in/ }).waitFor({ timeout: 60_000 });
  return browser;
}

export async function filterTo(browser: Frame, text: string, count: number): Promise<void> {
  await browser.getByLabel('Filter keys').fill(text);
  await browser.locator('header .status').filter({ hasText: new RegExp(`^${count} of [\\d,]+ keys?`) }).waitFor();
}

/** What the first hour with the Memcached browser trips over: stale details after a delete, keys, looks. */
export function memcachedPanelSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'Memcached: a deleted item leaves the details and the list, as the server says; the question before it has Cancel focused',
      async run(page) {
        const servers = need('MEMCACHED_SERVERS');
        await seedMemcached(servers, { 'e2e:stale:a': 'alpha', 'e2e:stale:b': 'beta' });
        const browser = await openBrowser(page);
        await filterTo(browser, 'e2e:stale:', 2);
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:stale:a' }).click();
        await browser.locator('.details h2').filter({ hasText: 'e2e:stale:a' }).waitFor();
        // Enter, then Space, right after the question: neither deletes (Cancel has the focus).
        const details = browser.locator('.details');
        await details.getByRole('button', { name: 'Delete', exact: true }).click();
        const question = details.getByRole('alertdialog');
        await question.filter({ hasText: 'Delete "e2e:stale:a" from Demo Memcached?' }).waitFor();
        assert.equal(await browser.evaluate('document.activeElement.textContent'), 'Cancel');
        await shot(page, '27-memcached-delete-question');
        await page.keyboard.press('Enter');
        await question.waitFor({ state: 'hidden' });
        await details.getByRole('button', { name: 'Delete', exact: true }).click();
        await question.waitFor();
        await page.keyboard.press('Space');
        await question.waitFor({ state: 'hidden' });
        assert.equal(await readMemcached(servers, 'e2e:stale:a'), 'alpha', 'Enter and Space deleted nothing');
        await details.getByRole('button', { name: 'Delete', exact: true }).click();
        await question.getByRole('button', { name: 'Delete' }).click();
        await details.getByText('e2e:stale:a was deleted: the server no longer holds it.').waitFor({ timeout: 10_000 });
        assert.equal(await details.locator('textarea').count(), 0, 'the deleted value is not shown');
        assert.equal(await details.getByRole('button', { name: 'Save' }).count(), 0, 'nor can it be saved');
        await browser.locator('header .status').filter({ hasText: /^1 of [\d,]+ keys?/ }).waitFor();
        assert.equal(await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:stale:a' }).count(), 0);
        assert.equal(await readMemcached(servers, 'e2e:stale:a'), undefined);
        // The Delete key on the list asks the same way; then "1 key", not "1 keys".
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:stale:b' }).click();
        await page.keyboard.press('Delete');
        const bulk = browser.locator('.confirm-slot').getByRole('alertdialog');
        await bulk.filter({ hasText: 'Delete "e2e:stale:b" from Demo Memcached?' }).waitFor();
        await page.keyboard.press('Enter');
        await bulk.waitFor({ state: 'hidden' });
        assert.equal(await readMemcached(servers, 'e2e:stale:b'), 'beta');
        await browser.getByRole('button', { name: 'Delete Selected' }).click();
        await bulk.getByRole('button', { name: 'Delete' }).click();
        await browser.getByText('Deleted 1 key.').waitFor({ timeout: 10_000 });
        await browser.locator('header .status').filter({ hasText: /^0 of [\d,]+ keys?/ }).waitFor();
        await browser.locator('.details').getByText('e2e:stale:b').first().waitFor();
        assert.equal(await readMemcached(servers, 'e2e:stale:b'), undefined);
        // The tree's item count follows the panel's deletes.
        const items = (await memcachedStats(servers))['curr_items'];
        await row(page, /^127\.0\.0\.1:\d+/).locator('.label-description').filter({ hasText: new RegExp(`^${items} items? ·`) }).waitFor({ timeout: 10_000 });
      },
    },
    {
      name: 'Memcached: Enter stores a new item and touches one; TTLs read as durations; JSON is laid out for reading and saved exactly as stored',
      async run(page) {
        const servers = need('MEMCACHED_SERVERS');
        const json = '{"id":9007199254740993,"price":1.10,"tags":["a","b"]}';
        await seedMemcached(servers, { 'e2e:look:json': json }, 292);
        const browser = await openBrowser(page);
        await filterTo(browser, 'e2e:look:', 1);
        const listed = browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:look:json' });
        await listed.filter({ hasText: /in 4 min \d+ s/ }).waitFor();
        await listed.click();
        const details = browser.locator('.details');
        await details.locator('.field-row').filter({ hasText: /^TTL4 min \d+ s left$/ }).waitFor();
        assert.equal(await details.locator('pre.formatted').textContent(), '{\n  "id": 9007199254740993,\n  "price": 1.10,\n  "tags": [\n    "a",\n    "b"\n  ]\n}');
        await shot(page, '28-memcached-json-formatted');
        await browser.getByRole('tab', { name: 'Edit as stored' }).click();
        assert.equal(await details.locator('textarea').inputValue(), json);
        await details.getByRole('button', { name: 'Save' }).click();
        await details.getByText('Saved (cas matched).').waitFor({ timeout: 10_000 });
        assert.equal(await readMemcached(servers, 'e2e:look:json'), json, 'saved byte for byte');
        // A TTL typed and Enter: touched; the TTL shown is the server's.
        const ttl = details.getByLabel('New TTL in seconds');
        await ttl.fill('5400');
        await details.getByText('Expires 1 h 30 min after Touch.').waitFor();
        await ttl.press('Enter');
        await details.getByText(/^TTL set: (1 h 30 min|1 h 29 min) left\.$/).waitFor({ timeout: 10_000 });
        // New item: Enter in the key field stores it, and the listing shows it.
        await browser.getByRole('button', { name: 'New Item' }).click();
        const form = browser.locator('.new-item');
        await form.getByLabel('Value').fill('made with Enter');
        const key = form.getByLabel('Key', { exact: true });
        await key.fill('e2e:look:new');
        await key.press('Enter');
        await form.getByText(/^Stored on 127\.0\.0\.1:\d+\.$/).waitFor({ timeout: 10_000 });
        assert.equal(await readMemcached(servers, 'e2e:look:new'), 'made with Enter');
        await browser.locator('header .status').filter({ hasText: /^2 of [\d,]+ keys/ }).waitFor();
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:look:new' }).filter({ hasText: 'never' }).waitFor();
        await deleteMemcached(servers, ['e2e:look:json', 'e2e:look:new']);
      },
    },
    {
      name: 'Memcached: End selects and opens the last key, and its row stays in view as the value opens below the list; Home goes back; Shift+End and Delete ask about all of them',
      async run(page) {
        const servers = need('MEMCACHED_SERVERS');
        const n = 200_000;
        await loadMemcached(servers, n, 'e2e:end:', 600);
        const list = await openBrowser(page);
        await list.getByLabel('Filter keys').fill('e2e:end:');
        await list.locator('header .status').filter({ hasText: /^200,000 of [\d,]+ keys/ }).waitFor();
        await list.locator('.details').getByText('Select a key to see its value.').waitFor();
        await list.getByRole('listbox', { name: 'Keys' }).focus();
        await page.keyboard.press('End');
        // Rows are pooled: a hidden one may still carry an old focus.
        const focused = list.locator('.vlist-row.focused:visible');
        await focused.filter({ hasText: /^e2e:end:/ }).waitFor();
        const last = ((await focused.locator('.cell').first().textContent()) ?? '').trim();
        await list.locator('.details h2').filter({ hasText: last }).waitFor({ timeout: 10_000 });
        await list.locator('.details textarea').waitFor();
        // Inside the list's box once the pane has taken its room, and it is the last row.
        const inView = (): Promise<boolean> => list.evaluate(`(() => {
          const box = document.querySelector('.vlist').getBoundingClientRect();
          const row = [...document.querySelectorAll('.vlist-row.focused')].find((r) => r.style.display !== 'none');
          if (!row) return false;
          const r = row.getBoundingClientRect();
          return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        })()`);
        assert.ok(await inView(), `the last row (${last}) is in view`);
        assert.equal(await focused.getAttribute('data-index'), String(n - 1));
        await shot(page, '30-memcached-end');
        await page.keyboard.press('Home');
        await list.locator('.vlist-row.focused[data-index="0"]:visible').waitFor();
        assert.ok(await inView(), 'the first row is in view');
        // Shift+End selects all of them; the question names the first few and how many more, and Enter keeps them.
        await page.keyboard.press('Shift+End');
        await page.keyboard.press('Delete');
        const bulk = list.locator('.confirm-slot').getByRole('alertdialog');
        await bulk.filter({ hasText: 'Delete 200,000 keys from Demo Memcached?' }).waitFor({ timeout: 10_000 });
        assert.equal(await bulk.locator('.confirm-items li').count(), 8);
        await bulk.getByText('… and 199,992 more.').waitFor();
        await page.keyboard.press('Enter');
        await bulk.waitFor({ state: 'hidden' });
        assert.equal(await readMemcached(servers, 'e2e:end:0'), 'x', 'Enter deleted nothing');
        await list.getByRole('button', { name: 'Delete Selected' }).click();
        await bulk.getByRole('button', { name: 'Delete' }).click();
        await list.getByText('Deleted 200,000 keys.').waitFor({ timeout: 120_000 });
        await list.locator('header .status').filter({ hasText: /^0 of [\d,]+ keys?/ }).waitFor();
        assert.equal(await readMemcached(servers, 'e2e:end:0'), undefined);
        assert.equal(await readMemcached(servers, `e2e:end:${n - 1}`), undefined);
      },
    },
    {
      name: 'Memcached: nothing in the browser is cut short, its toolbar stays on one line when narrow, and its icons draw',
      async run(page) {
        const browser = await openBrowser(page);
        assert.deepEqual(await cutTexts(browser), []);
        assert.deepEqual(await wrappedToolbars(browser, '.toolbar'), []);
        assert.ok(await iconsDraw(browser), 'codicons draw');
        const wide = page.viewportSize();
        await page.setViewportSize({ width: 1150, height: wide?.height ?? 860 });
        try {
          await browser.locator('.toolbar .label-text').first().waitFor({ state: 'hidden' });
          assert.deepEqual(await wrappedToolbars(browser, '.toolbar'), [], 'one line when narrow');
          assert.deepEqual(await cutTexts(browser), [], 'nothing cut when narrow');
          await shot(page, '29-memcached-narrow');
        } finally {
          if (wide) await page.setViewportSize(wide);
        }
      },
    },
  ];
}
