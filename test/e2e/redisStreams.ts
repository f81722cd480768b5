import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import Redis from 'ioredis';
import { assertReloaded, closeAllEditors, hideAndReturn, markWebview, panelFrame, row, shot, UiStep } from './ui';

/**
 * The question a change asks in the panel, waited for by its words, answered with one of its buttons. Cancel has the
 * focus, so Cancel is answered with Enter, as a hurried user would.
 */
async function answer(page: Page, panel: Frame, question: string, button: string): Promise<void> {
  const asked = panel.getByRole('alertdialog', { name: question });
  await asked.waitFor({ timeout: 15_000 });
  if (button === 'Cancel') await page.keyboard.press('Enter');
  else await asked.getByRole('button', { name: button, exact: true }).click();
  await asked.waitFor({ state: 'detached', timeout: 15_000 });
}

const said = (panel: Frame, text: string | RegExp) => panel.locator('div.status[aria-live="polite"]').filter({ hasText: text }).waitFor({ timeout: 15_000 });

/** Who holds each pending entry, as the server says. */
async function owners(redis: Redis, key: string): Promise<Record<string, string>> {
  const reply = (await redis.xpending(key, 'workers', '-', '+', 100)) as [string, string][];
  return Object.fromEntries(reply.map(([id, consumer]) => [id, consumer]));
}

/**
 * A stream's consumer groups from the key browser: a worker has read entries it never acknowledged; they are claimed
 * for another consumer, acknowledged, the stream trimmed and the group destroyed, each only after the question in the panel
 * naming what changes (Enter on it changes nothing), and each checked against what the server holds.
 */
export function redisStreamsStep(need: (key: string) => string): UiStep {
  return {
    name: 'claims, acknowledges and trims a stream\'s pending entries only after asking, naming what changes',
    async run(page) {
      const redis = new Redis(need('REDIS_URL'));
      const KEY = 'e2e:stream:orders';
      await redis.del(KEY);
      for (let i = 1; i <= 5; i++) await redis.xadd(KEY, `${i}-0`, 'order', String(i));
      await redis.xgroup('CREATE', KEY, 'workers', '0');
      const worker = new Redis(need('REDIS_URL'));
      await worker.xreadgroup('GROUP', 'workers', 'alice', 'COUNT', 3, 'STREAMS', KEY, '>');
      worker.disconnect();
      try {
        await closeAllEditors(page);
        await row(page, /^db0/).click();
        const browser = await panelFrame(page, 'redisBrowser');
        await browser.locator('.status').filter({ hasText: /done in/ }).waitFor({ timeout: 30_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: KEY }).click();
        await browser.getByRole('button', { name: 'Consumer Groups…' }).click();
        let panel = await panelFrame(page, 'redisStream');
        await panel.getByRole('button', { name: 'Open group workers' }).click();
        await panel.getByRole('checkbox', { name: 'Select 3-0' }).waitFor({ timeout: 15_000 });
        assert.equal(await panel.locator('section.group tbody tr').filter({ hasText: 'alice' }).count(), 4, 'alice, and her three pending entries');

        await panel.getByRole('checkbox', { name: 'Select 1-0' }).check();
        await panel.getByRole('checkbox', { name: 'Select 2-0' }).check();
        await panel.getByLabel('Consumer to give entries to').fill('bob');
        // Hidden and back: the webview is built again, with the group open and what was chosen in it as it was.
        await markWebview(page, 'redisStream');
        await hideAndReturn(page, `${KEY} (stream)`);
        panel = await assertReloaded(page, 'redisStream');
        await panel.getByRole('checkbox', { name: 'Select 1-0', checked: true }).waitFor({ timeout: 15_000 });
        await panel.getByRole('checkbox', { name: 'Select 2-0', checked: true }).waitFor();
        assert.equal(await panel.getByRole('checkbox', { name: 'Select 3-0' }).isChecked(), false, 'only the picked entries are picked again');
        assert.equal(await panel.getByLabel('Consumer to give entries to').inputValue(), 'bob', 'the consumer named is kept');
        await panel.getByRole('button', { name: 'Claim selected' }).click();
        const claimQuestion = `Give 2 pending entries of group "workers" on stream "${KEY}" to consumer "bob"?`;
        await panel.getByRole('alertdialog', { name: claimQuestion }).waitFor({ timeout: 15_000 });
        await shot(page, '17-redis-stream-claim-confirm');
        await answer(page, panel, claimQuestion, 'Claim');
        await said(panel, 'Claimed 2 for bob');
        assert.deepEqual(await owners(redis, KEY), { '1-0': 'bob', '2-0': 'bob', '3-0': 'alice' });
        // "every consumer": bob's entries are listed with alice's (it once meant the group's first consumer alone).
        await panel.getByRole('checkbox', { name: 'Select 1-0' }).waitFor();
        assert.deepEqual(await panel.getByRole('checkbox', { name: /^Select \d+-0$/ }).evaluateAll((boxes) => boxes.map((b) => b.getAttribute('aria-label'))), ['Select 1-0', 'Select 2-0', 'Select 3-0']);

        await panel.getByRole('checkbox', { name: 'Select 3-0' }).check();
        await panel.getByRole('button', { name: 'Acknowledge selected' }).click();
        const ackQuestion = `Acknowledge 1 pending entry of group "workers" on stream "${KEY}"?`;
        await answer(page, panel, ackQuestion, 'Cancel');
        assert.deepEqual(await owners(redis, KEY), { '1-0': 'bob', '2-0': 'bob', '3-0': 'alice' }, 'cancelled: nothing acknowledged');
        await panel.getByRole('checkbox', { name: 'Select 3-0' }).check();
        await panel.getByRole('button', { name: 'Acknowledge selected' }).click();
        await answer(page, panel, ackQuestion, 'Acknowledge');
        await said(panel, 'Acknowledged 1 of 1');
        assert.deepEqual(await owners(redis, KEY), { '1-0': 'bob', '2-0': 'bob' });

        await panel.getByRole('textbox', { name: 'Trim to' }).fill('2');
        await panel.getByRole('button', { name: 'Trim the stream' }).click();
        const trimQuestion = `Trim stream "${KEY}": delete its 3 oldest entries, keeping 2?`;
        await panel.getByRole('alertdialog', { name: trimQuestion }).waitFor({ timeout: 15_000 });
        await shot(page, '18-redis-stream-trim-confirm');
        await answer(page, panel, trimQuestion, 'Trim');
        await said(panel, 'Trimmed 3 entries');
        assert.deepEqual((await redis.xrange(KEY, '-', '+')).map(([id]) => id), ['4-0', '5-0']);

        await panel.getByRole('button', { name: 'Destroy group workers' }).click();
        await answer(page, panel, `Destroy consumer group "workers" of stream "${KEY}"?`, 'Destroy');
        await said(panel, 'Destroyed group workers');
        assert.deepEqual(await redis.xinfo('GROUPS', KEY), []);
        await shot(page, '19-redis-stream-groups');
      } finally {
        await redis.del(KEY);
        redis.disconnect();
      }
    },
  };
}
