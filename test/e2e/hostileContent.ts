import assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import Redis from 'ioredis';
import { connect as amqp } from 'amqplib';
import { closeAllEditors, holds, panelFrame, readMemcached, runCommand, seedMemcached, shot, UiStep } from './ui';
import { filterTo } from './memcachedPanelSteps';

/** Markup-shaped and spoofing names, values, headers and bodies in three panels: shown as text, none of them run. */
export function hostileContentStep(need: (key: string) => string): UiStep {
  return {
    name: 'shows hostile key names, values and message bodies as text in every browser, and runs none of them',
    async run(page) {
      // Each payload would set window.__sbPwned or open a dialog if any webview turned it into markup or code.
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      const hostileKey = '<img src=x onerror="window.__sbPwned=\'redis-key\'">';
      const hostileValue = '<script>window.__sbPwned="redis-value"</script><img src=x onerror=alert("redis-value")>';
      const redis = new Redis(need('REDIS_URL'));
      await redis.set(hostileKey, hostileValue);
      await redis.set(`\u202Eevil:ключ:🔑:${'long'.repeat(500)}`, 'unicode and 2,000 characters');
      redis.disconnect();
      await seedMemcached(need('MEMCACHED_SERVERS'), { '<svg/onload=alert("mc-key")>': '<img src=x onerror=alert("mc-value")>' });
      const broker = await amqp(need('AMQP_URL'));
      const channel = await broker.createConfirmChannel();
      await channel.assertQueue('e2e.hostile', { durable: false });
      await channel.purgeQueue('e2e.hostile');
      channel.sendToQueue('e2e.hostile', Buffer.from('<img src=x onerror=alert("amqp-body")>'), { headers: { '<b onmouseover=alert(1)>': '<script>alert("amqp-header")</script>' } });
      await channel.waitForConfirms();
      await broker.close();
      const textareaHolds = (frame: Frame, text: string): Promise<void> => holds(frame.locator('.details textarea'), text);
      const checkFrame = async (frame: Frame, what: string): Promise<void> => {
        // VS Code injects a script of its own into every webview; ours are checked for the payloads instead.
        const made = await frame.evaluate(`[...document.querySelectorAll('img, svg, iframe, object, embed')].length
          + [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length
          + [...document.scripts].filter((s) => /sbPwned|alert\\(/.test(s.textContent ?? '')).length`);
        assert.equal(made, 0, `${what}: no element was made from data`);
        assert.equal(await frame.evaluate('window.__sbPwned'), undefined, `${what}: no payload ran`);
      };

      // The SQL editor of the step before is unsaved: close it without saving.
      await closeAllEditors(page);
      await runCommand(page, 'Switchboard: Browse Redis Keys');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
      const redisBrowser = await panelFrame(page, 'redisBrowser');
      await redisBrowser.locator('.status').filter({ hasText: /done in/ }).waitFor({ timeout: 30_000 });
      await redisBrowser.locator('.vlist-row:visible').filter({ hasText: hostileKey }).click();
      await textareaHolds(redisBrowser, hostileValue);
      // A right-to-left override cannot turn a name around: it shows as a marker.
      await redisBrowser.locator('.vlist-row:visible').filter({ hasText: '⟨U+202E⟩evil:ключ:🔑' }).click();
      await textareaHolds(redisBrowser, 'unicode and 2,000 characters');
      await checkFrame(redisBrowser, 'Redis browser');
      await shot(page, '15-hostile-redis');

      await closeAllEditors(page);
      await runCommand(page, 'Switchboard: Browse Memcached Keys');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Memcached' }).first().click();
      const mcBrowser = await panelFrame(page, 'memcachedBrowser');
      // The row is picked once the filtered view is drawn: a click on a row of the view before it is dropped with it.
      await filterTo(mcBrowser, '<svg', 1);
      await mcBrowser.locator('.vlist-row:visible').filter({ hasText: '<svg/onload=alert("mc-key")>' }).click();
      await textareaHolds(mcBrowser, '<img src=x onerror=alert("mc-value")>');
      await checkFrame(mcBrowser, 'Memcached browser');
      // Malformed JSON typed over a JSON value is not saved; the value stays as it was.
      await filterTo(mcBrowser, 'e2e:config', 1);
      await mcBrowser.locator('.vlist-row:visible').filter({ hasText: 'e2e:config' }).click();
      await mcBrowser.locator('.details').getByText('JSON').waitFor();
      await mcBrowser.getByRole('tab', { name: 'Edit as stored' }).click();
      await mcBrowser.locator('.details textarea').fill('{"theme": "light",');
      await mcBrowser.getByRole('button', { name: 'Save' }).click();
      await mcBrowser.getByText(/^Not saved: this value was JSON and the text is no longer valid JSON/).waitFor();
      const stored = await readMemcached(need('MEMCACHED_SERVERS'), 'e2e:config');
      assert.equal(stored, '{"theme":"dark","beta":true}');

      await closeAllEditors(page);
      await runCommand(page, 'Switchboard: Open RabbitMQ Messages');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo RabbitMQ' }).first().click();
      const rabbit = await panelFrame(page, 'rabbitMq');
      await rabbit.getByRole('tab', { name: 'Get' }).click();
      await rabbit.locator('#pane-get').getByLabel('Queue').fill('e2e.hostile');
      await rabbit.getByRole('button', { name: 'Get messages' }).click();
      await rabbit.getByText(/^1 message peeked/).waitFor({ timeout: 10_000 });
      await rabbit.locator('#pane-get .vlist-row:visible').last().click();
      await rabbit.locator('#pane-get .details dd').filter({ hasText: '<script>alert("amqp-header")</script>' }).waitFor();
      await rabbit.locator('#pane-get .details pre').filter({ hasText: '<img src=x onerror=alert("amqp-body")>' }).waitFor();
      await checkFrame(rabbit, 'RabbitMQ messages');
      assert.deepEqual(dialogs, [], 'no payload opened a dialog');
    },
  };
}
