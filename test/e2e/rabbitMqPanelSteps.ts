import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { closeAllEditors, freshQueue, panelFrame, row, runCommand, shot, UiStep } from './ui';
import { cutTexts, iconsDraw } from './look';

const TABS = ['Publish', 'Get', 'Consume', 'Tail', 'RPC'] as const;
const PRIMARY: Record<(typeof TABS)[number], string> = { Publish: 'Publish', Get: 'Get messages', Consume: 'Start consuming', Tail: 'Start tail', RPC: 'Send request' };

async function openPanel(page: Page): Promise<Frame> {
  await closeAllEditors(page);
  await runCommand(page, 'Switchboard: Open RabbitMQ Messages');
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo RabbitMQ' }).first().click();
  return panelFrame(page, 'rabbitMq');
}

/** The note under a field, found by the field's label. */
const noteOf = (panel: Frame, pane: string, label: string) => panel.locator(`#pane-${pane} .field`).filter({ has: panel.getByLabel(label, { exact: true }) }).locator('.note');

/** What the first hour with the RabbitMQ panel trips over: where errors show, which list a message lands in, what the tree says. */
export function rabbitMqPanelSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'RabbitMQ: each problem shows next to its field, coloured by severity, with the broker\'s code and hint, and goes once fixed; Enter runs the tab',
      async run(page) {
        const { broker, channel } = await freshQueue(need('AMQP_URL'), 'e2e.fields');
        const panel = await openPanel(page);
        await panel.getByRole('tab', { name: 'Get' }).click();
        const queue = panel.locator('#pane-get').getByLabel('Queue', { exact: true });
        const queueNote = noteOf(panel, 'get', 'Queue');
        // Nothing typed: the field says what it needs as soon as Get is asked for.
        await queue.fill('');
        await queue.press('Enter');
        await queueNote.filter({ hasText: 'Name the queue.' }).waitFor();
        assert.equal(await queueNote.getAttribute('data-severity'), 'error');
        await queue.pressSequentially('e2e.nothere');
        await queueNote.waitFor({ state: 'hidden' });
        // The broker refuses: its reason, code and hint under the field the request named.
        await queue.press('Enter');
        await queueNote.filter({ hasText: "no queue 'e2e.nothere'" }).waitFor({ timeout: 10_000 });
        assert.equal(await queueNote.locator('.note-code').textContent(), 'config');
        await queueNote.locator('.note-hint').waitFor();
        await shot(page, '24-rabbitmq-field-error');
        await queue.fill('e2e.fields');
        await queueNote.waitFor({ state: 'hidden' });
        // A choice that removes messages is a warning; a peek a note.
        const mode = panel.locator('#pane-get').getByLabel('Mode', { exact: true });
        await mode.selectOption('ack');
        const modeNote = noteOf(panel, 'get', 'Mode');
        await modeNote.filter({ hasText: 'removes the messages' }).waitFor();
        assert.equal(await modeNote.getAttribute('data-severity'), 'warning');
        const colour = (severity: string): Promise<string> => panel.evaluate(`getComputedStyle(document.querySelector('.note[data-severity="${severity}"]')).borderTopColor`);
        const warning = await colour('warning');
        await mode.selectOption('requeue');
        await modeNote.filter({ hasText: 'go back to the queue' }).waitFor();
        assert.equal(await modeNote.getAttribute('data-severity'), 'info');
        assert.notEqual(await colour('info'), warning, 'severities are told apart by colour');
        await queue.press('Enter');
        await panel.getByText('"e2e.fields" has no ready messages.').waitFor({ timeout: 10_000 });

        // Tail: header arguments that are not a JSON object, fixed as typed.
        await panel.getByRole('tab', { name: 'Tail' }).click();
        const headers = panel.getByLabel('Header arguments', { exact: true });
        await headers.fill('{"x-match": ');
        const headersNote = noteOf(panel, 'tail', 'Header arguments');
        await headersNote.filter({ hasText: 'not valid JSON' }).waitFor();
        await headers.fill('["all"]');
        await headersNote.filter({ hasText: 'JSON object' }).waitFor();
        await headers.fill('');
        await headersNote.waitFor({ state: 'hidden' });

        // Publish: a JSON body that does not parse stops Enter; fixed, Enter publishes; an unroutable key is a warning by the key.
        await panel.getByRole('tab', { name: 'Publish' }).click();
        const publish = panel.locator('#pane-publish');
        await publish.getByLabel('Body encoding').selectOption('json');
        await publish.getByLabel('Message body').fill('{"order": 1001,');
        const routingKey = publish.getByLabel('Routing key', { exact: true });
        await routingKey.fill('e2e.fields');
        await routingKey.press('Enter');
        await noteOf(panel, 'publish', 'Message body').filter({ hasText: 'not valid JSON' }).waitFor();
        await publish.getByLabel('Message body').fill('{"order": 1001}');
        await routingKey.press('Enter');
        await panel.getByText(/^Published 1, confirmed 1/).waitFor({ timeout: 10_000 });
        assert.equal((await channel.checkQueue('e2e.fields')).messageCount, 1, 'Enter published it');
        await routingKey.fill('e2e.nobody.listens');
        await routingKey.press('Enter');
        const keyNote = noteOf(panel, 'publish', 'Routing key');
        await keyNote.filter({ hasText: 'returned unroutable' }).waitFor({ timeout: 10_000 });
        assert.equal(await keyNote.getAttribute('data-severity'), 'warning');
        await routingKey.fill('e2e.fields');
        await keyNote.waitFor({ state: 'hidden' });
        await channel.deleteQueue('e2e.fields');
        await broker.close();
      },
    },
    {
      name: 'RabbitMQ: each tab has its own list and its own primary button, and nothing in the panel is cut short',
      async run(page) {
        const panel = await openPanel(page);
        for (const tab of TABS) {
          await panel.getByRole('tab', { name: tab }).click();
          const primaries = await panel.locator(`#pane-${tab.toLowerCase()} button:visible:not(.secondary):not(.tab):not(.view-tab)`).allTextContents();
          assert.deepEqual(primaries, [PRIMARY[tab]], `the ${tab} tab's primary button`);
          assert.deepEqual(await cutTexts(panel), [], `nothing cut on the ${tab} tab`);
        }
        await panel.getByRole('tab', { name: 'Tail' }).click();
        assert.equal(await panel.locator('#pane-tail').getByRole('button', { name: 'Ack selected' }).count(), 0, 'a tail has nothing to ack');
        assert.equal(await panel.locator('#pane-get .vlist').count(), 1);
        assert.equal(await panel.locator('#pane-consume .vlist').count(), 1);
        assert.equal(await panel.locator('#pane-tail .vlist').count(), 1);
        assert.ok(await iconsDraw(panel), 'codicons draw');
        await shot(page, '25-rabbitmq-tail-tab');
        const wide = page.viewportSize();
        await page.setViewportSize({ width: 1100, height: wide?.height ?? 860 });
        try {
          for (const tab of TABS) {
            await panel.getByRole('tab', { name: tab }).click();
            if (tab !== 'Publish') await panel.locator(`#pane-${tab.toLowerCase()} .columns .c1`).waitFor({ state: 'hidden' });
            assert.deepEqual(await cutTexts(panel), [], `nothing cut on the ${tab} tab when narrow`);
          }
        } finally {
          if (wide) await page.setViewportSize(wide);
        }
      },
    },
    {
      name: 'RabbitMQ: Reject asks first with Cancel focused; Enter keeps the messages held, Reject drops them as the broker then counts',
      async run(page) {
        const { broker, channel } = await freshQueue(need('AMQP_URL'), 'e2e.reject', ['first', 'second']);
        const panel = await openPanel(page);
        await panel.getByRole('tab', { name: 'Consume' }).click();
        const consume = panel.locator('#pane-consume');
        await consume.getByLabel('Queue', { exact: true }).fill('e2e.reject');
        await consume.getByLabel('Acknowledgement', { exact: true }).selectOption('manual');
        await panel.getByRole('button', { name: 'Start consuming' }).click();
        const rows = consume.locator('.vlist-row:visible');
        await rows.nth(1).waitFor({ timeout: 10_000 });
        await rows.first().click();
        await rows.nth(1).click({ modifiers: ['Shift'] });
        await panel.getByRole('button', { name: 'Reject selected' }).click();
        const question = consume.getByRole('alertdialog');
        await question.filter({ hasText: 'Reject 2 messages from "e2e.reject"?' }).waitFor();
        assert.equal(await panel.evaluate('document.activeElement.textContent'), 'Cancel');
        await page.keyboard.press('Enter');
        await question.waitFor({ state: 'hidden' });
        assert.equal(await rows.filter({ hasText: 'unacked' }).count(), 2, 'both still held');
        assert.equal((await channel.checkQueue('e2e.reject')).messageCount, 0, 'held by the consumer, not back in the queue');
        await panel.getByRole('button', { name: 'Reject selected' }).click();
        await question.getByRole('button', { name: 'Reject' }).click();
        await panel.getByText('Rejected 2 of 2.').waitFor({ timeout: 10_000 });
        await consume.getByRole('button', { name: 'Stop' }).click();
        await consume.locator('.live-status').filter({ hasText: 'stopped' }).waitFor();
        const after = await channel.checkQueue('e2e.reject');
        assert.deepEqual({ ready: after.messageCount, consumers: after.consumerCount }, { ready: 0, consumers: 0 }, 'dropped, not requeued');
        await channel.deleteQueue('e2e.reject');
        await broker.close();
      },
    },
    {
      name: 'RabbitMQ: the tree\'s queue counts follow what the panel publishes and consumes, as the broker counts them',
      async run(page) {
        const { broker, channel } = await freshQueue(need('AMQP_URL'), 'e2e.counts');
        const panel = await openPanel(page);
        // The queue's row in the tree, below the connection's vhost.
        if (!(await row(page, /^Queues/).isVisible())) await row(page, /^\/\s*connection vhost/).click();
        const queues = row(page, /^Queues/);
        if ((await queues.getAttribute('aria-expanded')) !== 'true') await queues.click();
        const counts = row(page, /^e2e\.counts/);
        await counts.filter({ hasText: '0 ready · 0 unacked · 0 consumers' }).waitFor({ timeout: 15_000 });
        // What the broker counts now, and the tree line that says the same ("1 consumer", not "1 consumers").
        const brokerCounts = async (): Promise<{ ready: number; consumers: number }> => {
          const { messageCount, consumerCount } = await channel.checkQueue('e2e.counts');
          return { ready: messageCount, consumers: consumerCount };
        };
        const treeShows = async (): Promise<void> => {
          const { ready, consumers } = await brokerCounts();
          const line = new RegExp(`${ready} ready · \\d+ unacked · ${consumers} consumer${consumers === 1 ? '' : 's'}\\b`);
          await counts.filter({ hasText: line }).waitFor({ timeout: 10_000 });
        };
        await panel.getByRole('tab', { name: 'Publish' }).click();
        const publish = panel.locator('#pane-publish');
        await publish.getByLabel('Exchange', { exact: true }).fill('');
        await publish.getByLabel('Routing key', { exact: true }).fill('e2e.counts');
        await publish.getByLabel('Body encoding').selectOption('text');
        await publish.getByLabel('Message body').fill('counted');
        await panel.getByLabel('Repeat').fill('3');
        await panel.getByRole('button', { name: 'Publish', exact: true }).click();
        await panel.getByText(/^Published 3, confirmed 3/).waitFor({ timeout: 10_000 });
        assert.deepEqual(await brokerCounts(), { ready: 3, consumers: 0 });
        await treeShows();
        await panel.getByRole('tab', { name: 'Consume' }).click();
        await panel.locator('#pane-consume').getByLabel('Queue', { exact: true }).fill('e2e.counts');
        await panel.getByRole('button', { name: 'Start consuming' }).click();
        await panel.locator('#pane-consume .vlist-row:visible').nth(2).waitFor({ timeout: 10_000 });
        assert.deepEqual(await brokerCounts(), { ready: 0, consumers: 1 });
        await treeShows();
        await panel.locator('#pane-consume .vlist-row:visible').first().click();
        await panel.getByRole('button', { name: 'Ack selected' }).click();
        await panel.locator('#pane-consume').getByRole('button', { name: 'Stop' }).click();
        await panel.locator('#pane-consume .live-status').filter({ hasText: 'stopped' }).waitFor();
        assert.deepEqual(await brokerCounts(), { ready: 2, consumers: 0 });
        await treeShows();
        await shot(page, '26-rabbitmq-tree-counts');
        await channel.deleteQueue('e2e.counts');
        await broker.close();
      },
    },
  ];
}
