/* What every UI step uses: screenshots, the palette, the connection form, frames of Switchboard's webviews. */
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { join } from 'node:path';
import { connect } from 'node:net';

/** One user-visible step of the UI suite; each ends with a screenshot a person can check. */
export interface UiStep {
  readonly name: string;
  run(page: Page): Promise<void>;
}

const SHOTS = join(__dirname, '..', '..', '..', 'test-results', 'screenshots');
export const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });

function form(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** The frame of a Switchboard webview, found by the bundle it loads (several webviews may be open side by side). */
export async function panelFrame(page: Page, entry: string): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    for (const frame of page.frames()) {
      if (await frame.locator(`script[src*="${entry}.js"]`).count().catch(() => 0)) return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no ${entry} webview`);
}

export const row = (page: Page, name: string | RegExp) => page.locator('.monaco-list-row[role="treeitem"]').filter({ hasText: name }).first();

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await page.keyboard.type(title);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Fills the connection form the way a user does: paste an address, then type what it did not carry. */
export async function addConnection(page: Page, name: string, address: string, extra: Record<string, string> = {}, screenshot?: string): Promise<void> {
  const frame = form(page);
  const paste = frame.locator('#paste-url');
  await paste.waitFor({ timeout: 30_000 });
  await paste.click();
  await page.keyboard.type(address);
  await frame.locator('#paste-url-help').filter({ hasText: 'Filled from' }).waitFor();
  await frame.locator('#field-name').fill(name);
  for (const [field, value] of Object.entries(extra)) await frame.locator(`#field-${field}`).fill(value);
  if (screenshot) await shot(page, screenshot);
  await frame.getByRole('button', { name: 'Save' }).click();
  await row(page, name).waitFor({ timeout: 15_000 });
}

export async function expand(page: Page, name: string, child: RegExp): Promise<void> {
  await row(page, name).click();
  await row(page, child).waitFor({ timeout: 30_000 });
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
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [box, item] = await Promise.all([outer.boundingBox(), inner.first().boundingBox()]);
    const within = box !== null && item !== null && item.y >= box.y - 0.5 && item.y + item.height <= box.y + box.height + 0.5;
    if (within === inside) return;
    if (Date.now() > deadline) throw new Error(`${String(inner)} is ${inside ? 'not ' : ''}in view of ${String(outer)}: ${JSON.stringify(item)} in ${JSON.stringify(box)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stores a few items with a plain socket, so the key browser has known data to show. */
export function seedMemcached(servers: string, items: Record<string, string>): Promise<void> {
  const [host, port] = servers.split(',')[0]!.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host!, () => {
      socket.write(Object.entries(items).map(([k, v]) => `set ${k} 0 0 ${Buffer.byteLength(v)} noreply\r\n${v}\r\n`).join('') + 'version\r\n');
    });
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
