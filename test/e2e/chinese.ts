import { createServer } from 'node:net';
import Redis from 'ioredis';
import { closeAllEditors, form, panelFrame, row, runCommand, seedMemcached, shot, UiStep } from './ui';

/** A port nothing listens on: taken, then released, so a connection to it is refused. */
function refusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The UI in a VS Code whose display language is zh-cn: the view, the command palette, the connection form's
 * webview (its own texts, the fields the host words, and a driver error) and the key browsers' webviews (Memcached and
 * Redis: toolbar, columns, status line, value pane, the question before a delete) read in Chinese.
 */
export function chineseSteps(env: Record<string, string>): UiStep[] {
  return [
    {
      name: 'zh-cn: the Switchboard view welcomes in Chinese',
      async run(page) {
        await page.locator('.part.activitybar [aria-label^="Switchboard"]').first().click();
        await page.getByText('还没有连接。').waitFor({ timeout: 30_000 });
        await page.getByRole('button', { name: '添加连接' }).first().waitFor();
        await shot(page, 'zh-01-welcome');
      },
    },
    {
      name: 'zh-cn: the connection form reads in Chinese, and a refused test connection says why in Chinese',
      async run(page) {
        await runCommand(page, 'Switchboard: 添加连接');
        const frame = form(page);
        await frame.getByRole('heading', { name: '添加连接' }).waitFor({ timeout: 30_000 });
        await frame.getByText('粘贴连接 URL 以填写表单').waitFor();
        await frame.getByRole('button', { name: '测试连接' }).waitFor();
        await frame.getByRole('button', { name: '保存' }).waitFor();
        const port = await refusedPort();
        await frame.locator('#paste-url').fill(`redis://127.0.0.1:${port}`);
        await frame.locator('#paste-url-help').filter({ hasText: '已根据 Redis 地址填写。' }).waitFor();
        await frame.locator('label[for="field-host"]').filter({ hasText: '主机' }).waitFor();
        await frame.locator('label[for="field-readOnly"]').filter({ hasText: '只读' }).waitFor();
        await frame.locator('#field-name').fill('中文测试');
        await frame.getByRole('button', { name: '测试连接' }).click();
        await frame.locator('.status.error-text').filter({ hasText: '服务器拒绝了连接。' }).filter({ hasText: '请检查服务器是否在运行、端口是否正确。' }).waitFor({ timeout: 30_000 });
        await shot(page, 'zh-02-connection-form-error');
        await frame.getByRole('button', { name: '取消' }).click();
      },
    },
    {
      name: 'zh-cn: the Memcached browser reads in Chinese: toolbar, columns, status line and the value pane',
      async run(page) {
        const servers = env['MEMCACHED_SERVERS'];
        if (!servers) throw new Error('MEMCACHED_SERVERS is not set');
        await seedMemcached(servers, { 'e2e:zh:greeting': 'hello' });
        await runCommand(page, 'Switchboard: 添加连接');
        const frame = form(page);
        await frame.locator('#paste-url').fill(servers);
        await frame.locator('#paste-url-help').filter({ hasText: '已根据' }).waitFor({ timeout: 30_000 });
        await frame.locator('#field-name').fill('中文 Memcached');
        await frame.getByRole('button', { name: '保存' }).click();
        await row(page, '中文 Memcached').waitFor({ timeout: 15_000 });
        await runCommand(page, 'Switchboard: 浏览 Memcached 键');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: '中文 Memcached' }).first().click();
        const browser = await panelFrame(page, 'memcachedBrowser');
        // "3 个键 · 用时 0.1 秒": the count and the listing's time, in Chinese.
        await browser.locator('header .status').filter({ hasText: /^[\d,]+ 个键 · 用时 [\d.]+ 秒$/ }).waitFor({ timeout: 60_000 });
        await browser.getByRole('button', { name: '新建条目' }).waitFor();
        await browser.getByRole('button', { name: '删除所选' }).waitFor();
        await browser.locator('.columns').filter({ hasText: '过期' }).filter({ hasText: '最近访问' }).waitFor();
        await browser.getByLabel('筛选键（子串匹配，不区分大小写）').fill('e2e:zh:');
        await browser.locator('header .status').filter({ hasText: /^1 \/ [\d,]+ 个键/ }).waitFor({ timeout: 10_000 });
        await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:zh:greeting' }).click();
        const details = browser.locator('.details');
        await details.locator('h2').filter({ hasText: 'e2e:zh:greeting' }).waitFor({ timeout: 10_000 });
        await details.locator('.field-row').filter({ hasText: '大小' }).filter({ hasText: '字节' }).waitFor();
        await details.locator('.field-row').filter({ hasText: 'TTL' }).filter({ hasText: /永不过期|未知/ }).waitFor();
        await details.getByRole('button', { name: 'Touch' }).waitFor();
        await details.getByRole('button', { name: '删除', exact: true }).click();
        await details.getByRole('alertdialog').filter({ hasText: '从 中文 Memcached 中删除“e2e:zh:greeting”？' }).waitFor();
        await shot(page, 'zh-03-memcached-browser');
        await details.getByRole('alertdialog').getByRole('button', { name: '取消' }).click();
      },
    },
    {
      name: 'zh-cn: the Redis key browser reads in Chinese: toolbar, status line, the value pane and its question',
      async run(page) {
        const url = env['REDIS_URL'];
        if (!url) throw new Error('REDIS_URL is not set');
        const redis = new Redis(url);
        try {
          await redis.hset('e2e:zh:user', { name: '张三', city: '杭州' });
          await closeAllEditors(page);
          await runCommand(page, 'Switchboard: 添加连接');
          const frame = form(page);
          await frame.locator('#paste-url').fill(url);
          await frame.locator('#paste-url-help').filter({ hasText: '已根据 Redis 地址填写。' }).waitFor({ timeout: 30_000 });
          await frame.locator('#field-name').fill('中文 Redis');
          await frame.getByRole('button', { name: '保存' }).click();
          await row(page, '中文 Redis').click();
          await row(page, /^db0/).click();
          const browser = await panelFrame(page, 'redisBrowser');
          // "3 个键 · 完成，用时 0.0 秒": the count and the scan's time, in Chinese.
          await browser.locator('header .status').filter({ hasText: /^[\d,]+ 个键 · 完成，用时 [\d.]+ 秒/ }).waitFor({ timeout: 60_000 });
          for (const name of ['扫描', '新建键', '删除所选']) await browser.getByRole('button', { name, exact: true }).waitFor();
          // The database holds what earlier steps left: the pattern finds this step's key among them.
          await browser.getByLabel('键模式').fill('e2e:zh:*');
          await browser.getByRole('button', { name: '扫描', exact: true }).click();
          await browser.locator('header .status').filter({ hasText: /^1 个键 · 完成，用时 [\d.]+ 秒/ }).waitFor({ timeout: 30_000 });
          await browser.locator('.vlist-row:visible').filter({ hasText: 'e2e:zh:user' }).click();
          const details = browser.locator('.details');
          await details.locator('td').filter({ hasText: '杭州' }).waitFor({ timeout: 10_000 });
          for (const name of ['重命名', '设置 TTL', '移除 TTL']) await details.getByRole('button', { name, exact: true }).waitFor();
          await details.getByRole('button', { name: '删除', exact: true }).click();
          const question = browser.getByRole('alertdialog').filter({ hasText: '从 中文 Redis db0 中删除“e2e:zh:user”？' });
          await question.waitFor();
          await shot(page, 'zh-04-redis-browser');
          await question.getByRole('button', { name: '取消' }).click();
          if ((await redis.exists('e2e:zh:user')) !== 1) throw new Error('Cancel deleted the key');
        } finally {
          await redis.del('e2e:zh:user');
          redis.disconnect();
        }
      },
    },
  ];
}
