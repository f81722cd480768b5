import Redis from 'ioredis';
import { closeAllEditors, runCommand, shot, UiStep } from './ui';

/** Redis Pub/Sub: channels subscribed, published messages seen live. */
export function redisPubSubSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'subscribes to Redis channels and sees published messages live',
      async run(page) {
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Open Redis Pub/Sub');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
        const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await panel.getByLabel('Channels').fill('orders notifications');
        await panel.getByLabel('Patterns').fill('events.*');
        await panel.getByRole('button', { name: 'Subscribe', exact: true }).click();
        // The whole subscription, patterns included ("not subscribed" before it also holds the word "subscribed").
        await panel.locator('header .status').filter({ hasText: 'subscribed to orders, notifications, events.* (pattern)' }).waitFor();
        const redis = new Redis(need('REDIS_URL'));
        await redis.publish('orders', JSON.stringify({ order: 1001, total: 42.5 }));
        await redis.publish('events.shipped', 'order 1001 shipped');
        redis.disconnect();
        await panel.getByLabel('Channel to publish to').fill('notifications');
        await panel.getByLabel('Message to publish').fill('hello from the panel');
        await panel.getByRole('button', { name: 'Publish' }).click();
        await panel.getByText('delivered to 1 subscriber').waitFor();
        await panel.locator('.vlist-row:visible').filter({ hasText: 'hello from the panel' }).waitFor({ timeout: 10_000 });
        await panel.locator('.vlist-row:visible').filter({ hasText: 'order 1001 shipped' }).waitFor();
        await shot(page, '10-redis-pubsub');
      },
    },
  ];
}
