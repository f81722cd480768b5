import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { closeAllEditors, panelFrame, runCommand, shot, UiStep } from './ui';

/** Forms a user fills from the keyboard: Enter does what the form's button does. */
export function keyboardSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'Pub/Sub: Enter in the channel field subscribes, and Enter in the message field publishes',
      async run(page) {
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Open Redis Pub/Sub');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
        const panel = await panelFrame(page, 'redisPubSub');
        await panel.getByLabel('Patterns').fill('');
        const channels = panel.getByLabel('Channels');
        // The Enter that ends an input method's composition (pinyin into 汉字) picks the characters: it runs nothing.
        const empty = panel.getByText('Name at least one channel or pattern to subscribe to.');
        await channels.fill('');
        await channels.dispatchEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true });
        if (await empty.count()) throw new Error('the Enter that ended an IME composition ran Subscribe');
        await channels.press('Enter');
        await empty.waitFor();
        await channels.fill('e2e.keyboard');
        await channels.press('Enter');
        await panel.locator('header .status').filter({ hasText: 'subscribed to e2e.keyboard' }).waitFor({ timeout: 10_000 });
        const redis = new Redis(need('REDIS_URL'));
        try {
          assert.deepEqual(await redis.pubsub('NUMSUB', 'e2e.keyboard'), ['e2e.keyboard', 1], 'the server has the subscription');
          await panel.getByLabel('Channel to publish to').fill('e2e.keyboard');
          const message = panel.getByLabel('Message to publish');
          await message.fill('sent with Enter');
          await message.press('Enter');
          await panel.getByText('delivered to 1 subscriber').waitFor({ timeout: 10_000 });
          await panel.locator('.vlist-row:visible').filter({ hasText: 'sent with Enter' }).waitFor({ timeout: 10_000 });
          await shot(page, '31-pubsub-enter');
          await panel.getByRole('button', { name: 'Unsubscribe' }).click();
          await panel.locator('header .status').filter({ hasText: 'not subscribed' }).waitFor();
          assert.deepEqual(await redis.pubsub('NUMSUB', 'e2e.keyboard'), ['e2e.keyboard', 0]);
        } finally {
          redis.disconnect();
        }
      },
    },
  ];
}
