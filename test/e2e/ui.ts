/* What every UI step uses: screenshots, the palette, the connection form, frames of Switchboard's webviews. */
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { join } from 'node:path';
import { eventually } from '../eventually';
import { connect } from 'node:net';
import { connect as amqp } from 'amqplib';

/** One user-visible step of the UI suite; each ends with a screenshot a person can check. */
export interface UiStep {
  readonly name: string;
  /** Later steps build on what this one makes (the view, the connections): it runs whatever the filter picks. */
  readonly setup?: boolean;
  run(page: Page): Promise<void>;
}

/**
 * The steps a run takes: all of them, or those whose name holds the filter (any case; `a|b` for either), with the
 * setup steps they build on.
 */
export function pickSteps(steps: readonly UiStep[], filter: string | undefined): UiStep[] {
  const wanted = filter ? filter.toLowerCase().split('|').filter((part) => part !== '') : [];
  return steps.filter((step) => wanted.length === 0 || step.setup === true || wanted.some((part) => step.name.toLowerCase().includes(part)));
}

const SHOTS = join(__dirname, '..', '..', '..', 'test-results', 'screenshots');
export const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });

export function form(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Waits for a text box to hold `expected` (its value is no attribute a locator can wait for). */
export async function holds(box: Locator, expected: string | RegExp, timeoutMs = 15_000): Promise<void> {
  const matches = (value: string): boolean => (typeof expected === 'string' ? value === expected : expected.test(value));
  await eventually(`the text box to hold ${String(expected)}`, async () => matches(await box.inputValue().catch(() => '')), timeoutMs)
    .catch(async (error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; it holds ${JSON.stringify(await box.inputValue().catch(() => ''))}`);
    });
}

/** The frame of a Switchboard webview, found by the bundle it loads (several webviews may be open side by side). */
export function panelFrame(page: Page, entry: string): Promise<Frame> {
  return eventually(`a ${entry} webview`, async () => {
    for (const frame of page.frames()) {
      if (await frame.locator(`script[src*="${entry}.js"]`).count().catch(() => 0)) return frame;
    }
    return undefined;
  }, 10_000);
}

export const row = (page: Page, name: string | RegExp) => page.locator('.monaco-list-row[role="treeitem"]').filter({ hasText: name }).first();

/**
 * Types text into the focused editor line by line. SQL editors offer completions while one types: before each new
 * line the suggestions are closed (Escape), and the line break goes in as text, since a list that opens after the
 * Escape would take an Enter as its choice.
 */
export async function typeLines(page: Page, text: string): Promise<void> {
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    await page.keyboard.type(line);
    if (i === lines.length - 1) break;
    await page.keyboard.press('Escape');
    await page.keyboard.insertText('\n');
  }
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await afterFocusSettles(page, async () => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(title);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
  });
}

/** Runs a command that asks with a quick pick, and picks the row holding `choice`. */
export async function runAndPick(page: Page, title: string, choice: string): Promise<void> {
  await afterFocusSettles(page, async () => {
    await runCommand(page, title);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: choice }).first().click({ timeout: 10_000 });
  });
}

/**
 * A webview just shown takes the keyboard focus a moment later, and the quick input it takes it from closes: what
 * was typed into the palette is then lost. The work is done once more when that happened (the quick input is gone).
 */
async function afterFocusSettles(page: Page, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (await page.locator('.quick-input-widget').isVisible()) throw error;
    await work();
  }
}

/** Fills the connection form the way a user does: paste an address, then type what it did not carry. */
/** Opens the Add Connection form from the command palette: its frame, once the address box shows. */
export async function openConnectionForm(page: Page): Promise<FrameLocator> {
  await runCommand(page, 'Switchboard: Add Connection');
  const frame = form(page);
  await frame.locator('#paste-url').waitFor({ timeout: 30_000 });
  return frame;
}

/** Types an address into the form's address box, key by key as a user would, and waits for the form to take it. */
export async function pasteAddress(page: Page, frame: FrameLocator, address: string): Promise<void> {
  await frame.locator('#paste-url').click();
  await page.keyboard.type(address);
  await frame.locator('#paste-url-help').filter({ hasText: 'Filled from' }).waitFor();
}

export async function addConnection(page: Page, name: string, address: string, extra: Record<string, string> = {}, screenshot?: string): Promise<void> {
  const frame = form(page);
  await frame.locator('#paste-url').waitFor({ timeout: 30_000 });
  await pasteAddress(page, frame, address);
  await frame.locator('#field-name').fill(name);
  for (const [field, value] of Object.entries(extra)) await frame.locator(`#field-${field}`).fill(value);
  if (screenshot) await shot(page, screenshot);
  await frame.getByRole('button', { name: 'Save' }).click();
  await savedRow(page, name);
}

/** A connection just saved is scrolled to and selected in the tree, however long the tree has grown. */
export async function savedRow(page: Page, name: string): Promise<void> {
  await page.locator('.monaco-list-row[role="treeitem"][aria-selected="true"]').filter({ hasText: name }).waitFor({ timeout: 15_000 });
}

export async function expand(page: Page, name: string | RegExp, child: RegExp): Promise<void> {
  await row(page, name).click();
  try {
    await row(page, child).waitFor({ timeout: 30_000 });
  } catch (error) {
    // What the tree shows instead (an error row says why), in full: rows are cut to the view's width.
    const shown = await page.locator('.monaco-list-row[role="treeitem"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
    throw new Error(`${name} did not show ${String(child)}; the tree shows: ${shown.join(' | ')}`, { cause: error });
  }
}

/** Reads one item with a plain socket: what the server holds, whatever the UI says. */
export function readMemcached(servers: string, key: string): Promise<string | undefined> {
  const [host, port] = servers.split(',')[0]!.split(':');
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = connect(Number(port), host!, () => socket.write(`get ${key}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (!reply.endsWith('END\r\n')) return;
      socket.destroy();
      resolve(/^VALUE \S+ \d+ \d+\r\n([\s\S]*)\r\nEND\r\n$/.exec(reply)?.[1]);
    });
    socket.once('error', reject);
  });
}

/** Waits until `inner` is (or is not) drawn wholly inside `outer`'s box: in view of a scrolled list, or out of it. */
export async function waitInView(outer: Locator, inner: Locator, inside: boolean, timeoutMs = 5000): Promise<void> {
  let seen = '';
  await eventually(`${String(inner)} ${inside ? 'in' : 'out of'} view of ${String(outer)}`, async () => {
    const [box, item] = await Promise.all([outer.boundingBox(), inner.first().boundingBox()]);
    seen = `${JSON.stringify(item)} in ${JSON.stringify(box)}`;
    return (box !== null && item !== null && item.y >= box.y - 0.5 && item.y + item.height <= box.y + box.height + 0.5) === inside;
  }, timeoutMs).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}: ${seen}`);
  });
}

/** Stores a few items with a plain socket (expiring after `ttl` seconds, 0: never), so the key browser has known data to show. */
export async function seedMemcached(servers: string, items: Record<string, string>, ttl = 0): Promise<void> {
  await memcachedRaw(servers, `${Object.entries(items).map(([k, v]) => `set ${k} 0 ${ttl} ${Buffer.byteLength(v)} noreply\r\n${v}\r\n`).join('')}version\r\n`, '\r\n');
}

/** Stores one item of any bytes with its flags, as a client of another language would (flags 0: no Python convention). */
export async function storeMemcachedBytes(servers: string, key: string, data: Buffer, flags = 0): Promise<void> {
  await memcachedRaw(servers, `set ${key} ${flags} 0 ${data.length} noreply\r\n${data.toString('latin1')}\r\nversion\r\n`, '\r\n', 'latin1');
}

/** Reads one item's bytes with a plain socket. */
export async function readMemcachedBytes(servers: string, key: string): Promise<Buffer | undefined> {
  const reply = await memcachedRaw(servers, `get ${key}\r\n`, 'END\r\n');
  const head = /^VALUE \S+ \d+ (\d+)\r\n/.exec(reply);
  return head ? Buffer.from(reply.slice(head[0].length, head[0].length + Number(head[1])), 'latin1') : undefined;
}

/** One request over a plain socket to the first server, answered when the reply ends with `end`. */
function memcachedRaw(servers: string, request: string, end: string, encoding: BufferEncoding = 'utf8'): Promise<string> {
  const [host, port] = servers.split(',')[0]!.split(':');
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = connect(Number(port), host!, () => socket.write(request, encoding));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (!reply.endsWith(end)) return;
      socket.destroy();
      resolve(reply);
    });
    socket.once('error', reject);
  });
}

