import Redis from 'ioredis';
import type { Locator } from 'playwright-core';
import { closeAllEditors, panelFrame, runCommand, shot, UiStep, waitInView } from './ui';

/** A million Redis keys through the browser: scrolled to the end, folded into a tree. */
export function redisMillionKeysSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'scans 1,000,000 Redis keys into the browser, scrolls to the end, and folds them into a tree with counts',
      async run(page) {
        const redis = new Redis(need('REDIS_URL'));
        await redis.call('DEBUG', 'POPULATE', '1000000', 'bulk', '8');
        // The SQL editor of the step before is unsaved: close it without saving.
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Browse Redis Keys');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
        const browser = await panelFrame(page, 'redisBrowser');
        await browser.locator('.status').filter({ hasText: /^1,000,0\d\d keys · done in/ }).waitFor({ timeout: 180_000 });
        const keys = browser.getByRole('listbox', { name: 'Keys' });
        await keys.click();
        // End, Home and the page keys choose a key and open it; the list narrows for the value pane, and the chosen
        // row stays in view (it dropped out when the pane opened).
        // Rows are pooled: a hidden one may still carry the selection it drew before.
        const chosen = browser.locator('.vlist-row[aria-selected="true"]:visible');
        // The row now chosen is told apart from the one chosen before by its key, until the list has drawn again.
        const opened = async (row: Locator): Promise<string> => {
          // A row whose key has not arrived from the host yet shows "…".
          const cell = row.locator('.c0').filter({ hasNotText: /^\s*…\s*$/ });
          await cell.waitFor({ timeout: 10_000 });
          const key = ((await cell.textContent()) ?? '').trim();
          await browser.locator('.details h2').filter({ hasText: key }).waitFor({ timeout: 10_000 });
          await waitInView(keys, row, true);
          return key;
        };
        await page.keyboard.press('End');
        await chosen.filter({ hasText: /:/ }).waitFor({ timeout: 10_000 });
        const last = await opened(chosen.filter({ hasText: /:/ }));
        await keys.focus();
        await page.keyboard.press('Home');
        await chosen.filter({ hasNotText: last }).waitFor({ timeout: 10_000 });
        const first = await opened(chosen.filter({ hasNotText: last }));
        await keys.focus();
        await page.keyboard.press('PageDown');
        const pagedRow = chosen.filter({ hasNotText: first });
        await pagedRow.waitFor({ timeout: 10_000 });
        const paged = Number(await pagedRow.getAttribute('data-index'));
        if (!(paged > 1)) throw new Error(`Page Down moved the selection to row ${paged}`);
        await opened(pagedRow);
        await keys.focus();
        await page.keyboard.press('PageUp');
        await chosen.filter({ hasText: first }).waitFor({ timeout: 10_000 });
        await opened(chosen.filter({ hasText: first }));
        await browser.getByLabel('Show keys as').selectOption('tree');
        const bulk = browser.locator('.vlist-row:visible').filter({ hasText: '▸ bulk:' });
        await bulk.filter({ hasText: '1,000,000 keys' }).waitFor({ timeout: 10_000 });
        // The folder's count is drawn whole, not cut to "1,000,00…".
        const cut = await bulk.first().evaluate((folder) => [...folder.querySelectorAll('.cell')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
        if (cut.length > 0) throw new Error(`the folder row is cut: ${cut.join(' | ')}`);
        await bulk.dblclick();
        await browser.locator('.vlist-row:visible').filter({ hasText: '▾ bulk:' }).waitFor();
        await browser.locator('.vlist-row:visible').filter({ hasText: /^\u2003\d+/ }).first().waitFor({ timeout: 10_000 });
        await shot(page, '14-redis-million-keys');
        await redis.flushdb();
        redis.disconnect();
      },
    },
  ];
}
