import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import Redis from 'ioredis';
import { closeAllEditors, panelFrame, row, shot, UiStep } from './ui';

/**
 * The question a removal asks in the panel, waited for by the text that names the member, answered with one of its
 * buttons. Cancel has the focus, so Cancel is answered with Enter, as a hurried user would.
 */
async function answer(page: Page, browser: Frame, question: string, button: 'Remove' | 'Delete' | 'Replace' | 'Cancel'): Promise<void> {
  const asked = browser.getByRole('alertdialog').filter({ hasText: question });
  await asked.waitFor({ timeout: 15_000 });
  if (button === 'Cancel') await page.keyboard.press('Enter');
  else await asked.getByRole('button', { name: button, exact: true }).click();
  await asked.waitFor({ state: 'detached', timeout: 15_000 });
}

/** Waits until the value pane shows what the server holds (it reads the key again after every write). */
async function settled(browser: Frame): Promise<void> {
  await browser.locator('.details[aria-busy]').waitFor({ state: 'detached', timeout: 15_000 });
}

/**
 * Removing members in the key browser: each removal asks first, naming the member; after one list item goes the
 * indexes on the page follow, so the next removal names (and removes) the item chosen; a binary hash field and a text
 * field that look alike are told apart; a TTL of 0 asks as the delete it is; a rename onto a name in use asks to replace it.
 */
export function redisMembersStep(need: (key: string) => string): UiStep {
  return {
    name: 'removes Redis list items, hash fields, TTLs and renamed-over keys only after asking in the panel, naming exactly what goes',
    async run(page) {
      const redis = new Redis(need('REDIS_URL'));
      const LIST = 'e2e:members:list';
      const HASH = 'e2e:members:hash';
      const FROM = 'e2e:members:from';
      const TO = 'e2e:members:to';
      await redis.del(LIST, HASH);
      await redis.mset(FROM, 'moved value', TO, 'value in the way');
      await redis.rpush(LIST, 'alpha', 'bravo', 'charlie', 'delta');
      // Written binary first: a small hash lists its fields in the order written.
      await redis.hset(HASH, Buffer.from([0xff, 0x61]), 'binary', '\\xffa', 'text');
      try {
        await closeAllEditors(page);
        await row(page, /^db0/).click();
        const browser = await panelFrame(page, 'redisBrowser');
        await browser.locator('.status').filter({ hasText: /done in/ }).waitFor({ timeout: 30_000 });

        await browser.locator('.vlist-row:visible').filter({ hasText: LIST }).click();
        await browser.locator('.details td').filter({ hasText: 'charlie' }).waitFor();
        await browser.getByRole('button', { name: 'Remove bravo' }).click();
        await browser.getByRole('alertdialog', { name: `Remove item #1 ("bravo") from list "${LIST}"?` }).waitFor({ timeout: 15_000 });
        await shot(page, '16-redis-remove-confirm');
        await answer(page, browser, 'Remove item #1 ("bravo")', 'Remove');
        await browser.locator('.details td').filter({ hasText: 'bravo' }).waitFor({ state: 'detached' });
        // charlie was at 2 and is at 1 now: the page says so, and the question names it there.
        await browser.getByRole('button', { name: 'Remove charlie' }).click();
        await answer(page, browser, `Remove item #1 ("charlie") from list "${LIST}"?`, 'Cancel');
        assert.deepEqual(await redis.lrange(LIST, 0, -1), ['alpha', 'charlie', 'delta'], 'cancel removes nothing');
        await browser.getByRole('button', { name: 'Remove charlie' }).click();
        await answer(page, browser, `Remove item #1 ("charlie") from list "${LIST}"?`, 'Remove');
        await browser.locator('.details td').filter({ hasText: 'charlie' }).waitFor({ state: 'detached' });
        assert.deepEqual(await redis.lrange(LIST, 0, -1), ['alpha', 'delta']);
        await settled(browser);

        // Someone else changes the list meanwhile: the item shown is not the one there any more, and stays.
        await redis.lset(LIST, 1, 'echo');
        await browser.getByRole('button', { name: 'Remove delta' }).click();
        await answer(page, browser, 'Remove item #1 ("delta")', 'Remove');
        await browser.locator('.details .status').filter({ hasText: 'no longer the one shown' }).waitFor();
        assert.deepEqual(await redis.lrange(LIST, 0, -1), ['alpha', 'echo']);
        await settled(browser);

        await browser.locator('.vlist-row:visible').filter({ hasText: HASH }).click();
        await browser.locator('.details td').filter({ hasText: 'binary' }).waitFor();
        await browser.locator('.details tbody tr').first().getByRole('button').click();
        await answer(page, browser, `Remove field "\\xffa" from hash "${HASH}"?`, 'Remove');
        await browser.locator('.details td').filter({ hasText: 'binary' }).waitFor({ state: 'detached' });
        assert.deepEqual(await redis.hgetall(HASH), { '\\xffa': 'text' }, 'the binary field went, the look-alike text field stayed');
        await settled(browser);

        await browser.getByRole('textbox', { name: 'TTL in seconds' }).or(browser.getByRole('spinbutton', { name: 'TTL in seconds' })).fill('0');
        await browser.getByRole('button', { name: 'Set TTL' }).click();
        await answer(page, browser, `A TTL of 0 deletes "${HASH}"`, 'Cancel');
        assert.equal(await redis.exists(HASH), 1, 'cancelled: the key stays');
        assert.equal(await redis.ttl(HASH), -1);
        await browser.getByRole('button', { name: 'Set TTL' }).click();
        await answer(page, browser, `A TTL of 0 deletes "${HASH}"`, 'Delete');
        await browser.locator('.details .status').filter({ hasText: 'Deleted.' }).waitFor();
        assert.equal(await redis.exists(HASH), 0);

        // A rename onto a name in use asks before replacing it; Enter keeps both.
        await browser.locator('.vlist-row:visible').filter({ hasText: FROM }).click();
        await browser.locator('.details h2').filter({ hasText: FROM }).waitFor();
        await browser.getByRole('textbox', { name: 'New name' }).fill(TO);
        await browser.getByRole('button', { name: 'Rename', exact: true }).click();
        const replace = `"${TO}" already exists in db0. Replace it with "${FROM}"?`;
        await answer(page, browser, replace, 'Cancel');
        assert.deepEqual(await redis.mget(FROM, TO), ['moved value', 'value in the way'], 'cancelled: both keys stay as they were');
        await browser.getByRole('button', { name: 'Rename', exact: true }).click();
        await answer(page, browser, replace, 'Replace');
        await browser.locator('.details h2').filter({ hasText: TO }).waitFor();
        assert.deepEqual(await redis.mget(FROM, TO), [null, 'moved value']);
      } finally {
        await redis.del(LIST, HASH, FROM, TO);
        redis.disconnect();
      }
    },
  };
}
