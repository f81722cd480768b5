import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Browser, CDPSession, Frame, Page } from 'playwright-core';
import { startRedis } from '../test/services/redis';
import { addConnection, expand, panelFrame, runCommand } from '../test/e2e/ui';
import { Figure } from './figures';
import { rawScan } from './redis';

/** What the runner (bench/ui.mjs) hands over from scripts/: the provisioned code-server and Chromium, and the .vsix. */
export interface UiHarness {
  readonly paths: { readonly node: string; readonly codeServer: string; readonly chromium: string };
  readonly vsix: string;
  startCodeServer(options: { paths: UiHarness['paths']; dir: string }): Promise<{ url: string; extensionsDir: string; stop(): Promise<void> }>;
  launchChromium(paths: UiHarness['paths'], dir: string): Promise<Browser>;
}

const SIZES = [
  { label: '1M', keys: 1_000_000, scanTimeoutMs: 300_000 },
  { label: '10M', keys: 10_000_000, scanTimeoutMs: 1_200_000 },
] as const;
/** DEBUG POPULATE names the keys bench:0 … bench:<n-1>: the tree holds them all in one folder, "bench:". */
const PREFIX = 'bench';
const MB = 2 ** 20;

/**
 * The key browser through the real UI (code-server, the packaged extension, Chromium), for 1M and then 10M keys, each
 * beside the raw SCAN COUNT 1000 loop of the same run: the wall time from picking the connection for Browse Redis Keys
 * to the webview's status saying done with the full count; the JS heaps of the webview and the workbench and the
 * extension host's RSS, before and after; and how long opening the folder of all the keys in the tree takes.
 */
