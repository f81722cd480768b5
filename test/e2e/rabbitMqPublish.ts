import { connect as amqp } from 'amqplib';
import { closeAllEditors, runCommand, shot, UiStep } from './ui';

/** RabbitMQ: a publish with properties, the exchange tailed live, the queue peeked. */
export function rabbitMqPublishSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'publishes to RabbitMQ with properties, tails the exchange live and peeks the queue',
      async run(page) {
        const broker = await amqp(need('AMQP_URL'));
        const channel = await broker.createChannel();
        await channel.assertQueue('e2e.orders', { durable: false });
        await channel.bindQueue('e2e.orders', 'amq.topic', 'orders.#');
        await channel.purgeQueue('e2e.orders');
        await broker.close();
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Open RabbitMQ Messages');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo RabbitMQ' }).first().click();
        const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await panel.getByRole('tab', { name: 'Tail' }).click();
        await panel.getByLabel('Exchange to tail').fill('amq.topic');
        await panel.getByLabel('Routing pattern').fill('orders.*');
        await panel.getByRole('button', { name: 'Start tail' }).click();
        await panel.getByText(/^live: tailing amq\.topic/).waitFor({ timeout: 10_000 });
        await panel.getByRole('tab', { name: 'Publish' }).click();
        const publish = panel.locator('#pane-publish');
        await publish.getByLabel('Exchange').fill('amq.topic');
        await publish.getByLabel('Routing key').fill('orders.created');
        await publish.getByLabel('Body encoding').selectOption('json');
        await publish.getByLabel('Message body').fill('{"order": 1001, "total": 42.5, "note": "<b>not bold</b>"}');
        await publish.getByText('Properties and headers').click();
        await publish.getByLabel('Headers as JSON').fill('{"tenant": "acme", "constructor": "made-by", "prototype": {"nested": "kept"}}');
        await publish.getByLabel('Correlation id').fill('e2e-1');
        await panel.getByRole('button', { name: 'Publish', exact: true }).click();
        await panel.getByText(/^Published 1, confirmed 1/).waitFor({ timeout: 10_000 });
        await panel.getByRole('tab', { name: 'Tail' }).click();
        await panel.locator('#pane-tail .vlist-row:visible').filter({ hasText: 'orders.created' }).first().waitFor({ timeout: 10_000 });
        await panel.getByRole('tab', { name: 'Get' }).click();
        await panel.locator('#pane-get').getByLabel('Queue').fill('e2e.orders');
        await panel.getByRole('button', { name: 'Get messages' }).click();
        await panel.getByText(/^1 message peeked/).waitFor({ timeout: 10_000 });
        await panel.locator('#pane-get .vlist-row:visible').last().click();
        await panel.locator('#pane-get .details dd').filter({ hasText: 'acme' }).waitFor();
        // Headers named like Object.prototype's own members go out and come back as any other.
        await panel.locator('#pane-get .details dd').filter({ hasText: 'made-by' }).waitFor();
        await panel.locator('#pane-get .details dd').filter({ hasText: '{"nested":"kept"}' }).waitFor();
        await panel.locator('#pane-get .details pre').filter({ hasText: '<b>not bold</b>' }).waitFor();
        await shot(page, '11-rabbitmq-messages');
      },
    },
  ];
}
