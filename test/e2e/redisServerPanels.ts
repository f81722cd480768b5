import Redis from 'ioredis';
import type { Page } from 'playwright-core';
import type { UiStep } from './ui';
import { assertReloaded, closeAllEditors, hideAndReturn, markWebview, runCommand, shot } from './ui';
import { eventually } from '../eventually';


async function pickConnection(page: Page, name: string): Promise<void> {
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().click();
}

const activePanel = (page: Page) => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

/** The Redis panels that show what a server holds and does: memory analysis, profiler, slow log, clients. */
export function redisServerPanelSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'analyzes Redis memory: bars per prefix and type, the TTL histogram and the biggest keys, kept while hidden; a prefix opens the key browser on it',
      async run(page) {
        const redis = new Redis(need('REDIS_URL'));
        const p = redis.pipeline();
        for (let i = 0; i < 3000; i++) p.set(`cart:${i}`, 'x'.repeat(200));
        for (let i = 0; i < 500; i++) p.hset(`profile:${i}`, 'name', `user ${i}`).expire(`profile:${i}`, 1800);
        p.set('report:yearly', 'y'.repeat(100_000));
        await p.exec();
        redis.disconnect();
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Analyze Redis Memory');
        await pickConnection(page, 'Demo Redis');
        const panel = activePanel(page);
        await panel.getByRole('button', { name: 'Analyze', exact: true }).click();
        await panel.locator('header .status').filter({ hasText: /^Done: [\d,]+ keys/ }).waitFor({ timeout: 60_000 });
        const prefixes = panel.getByRole('tree', { name: 'Memory by prefix' });
        await prefixes.getByRole('button', { name: 'cart:', exact: true }).waitFor();
        const first = await prefixes.locator('.bar-row').first().textContent();
        if (!first?.includes('cart:') || !first.includes('3,000 keys')) throw new Error(`the biggest prefix should be cart: with 3,000 keys, not ${first}`);
        await panel.getByRole('list', { name: 'Keys by time to live' }).getByText('< 1 h').waitFor();
        await panel.getByRole('table', { name: 'Biggest keys by memory' }).getByRole('button', { name: 'report:yearly' }).waitFor();
        await shot(page, '17-redis-memory-analysis');
        await hideAndReturn(page, 'memory');
        await panel.locator('header .status').filter({ hasText: /^Done:/ }).waitFor();
        await prefixes.getByRole('button', { name: 'profile:', exact: true }).click();
        const browser = activePanel(page);
        await browser.locator('.status').filter({ hasText: /^500 keys/ }).waitFor({ timeout: 30_000 });
        const pattern = await browser.getByLabel('Key pattern').inputValue();
        if (pattern !== 'profile:*') throw new Error(`the key browser should scan profile:*, not ${pattern}`);
      },
    },
    {
      name: 'profiles Redis with MONITOR: a filtered live list that keeps what arrived while hidden, stopped by the user',
      async run(page) {
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Open Redis Profiler (MONITOR)');
        await pickConnection(page, 'Demo Redis');
        const panel = activePanel(page);
        await panel.getByLabel('Filter').fill('e2e-profiled');
        await panel.getByLabel('Stop after seconds').fill('300');
        await panel.getByRole('button', { name: 'Start', exact: true }).click();
        await panel.locator('header .status').filter({ hasText: /^Watching/ }).waitFor({ timeout: 15_000 });
        const redis = new Redis(need('REDIS_URL'));
        for (let i = 1; i <= 20; i++) await redis.set(`e2e-profiled:${i}`, `value "${i}"`);
        await panel.locator('.vlist-row:visible').filter({ hasText: 'e2e-profiled:20' }).waitFor({ timeout: 15_000 });
        await redis.get('not-shown');
        await shot(page, '18-redis-profiler');
        await hideAndReturn(page, 'profiler', async () => {
          for (let i = 21; i <= 50; i++) await redis.set(`e2e-profiled:${i}`, 'while hidden');
        });
        await panel.locator('.vlist-row:visible').filter({ hasText: 'e2e-profiled:50' }).waitFor({ timeout: 15_000 });
        redis.disconnect();
        if (await panel.locator('.vlist-row:visible').filter({ hasText: 'not-shown' }).count()) throw new Error('the filter let an unmatched command through');
        await panel.locator('header .status').filter({ hasText: '50 kept' }).waitFor();
        await panel.getByRole('button', { name: 'Stop', exact: true }).click();
        await panel.locator('header .status').filter({ hasText: /^Stopped\./ }).waitFor({ timeout: 10_000 });
      },
    },
    {
      name: 'closing the profiler while it watches ends MONITOR on the server',
      async run(page) {
        const redis = new Redis(need('REDIS_URL'));
        const monitors = async (): Promise<number> => ((await redis.call('CLIENT', 'LIST')) as string).split('\n').filter((line) => / cmd=monitor /.test(line)).length;
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Open Redis Profiler (MONITOR)');
        await pickConnection(page, 'Demo Redis');
        const panel = activePanel(page);
        await panel.getByLabel('Stop after seconds').fill('300');
        await panel.getByRole('button', { name: 'Start', exact: true }).click();
        await panel.locator('header .status').filter({ hasText: /^Watching/ }).waitFor({ timeout: 15_000 });
        await eventually('MONITOR to run on the server', async () => (await monitors()) > 0);
        await closeAllEditors(page);
        await eventually('MONITOR to end once its panel is closed', async () => (await monitors()) === 0);
        redis.disconnect();
      },
    },
    {
      name: 'sets the Redis slow log threshold after a confirmation, reads the slow log and resets it after another',
      async run(page) {
        const redis = new Redis(need('REDIS_URL'));
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Open Redis Slow Log');
        await pickConnection(page, 'Demo Redis');
        const panel = activePanel(page);
        await panel.locator('header .status').filter({ hasText: /entries/ }).waitFor({ timeout: 15_000 });
        await panel.getByLabel('Log commands slower than (microseconds)').fill('0');
        await panel.getByRole('button', { name: 'Set Threshold…' }).click();
        const change = panel.getByRole('alertdialog', { name: 'Log every command on Demo Redis?' });
        await change.getByText('CONFIG SET slowlog-log-slower-than 0 (now').waitFor();
        // Cancel has the focus: Enter right after the question changes nothing on the server.
        await page.keyboard.press('Enter');
        await change.waitFor({ state: 'detached' });
        if ((await redis.config('GET', 'slowlog-log-slower-than'))[1] === '0') throw new Error('Enter on the question changed the threshold');
        await panel.getByRole('button', { name: 'Set Threshold…' }).click();
        await change.getByRole('button', { name: 'Change Threshold' }).click();
        await panel.locator('.notice').filter({ hasText: 'The threshold was changed.' }).waitFor({ timeout: 10_000 });
        await panel.locator('header .status').filter({ hasText: 'every command' }).or(panel.locator('header .status').filter({ hasText: 'slower than 0 µs' })).waitFor({ timeout: 10_000 });
        await redis.set('e2e-slow', 'logged');
        await panel.getByRole('button', { name: 'Refresh' }).click();
        await panel.locator('.vlist-row:visible').filter({ hasText: 'e2e-slow' }).waitFor({ timeout: 10_000 });
        await shot(page, '19-redis-slow-log');
        // Hidden and back: the webview is built again and shows the entries and the threshold as they were read.
        await markWebview(page, 'redisSlowLog');
        await hideAndReturn(page, 'slow log');
        await assertReloaded(page, 'redisSlowLog');
        await panel.locator('.vlist-row:visible').filter({ hasText: 'e2e-slow' }).waitFor({ timeout: 15_000 });
        await panel.locator('header .status').filter({ hasText: 'every command' }).or(panel.locator('header .status').filter({ hasText: 'slower than 0 µs' })).waitFor();
        await panel.getByRole('button', { name: 'Reset Slow Log…' }).click();
        const reset = panel.getByRole('alertdialog', { name: 'Reset the slow log of Demo Redis?' });
        await reset.getByText(/^SLOWLOG RESET deletes the [\d,]+ entries shown/).waitFor();
        await reset.getByRole('button', { name: 'Reset Slow Log', exact: true }).click();
        await panel.locator('.vlist-row:visible').filter({ hasText: 'e2e-slow' }).waitFor({ state: 'detached', timeout: 10_000 });
        await redis.config('SET', 'slowlog-log-slower-than', '10000');
        redis.disconnect();
      },
    },
    {
      name: 'lists Redis clients with name, idle time and last command, and kills one after a confirmation naming it',
      async run(page) {
        const victim = new Redis(need('REDIS_URL'), { connectionName: 'e2e-victim', retryStrategy: () => null });
        victim.on('error', () => undefined);
        await victim.get('e2e-victim-was-here');
        const closed = new Promise((resolve) => victim.once('end', resolve));
        await closeAllEditors(page);
        await runCommand(page, 'Switchboard: Open Redis Clients');
        await pickConnection(page, 'Demo Redis');
        const panel = activePanel(page);
        await panel.locator('header .status').filter({ hasText: /clients/ }).waitFor({ timeout: 15_000 });
        await panel.getByLabel('Filter clients').fill('e2e-victim');
        const victimRow = panel.locator('.vlist-row:visible').filter({ hasText: 'e2e-victim' });
        await victimRow.filter({ hasText: 'get' }).waitFor();
        await victimRow.click();
        await shot(page, '20-redis-clients');
        // Hidden and back: the webview is built again, with the filter and the chosen client as they were.
        await markWebview(page, 'redisClients');
        await hideAndReturn(page, 'clients');
        await assertReloaded(page, 'redisClients');
        await panel.locator('.vlist-row[aria-selected="true"]').filter({ hasText: 'e2e-victim' }).waitFor({ timeout: 15_000 });
        if ((await panel.getByLabel('Filter clients').inputValue()) !== 'e2e-victim') throw new Error('the filter was lost');
        await panel.getByRole('button', { name: /^Kill Client \d+…$/ }).click();
        const question = panel.getByRole('alertdialog', { name: /^Kill client \d+ on Demo Redis\?$/ });
        await question.getByText('("e2e-victim"), last command get').waitFor();
        // Cancel has the focus: Enter right after the question kills nothing.
        await page.keyboard.press('Enter');
        await question.waitFor({ state: 'detached' });
        if (victim.status !== 'ready') throw new Error(`Enter on the question cut the client off (${victim.status})`);
        await panel.getByRole('button', { name: /^Kill Client \d+…$/ }).click();
        await question.getByRole('button', { name: 'Kill Client', exact: true }).click();
        await closed;
        await panel.locator('.notice').filter({ hasText: /^Client \d+: killed\.$/ }).waitFor({ timeout: 10_000 });
        await panel.locator('header .status').filter({ hasText: /^0 of \d+ clients/ }).waitFor({ timeout: 10_000 });
        victim.disconnect();
      },
    },
  ];
}
