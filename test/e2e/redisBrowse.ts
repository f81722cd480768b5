import Redis from 'ioredis';
import { closeAllEditors, row, shot, UiStep } from './ui';

/** The Redis key browser: SCAN, a hash read, a string edited. */
export function redisBrowserSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'browses Redis keys with SCAN, reads a hash and edits a string',
      async run(page) {
        const redis = new Redis(need('REDIS_URL'));
        await redis.hset('user:1001', { name: 'Ada Lovelace', email: 'ada@example.com', plan: 'pro' });
        await redis.set('greeting', 'hello');
        await redis.zadd('leaderboard', 3200, 'ada', 2950, 'grace');
        await redis.rpush('queue:emails', 'welcome:1001', 'digest:1002');
        redis.disconnect();
        await closeAllEditors(page);
        await row(page, /^db0/).click();
        const browser = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await browser.locator('.status').filter({ hasText: /done in/ }).waitFor({ timeout: 30_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: 'user:1001' }).click();
        await browser.locator('.details td').filter({ hasText: 'Ada Lovelace' }).waitFor();
        await browser.locator('.vlist-row:visible').filter({ hasText: 'greeting' }).click();
        const value = browser.locator('.details textarea');
        await value.fill('hello from Switchboard');
        await browser.getByRole('button', { name: 'Save' }).click();
        await browser.getByText('Saved.').waitFor({ timeout: 10_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: 'user:1001' }).click();
        await browser.locator('.details td').filter({ hasText: 'Ada Lovelace' }).waitFor();
        await browser.getByPlaceholder('field').fill('team');
        await browser.getByPlaceholder('value', { exact: true }).fill('analytical engines');
        // Typed in another box and not used yet: the pane reads the key again after the add, and keeps it.
        await browser.getByRole('textbox', { name: 'New name' }).fill('user:1001:renamed-later');
        await browser.getByRole('button', { name: 'Add' }).click();
        await browser.locator('.details .status').filter({ hasText: 'Changed.' }).waitFor();
        await browser.locator('.details td').filter({ hasText: 'analytical engines' }).waitFor();
        await browser.locator('.details[aria-busy]').waitFor({ state: 'detached' });
        const kept = await browser.getByRole('textbox', { name: 'New name' }).inputValue();
        if (kept !== 'user:1001:renamed-later') throw new Error(`the new name typed before the add became "${kept}" when the pane read the key again`);
        if (await browser.getByPlaceholder('field').inputValue()) throw new Error('the field just added is still in the add box');
        await browser.locator('.vlist-row:visible').filter({ hasText: 'greeting' }).click();
        await browser.locator('.vlist-row:visible').filter({ hasText: 'user:1001' }).click();
        await browser.locator('.details td').filter({ hasText: 'analytical engines' }).waitFor();
        await shot(page, '09-redis-browser');
      },
    },
  ];
}