/**
 * Stores `n` small items named `${prefix}${i}` that expire after `ttl` seconds, in one pipelined write, and returns
 * once the server lists all of them: right after a bulk write memcached leaves out of `lru_crawler metadump` the items
 * it is still moving between its LRU segments (the browser says so), which a step counting them must not see.
 */
export async function loadMemcached(servers: string, n: number, prefix: string, ttl: number): Promise<void> {
  let text = '';
  for (let i = 0; i < n; i++) text += `set ${prefix}${i} 0 ${ttl} 1 noreply\r\nx\r\n`;
  await memcachedRaw(servers, `${text}version\r\n`, '\r\n');
  const listed = `key=${encodeURIComponent(prefix)}`;
  await eventually(`memcached to list all ${n} items of ${prefix}`, async () => {
    const dump = await memcachedRaw(servers, 'lru_crawler metadump all\r\n', 'END\r\n');
    return dump.split('\n').filter((line) => line.startsWith(listed)).length === n;
  }, 30_000);
}

/** The server's own `stats`, as numbers where they are numbers. */
export async function memcachedStats(servers: string): Promise<Record<string, string>> {
  const reply = await memcachedRaw(servers, 'stats\r\n', 'END\r\n');
  return Object.fromEntries([...reply.matchAll(/^STAT (\S+) (.*)\r$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** Deletes items over a plain socket (what a step made, so that later steps see the server as they expect). */
export async function deleteMemcached(servers: string, keys: readonly string[]): Promise<void> {
  await memcachedRaw(servers, `${keys.map((k) => `delete ${k} noreply\r\n`).join('')}version\r\n`, '\r\n');
}

/** A confirm channel to the broker and an empty non-durable queue of this name, holding `bodies` once confirmed. */
export async function freshQueue(url: string, name: string, bodies: readonly string[] = []) {
  const broker = await amqp(url);
  const channel = await broker.createConfirmChannel();
  await channel.deleteQueue(name);
  await channel.assertQueue(name, { durable: false });
  for (const body of bodies) channel.sendToQueue(name, Buffer.from(body));
  await channel.waitForConfirms();
  return { broker, channel };
}

/** Closes every editor, without saving what earlier steps left unsaved, and returns once no tab is left. */
export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  const dontSave = page.getByRole('button', { name: "Don't Save" });
  await eventually('every editor to close', async () => {
    if (await dontSave.isVisible()) await dontSave.click({ timeout: 1000 }).catch(() => undefined);
    return (await page.locator('.tabs-container .tab').count()) === 0;
  });
}

/** Hides a panel behind a new editor, runs `meanwhile`, and brings the panel back by its tab. */
export async function hideAndReturn(page: Page, tabTitle: string, meanwhile: () => Promise<void> = async () => undefined): Promise<void> {
  await runCommand(page, 'File: New Untitled Text File');
  await page.locator('.tabs-container .tab.active').filter({ hasText: 'Untitled' }).first().waitFor();
  await meanwhile();
  await page.locator('.tabs-container .tab').filter({ hasText: tabTitle }).first().click();
}

/** Marks a panel's webview, so that `assertReloaded` can tell a webview rebuilt after hiding from one kept. */
export async function markWebview(page: Page, entry: string): Promise<void> {
  await (await panelFrame(page, entry)).evaluate("document.body.dataset.e2eMark = 'before-hide'");
}

/** The panel's frame, once it is a new webview (what it shows then was restored, not kept). */
export async function assertReloaded(page: Page, entry: string): Promise<Frame> {
  const frame = await panelFrame(page, entry);
  const mark: unknown = await frame.evaluate("document.body.dataset.e2eMark ?? ''");
  if (mark) throw new Error(`the ${entry} webview was kept while hidden, so this step shows nothing about restoring it`);
  return frame;
}
