import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { env, eventually, extension } from './api';

describe('panels', () => {
  it('opens the connection form as a webview with a strict CSP', async () => {
    await extension();
    const form = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.addConnection');
    const html = form.panel.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{20,})'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    assert.ok(html.includes(`<script nonce="${nonce}" src=`), 'the bundle carries the nonce');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const tab = await eventually('the Add Connection tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Add Connection' && t.input instanceof vscode.TabInputWebview),
    );
    assert.ok(tab);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the Memcached key browser with the same strict CSP', async () => {
    const api = await extension();
    await api.profiles.save({ id: 'test-mc-browser', name: 'Browser', kind: 'memcached', servers: [{ host: env('MEMCACHED_SERVERS').split(':')[0]!, port: Number(env('MEMCACHED_SERVERS').split(':')[1]), weight: 1 }], readOnly: false });
    const browser = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.memcached.browseKeys', 'test-mc-browser');
    assert.match(browser.panel.webview.html, /default-src 'none'/);
    assert.match(browser.panel.webview.html, /memcachedBrowser\.js/);
    browser.panel.dispose();
  });

  it('opens the Redis key browser for a database with the same strict CSP', async () => {
    const api = await extension();
    const redis = new URL(env('REDIS_URL'));
    await api.profiles.save({ id: 'test-redis-browser', name: 'Browser', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: true });
    const browser = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.redis.browseKeys', 'test-redis-browser', 2);
    assert.equal(browser.panel.title, 'Browser: db2');
    assert.match(browser.panel.webview.html, /default-src 'none'/);
    browser.panel.dispose();
  });

  it('opens a panel again after the user closed it (memory analysis: one panel per database)', async () => {
    const api = await extension();
    const redis = new URL(env('REDIS_URL'));
    await api.profiles.save({ id: 'test-redis-memory', name: 'Memory', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: true });
    const first = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.redis.analyzeMemory', 'test-redis-memory', 3);
    const again = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.redis.analyzeMemory', 'test-redis-memory', 3);
    assert.equal(again, first, 'while open, the same panel is shown');
    first.panel.dispose();
    const reopened = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.redis.analyzeMemory', 'test-redis-memory', 3);
    assert.notEqual(reopened, first, 'a closed panel is not handed out again');
    assert.equal(reopened.panel.title, 'Memory: db3 memory');
    reopened.panel.reveal();
    reopened.panel.dispose();
    await api.profiles.delete('test-redis-memory');
  });
});
