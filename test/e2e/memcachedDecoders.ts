import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { deleteMemcached, holds, readMemcachedBytes, shot, storeMemcachedBytes, UiStep } from './ui';
import { filterTo, openBrowser } from './memcachedPanelSteps';

const GZIP = 'e2e:mdecode:gzip-json';


/**
 * Decode as in the Memcached browser: a gzip'd JSON a Node client stored (flags 0, which python-memcached's flags
 * call bytes) shows as JSON, with how a save would store it; another codec in Decode as says it is not that, Raw
 * shows the item as its flags read it; an edit is saved gzip'd through cas.
 */
export function memcachedDecodersStep(need: (key: string) => string): UiStep {
  return {
    name: 'Memcached: Decode as shows a gzip\'d JSON another client stored as JSON, decodes it otherwise on request, and saves an edit gzip\'d through cas',
    async run(page) {
      const servers = need('MEMCACHED_SERVERS');
      await storeMemcachedBytes(servers, GZIP, gzipSync(Buffer.from(JSON.stringify({ user: 'ada', plan: 'pro' }))));
      try {
        const browser = await openBrowser(page);
        await filterTo(browser, 'e2e:mdecode:', 1);
        await browser.locator('.vlist-row:visible').filter({ hasText: GZIP }).click();
        const details = browser.locator('.details');
        const detected = details.locator('.decoded-as');
        await detected.filter({ hasText: 'detected: gzip → JSON' }).waitFor({ timeout: 15_000 });
        const decoded = details.getByRole('textbox', { name: 'Decoded value' });
        await holds(decoded, /^\{\n {2}"user": "ada",\n {2}"plan": "pro"\n\}$/);
        // Node's gzip: a save makes the stored bytes again, and the pane says so in words.
        await details.locator('.decoded-note').filter({ hasText: 'Saving compresses again with gzip with the stored header, level 6, checked to reproduce the stored bytes exactly.' }).waitFor();
        await shot(page, '31-memcached-decoded-gzip-json');

        // Another codec: not zlib, said so; Raw: the bytes as the flags read them; gzip: JSON again.
        const choice = details.getByRole('combobox', { name: 'Decode as' });
        await choice.selectOption('zlib');
        await details.locator('.problem').filter({ hasText: /^Not decoded as zlib: This is not zlib data/ }).waitFor({ timeout: 15_000 });
        await choice.selectOption('none');
        await detected.filter({ hasText: 'showing the value as stored' }).waitFor();
        assert.match(await details.getByRole('textbox', { name: 'Value', exact: true }).inputValue(), /^00000000 {2}1f 8b 08/);
        await choice.selectOption('gzip');
        await detected.filter({ hasText: /^gzip → JSON$/ }).waitFor({ timeout: 15_000 });
        await holds(decoded, /"plan": "pro"/);

        // Edited and saved with the cas it was read with: stored gzip'd again, and shown decoded.
        await details.getByRole('button', { name: 'Edit', exact: true }).click();
        await decoded.fill('{"user":"ada","plan":"team"}');
        await details.getByRole('button', { name: 'Save', exact: true }).click();
        await details.getByText('Saved (cas matched).').waitFor({ timeout: 15_000 });
        const stored = await readMemcachedBytes(servers, GZIP);
        assert.ok(stored && stored[0] === 0x1f && stored[1] === 0x8b, 'still gzip');
        assert.deepEqual(JSON.parse(gunzipSync(stored).toString('utf8')), { user: 'ada', plan: 'team' });
        // Read again after the save, still decoded as the user picked (not back to Auto-detect).
        await holds(decoded, /"plan": "team"/);
        assert.equal(await choice.inputValue(), 'gzip', 'the pick stays');
        await detected.filter({ hasText: /^gzip → JSON$/ }).waitFor();
      } finally {
        await deleteMemcached(servers, [GZIP]);
      }
    },
  };
}
