import { closeAllEditors, runCommand, seedMemcached, shot, UiStep } from './ui';

/** The Memcached key browser: listing, filter, a save with cas. */
export function memcachedBrowserSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'browses Memcached keys, filters them and saves a value with cas',
      async run(page) {
        await seedMemcached(need('MEMCACHED_SERVERS'), { 'e2e:greeting': 'hello', 'e2e:config': '{"theme":"dark","beta":true}', 'e2e:visits': '41' });
        // Make room: hide the terminal panel (Ctrl+J toggles it) and close the editors.
        if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Browse Memcached Keys');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Memcached' }).first().click();
        const browser = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await browser.locator('.status').filter({ hasText: /\d+ keys/ }).first().waitFor({ timeout: 30_000 });
        await browser.locator('input[type="search"]').fill('e2e:');
        // The filter redraws the list on the next frame: wait for it before picking a row.
        await browser.locator('.status').filter({ hasText: /^3 (of [\d,]+ )?keys/ }).waitFor();
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:greeting' }).click();
        const value = browser.locator('.details textarea');
        await value.waitFor();
        await value.fill('hello, edited in Switchboard');
        await browser.getByRole('button', { name: 'Save' }).click();
        await browser.getByText('Saved (cas matched).').waitFor({ timeout: 10_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:config' }).click();
        await browser.locator('.details').getByText('JSON').waitFor();
        await shot(page, '08-memcached-browser');
      },
    },
  ];
}
