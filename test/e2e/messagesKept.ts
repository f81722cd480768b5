import assert from 'node:assert/strict';
import { connect as amqp } from 'amqplib';
import { closeAllEditors, holds, panelFrame, readMemcached, runCommand, seedMemcached, shot, UiStep } from './ui';
import { lineBreaksKeptStep } from './lineBreaksKept';

/**
 * What the user owns stays as it was unless they were shown what changes: a Memcached value saved unchanged keeps
 * its exact bytes, a peek at a quorum queue whose delivery limit counts requeues asks first, naming the limit, and
 * an edited value keeps its line breaks.
 * They need the "Demo Memcached", "Demo RabbitMQ" and "Demo Redis" connections the earlier steps add.
 */
export function messagesKeptSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'saves a Memcached JSON value unchanged byte for byte (no parse and re-stringify)',
      async run(page) {
        const exact = '{"id":9007199254740993,"price":1.10,  "note":"kept as typed"}';
        await seedMemcached(need('MEMCACHED_SERVERS'), { 'e2e:exact': exact });
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Browse Memcached Keys');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Memcached' }).first().click();
        const browser = await panelFrame(page, 'memcachedBrowser');
        await browser.locator('.status').filter({ hasText: /\d+ keys?\b/ }).first().waitFor({ timeout: 30_000 });
        await browser.locator('input[type="search"]').fill('e2e:exact');
        await browser.locator('.status').filter({ hasText: /^1 of [\d,]+ keys?\b/ }).waitFor();
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:exact' }).click();
        const value = browser.locator('.details textarea');
        await holds(value, exact);
        await browser.getByRole('button', { name: 'Save' }).click();
        await browser.getByText('Saved (cas matched).').waitFor({ timeout: 10_000 });
        assert.equal(await readMemcached(need('MEMCACHED_SERVERS'), 'e2e:exact'), exact, 'the server holds the same bytes');
        await shot(page, '20-memcached-exact-save');
      },
    },
    {
      name: 'asks before peeking at a quorum queue whose delivery limit counts each peek, naming the limit',
      async run(page) {
        const broker = await amqp(need('AMQP_URL'));
        const channel = await broker.createConfirmChannel();
        await channel.deleteQueue('e2e.limited');
        await channel.assertQueue('e2e.limited', { durable: true, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 3 } });
        channel.sendToQueue('e2e.limited', Buffer.from('only copy'));
        await channel.waitForConfirms();
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Open RabbitMQ Messages');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo RabbitMQ' }).first().click();
        const panel = await panelFrame(page, 'rabbitMq');
        await panel.getByRole('tab', { name: 'Get' }).click();
        await panel.locator('#pane-get').getByLabel('Queue').fill('e2e.limited');
        await panel.getByRole('button', { name: 'Get messages' }).click();
        // Asked in the panel, with Cancel focused: Enter right after the question peeks nothing, nor does Escape.
        const question = panel.locator('#pane-get').getByRole('alertdialog');
        await question.filter({ hasText: 'its delivery limit is 3' }).waitFor({ timeout: 15_000 });
        await question.getByText(/delivered more than 3 times the broker drops it/).waitFor();
        assert.equal(await panel.evaluate('document.activeElement.textContent'), 'Cancel', 'Cancel has the focus');
        await shot(page, '21-rabbitmq-peek-limit');
        await page.keyboard.press('Enter');
        await panel.getByText('Not peeked: the queue counts each requeue as a delivery.').waitFor({ timeout: 10_000 });
        await panel.locator('#pane-get').getByLabel('Queue').press('Enter');
        await question.waitFor();
        await page.keyboard.press('Escape');
        await question.waitFor({ state: 'hidden' });
        await panel.getByRole('button', { name: 'Get messages' }).click();
        await question.getByRole('button', { name: 'Peek Anyway' }).click();
        await panel.getByText(/^1 message peeked/).waitFor({ timeout: 10_000 });
        const probe = await broker.createChannel();
        const held = await probe.get('e2e.limited', { noAck: false });
        assert.ok(held, 'the message is still in the queue');
        assert.equal(held.properties.headers?.['x-delivery-count'], 1, 'only the accepted peek counted a delivery');
        await probe.close();
        // A manual consumer asks the same way; Space on the focused Cancel starts none.
        await panel.getByRole('tab', { name: 'Consume' }).click();
        await panel.locator('#pane-consume').getByLabel('Queue', { exact: true }).fill('e2e.limited');
        await panel.getByRole('button', { name: 'Start consuming' }).click();
        const consumeQuestion = panel.locator('#pane-consume').getByRole('alertdialog');
        await consumeQuestion.filter({ hasText: 'its delivery limit is 3' }).waitFor({ timeout: 15_000 });
        await consumeQuestion.getByRole('button', { name: 'Consume Anyway' }).waitFor();
        await page.keyboard.press('Space');
        await panel.getByText('Not consuming: the queue counts each requeue as a delivery.').waitFor({ timeout: 10_000 });
        assert.equal((await channel.checkQueue('e2e.limited')).consumerCount, 0, 'no consumer was started');
        await channel.deleteQueue('e2e.limited');
        await broker.close();
      },
    },
    lineBreaksKeptStep(need),
  ];
}
