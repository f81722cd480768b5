import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { TreeNode } from '../../src/explorer/nodes/treeNode';
import type { RedisBrowserPanel } from '../../src/panels/redisBrowser/redisBrowserPanel';
import { EXTENSION_ID, env, eventually, extension } from '../vscode/api';

/** The suite runs in a VS Code whose display language is zh-cn: what Switchboard shows must be Chinese. */
const label = (node: TreeNode): string => String(node.treeItem().label);
const text = (value: string | boolean | vscode.MarkdownString | vscode.TreeItemLabel | undefined): string =>
  value instanceof vscode.MarkdownString ? value.value : typeof value === 'object' ? value.label : String(value ?? '');
const HAN = /[\u4e00-\u9fff]/;

/** A local port that answers HTTP whatever it is sent: what a Redis connection to the wrong port meets. */
async function httpServer(): Promise<{ web: Server; port: number }> {
  const web: Server = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n')));
  const port = await new Promise<number>((resolve) => web.listen(0, '127.0.0.1', () => {
    const address = web.address();
    resolve(typeof address === 'object' && address ? address.port : 0);
  }));
  return { web, port };
}

describe('Switchboard in Simplified Chinese (display language zh-cn)', () => {
  it('runs in a zh-cn VS Code with its Chinese l10n bundle loaded', async () => {
    await extension();
    assert.equal(vscode.env.language, 'zh-cn');
    assert.match(String(vscode.l10n.uri), /l10n\/bundle\.l10n\.zh-cn\.json$/);
    assert.equal(vscode.l10n.t('Add Connection'), '添加连接');
  });

  it('names the view, its commands and settings from package.nls.zh-cn.json', async () => {
    const manifest: unknown = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    const json = JSON.stringify(manifest);
    // VS Code resolves each %key% of the manifest to the display language's text.
    assert.ok(json.includes('"查询历史"'), 'the Query History view is named in Chinese');
    assert.ok(json.includes('"添加连接"'), 'Add Connection is titled in Chinese');
    assert.ok(json.includes('连接时等待服务器应答的秒数'), 'settings are described in Chinese');
    assert.ok(!/"%[A-Za-z.]+%"/.test(json), 'no %key% is left unresolved');
  });

  it('shows the explorer in Chinese: a read-only connection and the fixed rows of a live Redis', async () => {
    const api = await extension();
    const redis = new URL(env('REDIS_URL'));
    await api.profiles.save({ id: 'zh-redis', name: 'Redis 中文', kind: 'redis', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: true });
    await api.secrets.write(api.profiles.get('zh-redis')!, { password: decodeURIComponent(redis.password) }, (id) => api.profiles.get(id));
    const node = (await api.tree.getChildren()).find((n) => n.id === 'conn/zh-redis');
    assert.ok(node, 'the connection is in the tree');
    assert.match(text(node.treeItem().description), /^只读 · /, 'a read-only connection says so in Chinese');
    const children = await api.tree.getChildren(node);
    const server = children.find((child) => label(child) === '服务器');
    assert.ok(server, `the Server row in Chinese: ${children.map(label).join(', ')}`);
    assert.equal(text(server.treeItem().tooltip), 'INFO 各部分、慢查询日志、客户端、内存统计');
    const db0 = children.find((child) => label(child) === 'db0');
    assert.match(text(db0?.treeItem().description), /^\d+ 个键$/, 'the key count is worded in Chinese');
    const views = (await api.tree.getChildren(server)).map(label);
    assert.deepEqual(views, ['信息（INFO）', '慢查询日志', '客户端', '内存统计']);
    await api.sessions.disconnect('zh-redis');
    await api.profiles.delete('zh-redis');
  });

  it('words a driver error in Chinese on the tree row: what the code means, the driver facts, the hint', async () => {
    const api = await extension();
    // A port nothing listens on: taken, then released, so the connection is refused.
    const port = await new Promise<number>((resolve) => {
      const probe: Server = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    await api.profiles.save({ id: 'zh-refused', name: '拒绝', kind: 'redis', host: '127.0.0.1', port, db: 0, tls: false, readOnly: false });
    const node = (await api.tree.getChildren()).find((n) => n.id === 'conn/zh-refused');
    assert.ok(node);
    const [row] = await api.tree.getChildren(node);
    const shown = label(row!);
    assert.match(shown, /^无法连接：服务器拒绝了连接。/, shown);
    assert.ok(shown.includes(`127.0.0.1:${port}`), `the driver's facts stay: ${shown}`);
    assert.ok(shown.endsWith('请检查服务器是否在运行、端口是否正确。'), `the hint is translated: ${shown}`);
    assert.equal(row!.treeItem().command?.title, '重试');
    await api.sessions.disconnect('zh-refused');
    await api.profiles.delete('zh-refused');
  });

  it('words each driver hint in Chinese, not only the shared network ones: a port that answers HTTP to Redis', async () => {
    const api = await extension();
    const { web, port } = await httpServer();
    try {
      await api.profiles.save({ id: 'zh-http', name: '网页端口', kind: 'redis', host: '127.0.0.1', port, db: 0, tls: false, readOnly: false });
      const node = (await api.tree.getChildren()).find((n) => n.id === 'conn/zh-http');
      assert.ok(node);
      const [row] = await api.tree.getChildren(node);
      const shown = label(row!);
      assert.ok(shown.includes(`127.0.0.1:${port}`), `the driver's facts stay: ${shown}`);
      assert.ok(shown.endsWith('请检查主机和端口：应为 Redis 服务器的地址（默认端口 6379）。'), `the hint is translated: ${shown}`);
      await api.sessions.disconnect('zh-http');
      await api.profiles.delete('zh-http');
    } finally {
      web.close();
    }
  });

  it('words a panel\'s failure in Chinese too: the key browser of a port that answers HTTP to Redis', async () => {
    const api = await extension();
    const { web, port } = await httpServer();
    try {
      await api.profiles.save({ id: 'zh-http-browser', name: '网页端口', kind: 'redis', host: '127.0.0.1', port, db: 0, tls: false, readOnly: false });
      const browser = await vscode.commands.executeCommand<RedisBrowserPanel>('switchboard.redis.browseKeys', 'zh-http-browser', 0);
      const failed = await eventually('the scan to fail', () => browser.model.scan.phase === 'failed' && browser.model.scan.error, 30_000);
      assert.equal(failed.hint, '请检查主机和端口：应为 Redis 服务器的地址（默认端口 6379）。');
      assert.match(failed.message, HAN, `the facts are worded too: ${failed.message}`);
      browser.panel.dispose();
      await api.sessions.disconnect('zh-http-browser');
      await api.profiles.delete('zh-http-browser');
    } finally {
      web.close();
    }
  });

  it('words a connection import in Chinese too: the plain-Node import modules read the same bundle', async () => {
    await extension();
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-zh-import-'));
    const file = join(dir, 'not-connections.json');
    writeFileSync(file, '{"hello": 1}');
    await vscode.commands.executeCommand('switchboard.importConnections', vscode.Uri.file(file));
    // The failure is logged (and shown) as the import module worded it.
    const logs = (): string[] => readdirSync(env('SWITCHBOARD_TEST_DIR'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('Switchboard.log')).map((f) => join(env('SWITCHBOARD_TEST_DIR'), f));
    await eventually('the import failure logged in Chinese', () => logs().some((f) => readFileSync(f, 'utf8').includes('这不是 Switchboard 能读取的连接文件')), 20_000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the connection form with its bundle: Chinese title, page language and texts, the CSP unchanged', async () => {
    await extension();
    const form = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.addConnection');
    assert.equal(form.panel.title, '添加连接');
    const html = form.panel.webview.html;
    assert.match(html, /<html lang="zh-cn">/);
    const data = /<script type="application\/json" id="switchboard-l10n">([^<]*)<\/script>/.exec(html)?.[1];
    assert.ok(data, 'the page carries the l10n bundle as a data block');
    const bundle: unknown = JSON.parse(data);
    assert.ok(typeof bundle === 'object' && bundle !== null);
    assert.equal(Object.getOwnPropertyDescriptor(bundle, 'Test Connection')?.value, '测试连接');
    assert.equal(Object.getOwnPropertyDescriptor(bundle, 'Paste a connection URL to fill the form')?.value, '粘贴连接 URL 以填写表单');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; .*script-src 'nonce-[A-Za-z0-9+/=]+'$/);
    const tab = await eventually('the 添加连接 tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === '添加连接'));
    assert.ok(tab);
    form.panel.dispose();
  });

  it('opens a key browser panel titled in Chinese, its page in Chinese too', async () => {
    const api = await extension();
    const [host, port] = env('MEMCACHED_SERVERS').split(':');
    await api.profiles.save({ id: 'zh-mc', name: '缓存', kind: 'memcached', servers: [{ host: host!, port: Number(port), weight: 1 }], readOnly: false });
    const browser = await vscode.commands.executeCommand<{ panel: vscode.WebviewPanel }>('switchboard.memcached.browseKeys', 'zh-mc');
    assert.equal(browser.panel.title, '缓存：键');
    assert.match(browser.panel.webview.html, /<html lang="zh-cn">/);
    assert.ok(HAN.test(/id="switchboard-l10n">([^<]*)</.exec(browser.panel.webview.html)?.[1] ?? ''), 'the panel has the Chinese bundle');
    browser.panel.dispose();
    await api.profiles.delete('zh-mc');
  });
});
