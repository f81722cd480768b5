import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { connect } from 'amqplib';
import type { TreeNode } from '../../src/explorer/nodes/treeNode';
import { env, eventually, extension, storePassword } from './api';

const ID = 'test-rabbit';
const label = (n: TreeNode): string => String(n.treeItem().label);

describe('rabbitmq', () => {
  it('declares, binds and moves from the tree, then opens the messages panel on a queue', async () => {
    const api = await extension();
    const url = new URL(env('AMQP_URL'));
    await api.profiles.save({ id: ID, name: 'Rabbit', kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), vhost: '/', tls: false, readOnly: false, managementUrl: env('RABBITMQ_MGMT_URL') });
    await storePassword(api, ID, decodeURIComponent(url.password));

    await vscode.commands.executeCommand('switchboard.rabbitmq.declareExchange', ID, { name: 'sbtest.ui.events', type: 'topic', durable: false, autoDelete: false, internal: false });
    await vscode.commands.executeCommand('switchboard.rabbitmq.declareQueue', ID, { name: 'sbtest.ui.orders', durable: false, exclusive: false, autoDelete: false });
    await vscode.commands.executeCommand('switchboard.rabbitmq.declareQueue', ID, { name: 'sbtest.ui.parked', durable: false, exclusive: false, autoDelete: false });
    await vscode.commands.executeCommand('switchboard.rabbitmq.bind', ID, { source: 'sbtest.ui.events', destination: 'sbtest.ui.orders', destinationType: 'queue', routingKey: 'orders.#' });

    const raw = await connect(env('AMQP_URL'));
    try {
      const channel = await raw.createConfirmChannel();
      for (let i = 0; i < 3; i++) channel.publish('sbtest.ui.events', 'orders.created', Buffer.from(`order ${i}`));
      await channel.waitForConfirms();

      const [connection] = (await api.tree.getChildren()).filter((n) => label(n) === 'Rabbit');
      assert.ok(connection);
      const vhost = (await api.tree.getChildren(connection)).find((n) => label(n) === '/')!;
      const queues = (await api.tree.getChildren(vhost)).find((n) => label(n) === 'Queues')!;
      const orders = await eventually('the queue row', async () => (await api.tree.getChildren(queues)).find((n) => label(n) === 'sbtest.ui.orders'));
      assert.match(String(orders.treeItem().contextValue), /^node:rabbitmq:queue$/);
      const [binding] = await api.tree.getChildren(orders);
      assert.equal(binding && label(binding), '← exchange sbtest.ui.events');
      assert.equal(binding?.treeItem().description, 'key orders.#');

      // Moving asks for nothing when the target is given; every message is confirmed at the target before its ack.
      const moved = await vscode.commands.executeCommand<{ moved: number; skipped: number; notMoved: unknown[] }>('switchboard.rabbitmq.move', orders, 'sbtest.ui.parked');
      assert.deepEqual(moved, { moved: 3, skipped: 0, notMoved: [] });
      assert.equal((await channel.checkQueue('sbtest.ui.parked')).messageCount, 3);

      const panel = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel; vhost: string }>('switchboard.rabbitmq.messages', orders);
      assert.equal(panel.panel.title, 'Rabbit: messages');
      assert.equal(panel.vhost, '/');
      assert.match(panel.panel.webview.html, /default-src 'none'/);
      assert.match(panel.panel.webview.html, /rabbitMq\.js/);
      // The same connection and vhost reuse the panel.
      const again = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.rabbitmq.tail', ID);
      assert.equal(again, panel);
      panel.panel.dispose();
      await channel.deleteQueue('sbtest.ui.orders');
      await channel.deleteQueue('sbtest.ui.parked');
      await channel.deleteExchange('sbtest.ui.events');
    } finally {
      await raw.close();
    }
  });

  it('refuses to declare on a read-only connection, with the reason in the log', async () => {
    const api = await extension();
    const url = new URL(env('AMQP_URL'));
    await api.profiles.save({ id: 'test-rabbit-ro', name: 'Rabbit RO', kind: 'rabbitmq', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), vhost: '/', tls: false, readOnly: true });
    await storePassword(api, 'test-rabbit-ro', decodeURIComponent(url.password));
    const result = await vscode.commands.executeCommand('switchboard.rabbitmq.declareQueue', 'test-rabbit-ro', { name: 'sbtest.ui.ro', durable: false, exclusive: false, autoDelete: false });
    assert.equal(result, undefined);
    const raw = await connect(env('AMQP_URL'));
    const channel = await raw.createChannel();
    channel.on('error', () => undefined);
    await assert.rejects(channel.checkQueue('sbtest.ui.ro'), /NOT_FOUND/);
    await raw.close().catch(() => undefined);
  });
});