export async function uiKeyBrowserFigures(harness: UiHarness, log: (line: string) => void): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-ui-'));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const redis = await startRedis(dir);
  const server = await harness.startCodeServer({ paths: harness.paths, dir });
  let browser: Browser | undefined;
  try {
    execFileSync(harness.paths.node, [harness.paths.codeServer, '--extensions-dir', server.extensionsDir, '--install-extension', harness.vsix], { stdio: 'ignore' });
    browser = await harness.launchChromium(harness.paths, dir);
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.part.activitybar [aria-label^="Switchboard"]').first().click();
    await page.getByRole('button', { name: 'Add Connection' }).first().click();
    await addConnection(page, 'Bench Redis', redis.url);
    // Connected before the clock runs: the figures are the scan's, not the first connection's.
    await expand(page, 'Bench Redis', /^db0/);
    const workbench = await page.context().newCDPSession(page);
    const loader = new Redis({ port: redis.port, password: redis.password });
    const figures: Figure[] = [];
    try {
      for (const size of SIZES) {
        // DEBUG POPULATE adds bench:<count> and on: after the 1M run it adds the other nine million.
        await loader.call('DEBUG', 'POPULATE', String(size.keys), PREFIX);
        if ((await loader.dbsize()) !== size.keys) throw new Error(`db0 does not hold ${size.keys} keys`);
        log(`${size.label}: raw SCAN loop`);
        const raw = await rawScan(redis.port, redis.password);
        if (raw.keys !== size.keys) throw new Error(`the raw loop found ${raw.keys} keys, not ${size.keys}`);
        log(`${size.label}: raw ${raw.seconds.toFixed(2)} s; through the panel`);
        figures.push(...(await panelRun(page, workbench, dir, harness.paths.node, size, raw.seconds, log)));
      }
    } finally {
      loader.disconnect();
    }
    return figures;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function panelRun(page: Page, workbench: CDPSession, dir: string, node: string, size: (typeof SIZES)[number], rawSeconds: number, log: (line: string) => void): Promise<Figure[]> {
  const count = size.keys.toLocaleString('en-US');
  const host = extensionHostPid(dir);
  const hostBefore = await hostMemory(host, node);
  const workbenchBefore = await heapAfterGcMb(workbench);
  await runCommand(page, 'Switchboard: Browse Redis Keys');
  const pick = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Bench Redis' }).first();
  await pick.waitFor();
  const started = Date.now();
  await pick.click();
  const frame = await panelFrame(page, 'redisBrowser');
  const firstStatusAt = await whenTrue(frame, `[...document.querySelectorAll('.status')].some((e) => /\\d key/.test(e.textContent ?? ''))`, 60_000, `document.body.textContent`);
  const statusDone = `[...document.querySelectorAll('.status')].some((e) => /^${count} keys · done in /.test((e.textContent ?? '').trim()))`;
  const doneAt = await whenTrue(frame, statusDone, size.scanTimeoutMs, `[...document.querySelectorAll('.status')].map((e) => e.textContent).join(' | ')`);
  const wallSeconds = (doneAt - started) / 1000;
  const status = String(await frame.evaluate(`document.querySelector('.status')?.textContent ?? ''`));
  const reported = /done in ([\d.]+) s/.exec(status);
  if (!reported?.[1]) throw new Error(`the status says ${status}`);
  const hostSeconds = Number(reported[1]);
  log(`${size.label}: webview done after ${wallSeconds.toFixed(1)} s, the host's own count says ${hostSeconds} s`);
  const hostAfter = await hostMemory(host, node);
  const webview = await frameSession(page, frame);
  const webviewAfter = await heapAfterGcMb(webview ?? workbench);
  const workbenchAfter = await heapAfterGcMb(workbench);

  // The tree: one folder holds every key; double-clicking it opens it. Long tasks and frame gaps while it opens.
  await frame.getByLabel('Show keys as').selectOption('tree');
  const folder = frame.locator('.vlist-row:visible').filter({ hasText: `▸ ${PREFIX}:` });
  await folder.filter({ hasText: `${count} keys` }).waitFor({ timeout: 60_000 });
  await Promise.all([watchJank(frame), watchJank(page.mainFrame())]);
  const clicked = Date.now();
  await folder.dblclick();
  const openedAt = await whenTrue(frame, `[...document.querySelectorAll('.vlist-row')].some((r) => r.textContent.includes('▾ ${PREFIX}:')) && [...document.querySelectorAll('.vlist-row')].some((r) => /^\\u2003\\d+/.test(r.textContent))`, 120_000, `[...document.querySelectorAll('.vlist-row')].slice(0, 3).map((r) => r.textContent).join(' | ')`);
  // Two frames drawn after the keys showed, so the frame gap that held them is counted.
  await frame.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  const inWebview = await jank(frame);
  const inWorkbench = await jank(page.mainFrame());
  const hostTree = await hostMemory(host, node);
  log(`${size.label}: folder opened after ${openedAt - clicked} ms`);

  await runCommand(page, 'View: Close All Editors');
  await whenDetached(page, frame);
  const hostClosed = await hostMemory(host, node);
  const workbenchClosed = await heapAfterGcMb(workbench);
  await webview?.detach().catch(() => undefined);
  const webviewName = webview ? 'key browser webview' : 'key browser webview (in the workbench renderer: one heap)';
  return [
    { name: `ui: ${size.label} keys, Browse Redis Keys to the webview's "${count} keys · done"`, value: wallSeconds, unit: 's', baseline: { name: 'raw-socket SCAN COUNT 1000 loop', value: rawSeconds }, target: '<= 1.5' },
    { name: `ui: ${size.label} keys, pick to the webview's first status (panel and webview start)`, value: (firstStatusAt - started) / 1000, unit: 's' },
    { name: `ui: ${size.label} keys, the host's own count ("done in")`, value: hostSeconds, unit: 's', baseline: { name: 'raw-socket SCAN COUNT 1000 loop', value: rawSeconds } },
    { name: `ui: ${size.label} keys, webview done after the host's own count`, value: wallSeconds, unit: 's', baseline: { name: 'the host\'s "done in"', value: hostSeconds }, target: '<= 1.5' },
    { name: `ui: ${size.label} keys, ${webviewName} JS heap after the scan (after GC)`, value: webviewAfter, unit: 'MB', target: size.label === '10M' ? '< 300 (growth)' : '' },
    { name: `ui: ${size.label} keys, workbench renderer JS heap after the scan (after GC)`, value: workbenchAfter, unit: 'MB', baseline: { name: 'before it, no panel open', value: workbenchBefore } },
    { name: `ui: ${size.label} keys, workbench renderer JS heap growth, panel open`, value: workbenchAfter - workbenchBefore, unit: 'MB', target: size.label === '10M' ? '< 300' : '' },
    { name: `ui: ${size.label} keys, workbench renderer JS heap growth, panel closed`, value: workbenchClosed - workbenchBefore, unit: 'MB' },
    { name: `ui: ${size.label} keys, extension host RSS growth, scan done (after GC)`, value: hostAfter.rss - hostBefore.rss, unit: 'MB', target: size.label === '10M' ? '< 100' : '' },
    { name: `ui: ${size.label} keys, extension host JS heap growth, scan done (after GC)`, value: hostAfter.heap - hostBefore.heap, unit: 'MB' },
    { name: `ui: ${size.label} keys, extension host RSS growth, tree folder open (after GC)`, value: hostTree.rss - hostBefore.rss, unit: 'MB' },
    { name: `ui: ${size.label} keys, extension host RSS growth, panel closed (after GC)`, value: hostClosed.rss - hostBefore.rss, unit: 'MB' },
    { name: `ui: ${size.label} keys, extension host JS heap growth, panel closed (after GC)`, value: hostClosed.heap - hostBefore.heap, unit: 'MB' },
    { name: `ui: ${size.label} keys, extension host RSS before the panel (after GC)`, value: hostBefore.rss, unit: 'MB' },
    { name: `ui: ${size.label} keys, double-click on the folder of all keys to its keys shown`, value: openedAt - clicked, unit: 'ms' },
    { name: `ui: ${size.label} keys, longest task in the webview while the folder opens`, value: inWebview.longest, unit: 'ms', target: '< 50' },
    { name: `ui: ${size.label} keys, longest frame gap in the webview while the folder opens`, value: inWebview.gap, unit: 'ms' },
    { name: `ui: ${size.label} keys, longest task in the workbench while the folder opens`, value: inWorkbench.longest, unit: 'ms', target: '< 50' },
  ];
}

/**
 * Resolves with the time (Date.now(), in the page) at which `condition` (a JavaScript expression in the frame) first
 * holds: checked at once and on every change of the frame's DOM, so no polling interval adds to the figure.
 */
async function whenTrue(frame: Frame, condition: string, timeoutMs: number, describe: string): Promise<number> {
  const waiting = frame.evaluate(`new Promise((resolve) => {
    const check = () => { if (${condition}) { observer.disconnect(); resolve(Date.now()); } };
    const observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    check();
  })`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void frame.evaluate(describe).then(
        (shown) => reject(new Error(`${condition} did not hold within ${timeoutMs} ms; the page shows ${String(shown)}`)),
        (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      );
    }, timeoutMs);
  });
  try {
    const at: unknown = await Promise.race([waiting, timeout]);
    if (typeof at !== 'number') throw new Error(`the frame answered ${String(at)}`);
    return at;
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once the frame is gone (its panel closed). */
async function whenDetached(page: Page, frame: Frame): Promise<void> {
  if (frame.isDetached()) return;
  await new Promise<void>((resolve) => {
    const onDetached = (gone: Frame): void => {
      if (gone !== frame) return;
      page.off('framedetached', onDetached);
      resolve();
    };
    page.on('framedetached', onDetached);
    if (frame.isDetached()) onDetached(frame);
  });
}

/** A CDP session on the frame's own renderer when it runs out of process; undefined when it shares the workbench's. */
async function frameSession(page: Page, frame: Frame): Promise<CDPSession | undefined> {
  try {
    return await page.context().newCDPSession(frame);
  } catch (error) {
    if (error instanceof Error && /does not have a separate CDP session/.test(error.message)) return undefined;
    throw error;
  }
}

/** The target's JS heap in use after a full collection, in MB. */
async function heapAfterGcMb(session: CDPSession): Promise<number> {
  await session.send('HeapProfiler.enable');
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize / MB;
}

/** Starts recording long tasks and the longest gap between animation frames in the frame. */
async function watchJank(frame: Frame): Promise<void> {
  await frame.evaluate(`(() => {
    const jank = (globalThis.__sbJank = { longest: 0, gap: 0 });
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) jank.longest = Math.max(jank.longest, e.duration); });
    observer.observe({ type: 'longtask' });
    jank.observer = observer;
    let last = performance.now();
    const tick = (now) => { jank.gap = Math.max(jank.gap, now - last); last = now; if (globalThis.__sbJank === jank) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
}

async function jank(frame: Frame): Promise<{ longest: number; gap: number }> {
  const seen: unknown = await frame.evaluate(`(() => {
    const jank = globalThis.__sbJank;
    for (const e of jank.observer.takeRecords()) jank.longest = Math.max(jank.longest, e.duration);
    jank.observer.disconnect();
    globalThis.__sbJank = undefined;
    return [jank.longest, jank.gap];
  })()`);
  if (!Array.isArray(seen) || typeof seen[0] !== 'number' || typeof seen[1] !== 'number') throw new Error(`no jank record: ${String(seen)}`);
  return { longest: seen[0], gap: seen[1] };
}

/** The extension host of the code-server started in `dir`: a process forked as the extension host, with dir's XDG_DATA_HOME. */
function extensionHostPid(dir: string): number {
  const marker = `XDG_DATA_HOME=${join(dir, 'xdg', 'data')}`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (!/extensionHost/.test(command)) continue;
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(marker)) found.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  if (found.length !== 1) throw new Error(`expected one extension host of the code-server in ${dir}, found ${found.length}`);
  return found[0]!;
}

/**
 * The extension host's RSS and JS heap after a full collection, in MB. Its inspector is opened once with SIGUSR1 (as
 * `node --inspect` would, on 127.0.0.1:9229) and asked by Node 24 (which has WebSocket) to collect and report.
 */
async function hostMemory(pid: number, node: string): Promise<{ rss: number; heap: number }> {
  if (!inspected.has(pid)) {
    if (await inspectorAnswers()) throw new Error('something already listens on 127.0.0.1:9229: the extension host inspector cannot open there');
    process.kill(pid, 'SIGUSR1');
    const deadline = Date.now() + 20_000;
    while (!(await inspectorAnswers())) {
      if (Date.now() > deadline) throw new Error(`the extension host (${pid}) opened no inspector on 127.0.0.1:9229`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    inspected.add(pid);
  }
  const answer: unknown = JSON.parse(execFileSync(node, ['--input-type=module', '-e', GC_PROBE], { encoding: 'utf8', timeout: 120_000 }));
  if (typeof answer !== 'object' || answer === null || !('usedSize' in answer) || typeof answer.usedSize !== 'number') throw new Error(`the inspector answered ${JSON.stringify(answer)}`);
  return { rss: rssMb(pid), heap: answer.usedSize / MB };
}

const inspected = new Set<number>();

async function inspectorAnswers(): Promise<boolean> {
  try {
    return (await fetch('http://127.0.0.1:9229/json/list')).ok;
  } catch {
    return false;
  }
}

const GC_PROBE = `
const [target] = await (await fetch('http://127.0.0.1:9229/json/list')).json();
const socket = new WebSocket(target.webSocketDebuggerUrl);
const pending = new Map();
let id = 0;
socket.onmessage = (event) => { const m = JSON.parse(event.data); pending.get(m.id)?.(m); };
const send = (method) => new Promise((resolve) => { pending.set(++id, resolve); socket.send(JSON.stringify({ id, method, params: {} })); });
await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
await send('HeapProfiler.collectGarbage');
await send('HeapProfiler.collectGarbage');
const { result } = await send('Runtime.getHeapUsage');
console.log(JSON.stringify(result));
socket.close();
`;

function rssMb(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) / 1024;
}
