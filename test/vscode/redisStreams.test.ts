import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { env, extension } from './api';

describe('redis stream consumer groups', () => {
  it('opens one panel per stream key, named after it, with the strict CSP', async () => {
    const api = await extension();
    const redis = new URL(env('REDIS_URL'));
    await api.profiles.save({ id: 'test-redis-stream', name: 'Streams', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: true });
    try {
      const panel = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.redis.streamGroups', 'test-redis-stream', 3, { text: 'orders:stream' });
      assert.equal(panel.panel.title, 'Streams: orders:stream (stream)');
      assert.match(panel.panel.webview.html, /default-src 'none'/);
      assert.match(panel.panel.webview.html, /redisStream\.js/);
      const again = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.redis.streamGroups', 'test-redis-stream', 3, { text: 'orders:stream' });
      assert.equal(again, panel, 'the same key reveals the panel it has');
      const other = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.redis.streamGroups', 'test-redis-stream', 3, { text: 'x', base64: Buffer.from([0xff]).toString('base64') });
      assert.notEqual(other, panel);
      other.panel.dispose();
      panel.panel.dispose();
    } finally {
      await api.profiles.delete('test-redis-stream');
    }
  });
});
