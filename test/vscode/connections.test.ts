import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Kind, Profile } from '../../src/drivers/types';
import type { ConnectionNode } from '../../src/explorer/nodes/connectionNode';
import { TreeNode } from '../../src/explorer/nodes/treeNode';
import { saveFromForm } from '../../src/panels/profileForm/profileFormPanel';
import { env, eventually, extension, storePassword } from './api';

const label = (node: TreeNode): string => String(node.treeItem().label);
/** The tree's nodes come from the extension's bundle, so they are found by id, not instanceof. */
const connection = (nodes: TreeNode[], profileId: string): ConnectionNode | undefined => nodes.find((n) => n.id === `conn/${profileId}`) as ConnectionNode | undefined;

/** A profile of each kind for the private servers, saved the way the connection form saves it. */
function forms(): { kind: Kind; id: string; values: Record<string, string | boolean> }[] {
  const redis = new URL(env('REDIS_URL'));
  const amqp = new URL(env('AMQP_URL'));
  const mysql = new URL(env('MYSQL_URL'));
  return [
    { kind: 'redis', id: 'test-redis', values: { name: 'Test Redis', host: redis.hostname, port: redis.port, password: decodeURIComponent(redis.password), db: '0' } },
    { kind: 'memcached', id: 'test-memcached', values: { name: 'Test Memcached', servers: env('MEMCACHED_SERVERS') } },
    {
      kind: 'rabbitmq', id: 'test-rabbitmq',
      values: { name: 'Test RabbitMQ', host: amqp.hostname, port: amqp.port, username: decodeURIComponent(amqp.username), password: decodeURIComponent(amqp.password), vhost: '/', managementUrl: env('RABBITMQ_MGMT_URL') },
    },
    { kind: 'mysql', id: 'test-mysql', values: { name: 'Test MariaDB', host: mysql.hostname, port: mysql.port, username: decodeURIComponent(mysql.username), password: decodeURIComponent(mysql.password), database: mysql.pathname.slice(1) } },
    { kind: 'ssh', id: 'test-ssh', values: { name: 'Test SSH', host: env('SSH_HOST'), port: env('SSH_PORT'), username: env('SSH_USER'), password: env('SSH_PASSWORD') } },
  ];
}

const EXPECTED_CHILD: Record<Kind, RegExp> = {
  redis: /^db0$/,
  memcached: /^127\.0\.0\.1:\d+$/,
  rabbitmq: /^\/$/,
  mysql: /^demo$/,
  ssh: /^System$/,
};

describe('connections in the explorer', () => {
  before(async () => {
    const api = await extension();
    for (const form of forms()) {
      const result = await saveFromForm(api, form.kind, form.id, form.values);
      assert.deepEqual(result.errors, {}, form.kind);
    }
    // The private sshd's key, trusted the way "Trust and Connect" stores it.
    const [, base64] = env('SSH_HOST_KEY').split(' ');
    await api.hostKeys.remember(env('SSH_HOST'), Number(env('SSH_PORT')), Buffer.from(base64!, 'base64'));
    await vscode.commands.executeCommand('workbench.view.extension.switchboard');
  });

  it('keeps passwords in SecretStorage and nowhere in globalState or settings', async () => {
    const api = await extension();
    const passwords = forms().map((f) => f.values['password']).filter((p): p is string => typeof p === 'string' && p.length > 0);
    assert.equal(passwords.length, 4);
    for (const form of forms()) {
      if (typeof form.values['password'] === 'string') assert.equal((await api.secrets.read(form.id)).password, form.values['password']);
    }
    const state = JSON.stringify(api.globalState.keys().map((key) => [key, api.globalState.get(key)]));
    assert.match(state, /Test Redis/, 'the profiles themselves are in globalState');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('switchboard'));
    for (const password of passwords) {
      assert.ok(!state.includes(password), 'a password leaked into globalState');
      assert.ok(!settings.includes(password), 'a password leaked into settings');
    }
  });

  it('shows a node per profile, disconnected until expanded', async () => {
    const api = await extension();
    const roots = await api.tree.getChildren();
    const names = roots.map(label);
    for (const form of forms()) assert.ok(names.includes(String(form.values['name'])), `${String(form.values['name'])} in ${names.join(', ')}`);
    const redis = connection(roots, 'test-redis');
    assert.match(String(redis?.treeItem().contextValue), /^conn:redis:disconnected$/);
  });

  for (const form of forms()) {
    it(`connects ${form.kind} on expand and lists its children`, async () => {
      const api = await extension();
      const node = connection(await api.tree.getChildren(), form.id);
      assert.ok(node);
      const children = await api.tree.getChildren(node);
      assert.ok(children.length > 0, 'no children');
      assert.ok(children.some((child) => EXPECTED_CHILD[form.kind].test(label(child))), `${form.kind} children: ${children.map(label).join(', ')}`);
      assert.match(String(node.treeItem().contextValue), new RegExp(`^conn:${form.kind}:connected`));
      assert.ok(api.drivers.loadedKinds().includes(form.kind));
    });
  }

  it('closes every socket when the sessions are closed', async () => {
    const api = await extension();
    const sockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const open = sockets();
    await api.sessions.closeAll();
    const closed = await eventually('sockets to close', () => {
      const now = sockets();
      return open - now >= 5 ? now : undefined;
    });
    assert.ok(open - closed >= 5, `${open} sockets before, ${closed} after`);
    for (const form of forms()) assert.equal(api.sessions.state(form.id).status, 'disconnected');
  });

  it('shows a wrong password as an error on the node, with the reason in the tooltip', async () => {
    const api = await extension();
    const broken: Profile = { id: 'test-broken', name: 'Broken Redis', kind: 'redis', host: new URL(env('REDIS_URL')).hostname, port: Number(new URL(env('REDIS_URL')).port), tls: false, db: 0, readOnly: false };
    await api.profiles.save(broken);
    await storePassword(api, broken.id, 'definitely-wrong');
    const node = connection(await api.tree.getChildren(), broken.id)!;
    const [error] = await api.tree.getChildren(node);
    assert.match(label(error!), /^Couldn't connect: Redis at .* rejected the user name or password/);
    const item = node.treeItem();
    assert.match(String(item.contextValue), /^conn:redis:error/);
    const tooltip = (item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip)).replace(/&nbsp;/g, ' ');
    assert.match(tooltip, /rejected the user name or password/);
    assert.ok(!tooltip.includes('definitely-wrong'));
    await api.profiles.delete(broken.id);
    await api.secrets.delete(broken.id);
  });
});
