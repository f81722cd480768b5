import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { closeAllEditors, panelFrame, readMemcached, runCommand, seedMemcached, UiStep } from './ui';

const CRLF = 'first line\r\nsecond line\r\n';
const MIXED = 'windows\r\nunix\nold mac\rend';

/**
 * A textarea gives its text back with CRLF and lone CR as LF: a value with Windows line breaks, edited at its end in
 * the Redis and Memcached browsers, is saved with its CRLFs, and one that mixes line breaks is shown, not editable.
 * Needs the "Demo Redis" and "Demo Memcached" connections the earlier steps add.
 */
export function lineBreaksKeptStep(need: (key: string) => string): UiStep {
  return {
    name: 'keeps a value\'s CRLF line breaks through an edit, and shows one that mixes them read-only (Redis, Memcached)',
    async run(page) {
      const redis = new Redis(need('REDIS_URL'));
      try {
        await redis.set('e2e:breaks:crlf', CRLF);
        await redis.set('e2e:breaks:mixed', MIXED);
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Browse Redis Keys');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
        const browser = await panelFrame(page, 'redisBrowser');
        await browser.locator('.status').filter({ hasText: /done in/ }).waitFor({ timeout: 30_000 });
        await browser.getByRole('searchbox', { name: 'Key pattern' }).fill('e2e:breaks:*');
        await browser.getByRole('button', { name: 'Scan', exact: true }).click();
        await browser.locator('.status').filter({ hasText: /^2 keys · done in/ }).waitFor({ timeout: 30_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:breaks:crlf' }).click();
        const value = browser.getByRole('textbox', { name: 'Value', exact: true });
        await value.press('Control+End');
        await value.pressSequentially('added');
        await browser.getByRole('button', { name: 'Save', exact: true }).click();
        await browser.locator('.details .status').filter({ hasText: 'Saved.' }).waitFor({ timeout: 15_000 });
        assert.equal(await redis.get('e2e:breaks:crlf'), `${CRLF}added`, 'the untouched line breaks are CRLF still');

        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:breaks:mixed' }).click();
        await browser.locator('.details .help').filter({ hasText: 'mixed line breaks' }).waitFor({ timeout: 15_000 });
        assert.equal(await value.getAttribute('readonly'), '', 'a value mixing line breaks is not edited in the box');
        assert.equal(await browser.getByRole('button', { name: 'Save', exact: true }).count(), 0, 'nor saved from it');
      } finally {
        await redis.del('e2e:breaks:crlf', 'e2e:breaks:mixed');
        redis.disconnect();
      }

      const servers = need('MEMCACHED_SERVERS');
      await seedMemcached(servers, { 'e2e:mc-crlf': CRLF, 'e2e:mc-mixed': MIXED });
      await closeAllEditors(page);
      await runCommand(page, 'Switchboard: Browse Memcached Keys');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Memcached' }).first().click();
      const keys = await panelFrame(page, 'memcachedBrowser');
      await keys.locator('.status').filter({ hasText: /\d+ keys/ }).first().waitFor({ timeout: 30_000 });
      await keys.locator('input[type="search"]').fill('e2e:mc-');
      await keys.locator('.status').filter({ hasText: /^2 of [\d,]+ keys/ }).waitFor();
      await keys.locator('.vlist-row:visible').filter({ hasText: 'e2e:mc-crlf' }).click();
      const editor = keys.getByRole('textbox', { name: 'Value', exact: true });
      await editor.press('Control+End');
      await editor.pressSequentially('added');
      await keys.getByRole('button', { name: 'Save' }).click();
      await keys.getByText('Saved (cas matched).').waitFor({ timeout: 10_000 });
      assert.equal(await readMemcached(servers, 'e2e:mc-crlf'), `${CRLF}added`, 'the untouched line breaks are CRLF still');

      await keys.locator('.vlist-row:visible').filter({ hasText: 'e2e:mc-mixed' }).click();
      await keys.getByText(/This value mixes line breaks/).waitFor({ timeout: 10_000 });
      assert.equal(await keys.getByRole('textbox', { name: 'Value', exact: true }).getAttribute('readonly'), '', 'a value mixing line breaks is not edited in the box');
      assert.equal(await keys.getByRole('button', { name: 'Save' }).count(), 0, 'nor saved from it');
      assert.equal(await readMemcached(servers, 'e2e:mc-mixed'), MIXED);
    },
  };
}
