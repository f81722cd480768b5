/* The Redis key browser by keyboard and in the dark theme: deletes asked in the panel, inputs themed. */
import Redis from 'ioredis';
import type { Frame } from 'playwright-core';
import { closeAllEditors, panelFrame, runCommand, shot, UiStep } from './ui';

const KEYS = ['e2e:bulk:a', 'e2e:bulk:b', 'e2e:bulk:c'];

/** Opens db0's key browser (a new one, scanning all keys) and waits for its scan to end. */
async function openBrowser(page: Parameters<UiStep['run']>[0]): Promise<Frame> {
  await closeAllEditors(page);
  await runCommand(page, 'Switchboard: Browse Redis Keys');
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
  const browser = await panelFrame(page, 'redisBrowser');
  await browser.locator('header .status').filter({ hasText: /done in/ }).waitFor({ timeout: 60_000 });
  return browser;
}

/** A colour as the browser computes it (rgb(…)), from any CSS colour. */
function computed(frame: Frame, colour: string): Promise<string> {
  return frame.evaluate<string>(`(() => {
    const probe = document.createElement('div');
    probe.style.background = ${JSON.stringify(colour)};
    document.body.append(probe);
    const rgb = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return rgb;
  })()`);
}

/** A colour as the browser computes it for text (rgb(…)). */
function computedColour(frame: Frame, colour: string): Promise<string> {
  return frame.evaluate<string>(`(() => {
    const probe = document.createElement('span');
    probe.style.color = ${JSON.stringify(colour)};
    document.body.append(probe);
    const rgb = getComputedStyle(probe).color;
    probe.remove();
    return rgb;
  })()`);
}

/** The text of the element that has the keyboard in the frame. */
const focusedText = (frame: Frame): Promise<string> => frame.evaluate<string>("document.activeElement?.textContent ?? ''");

export function redisBrowserKeySteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'Redis key browser: Delete on several keys asks in the panel with Cancel focused; Enter and Escape keep them, the Delete button deletes them',
      async run(page) {
        const redis = new Redis(need('REDIS_URL'));
        try {
          for (const key of KEYS) await redis.set(key, 'doomed');
          const browser = await openBrowser(page);
          // Filled, not typed: a new webview takes the focus once it has loaded, which can land between keystrokes.
          const pattern = browser.getByLabel('Key pattern');
          await pattern.fill('e2e:bulk:*');
          await pattern.press('Enter');
          await browser.locator('header .status').filter({ hasText: /^3 keys · done in/ }).waitFor({ timeout: 30_000 });
          const list = browser.getByRole('listbox', { name: 'Keys' });
          await list.focus();
          await page.keyboard.press('Home');
          await page.keyboard.press('Shift+End');
          await browser.locator('.vlist-row[aria-selected="true"]:visible').nth(2).waitFor();
          // The value pane opened on the focused key: give the keyboard back to the list, as a user who chose keys has it.
          await list.focus();
          const question = browser.getByRole('alertdialog');
          await page.keyboard.press('Delete');
          await question.filter({ hasText: 'Delete 3 keys from Demo Redis db0?' }).waitFor({ timeout: 10_000 });
          for (const key of KEYS) await question.locator('li').filter({ hasText: key }).waitFor();
          const focused = await focusedText(browser);
          if (focused !== 'Cancel') throw new Error(`the question should focus Cancel, not "${focused}"`);
          await shot(page, '09b-redis-delete-asked-in-panel');
          // Enter right after the question presses Cancel: nothing goes.
          await page.keyboard.press('Enter');
          await question.waitFor({ state: 'detached' });
          if ((await redis.exists(...KEYS)) !== 3) throw new Error('Enter on the question deleted keys');
          await list.focus();
          await page.keyboard.press('Delete');
          await question.waitFor();
          await page.keyboard.press('Escape');
          await question.waitFor({ state: 'detached' });
          if ((await redis.exists(...KEYS)) !== 3) throw new Error('Escape on the question deleted keys');
          // Deleting takes the Delete button itself.
          await list.focus();
          await page.keyboard.press('Delete');
          await question.waitFor();
          await page.keyboard.press('Tab');
          const onDelete = await focusedText(browser);
          if (onDelete !== 'Delete') throw new Error(`Tab should reach the Delete button, not "${onDelete}"`);
          await page.keyboard.press('Enter');
          await question.waitFor({ state: 'detached' });
          await browser.locator('header .status').filter({ hasText: 'deleted 3 keys' }).waitFor({ timeout: 10_000 });
          if ((await redis.exists(...KEYS)) !== 0) throw new Error('the keys are still on the server');
          await browser.locator('.vlist-row:visible').filter({ hasText: 'deleted' }).nth(2).waitFor({ timeout: 10_000 });
          // Delete Matching asks in the panel too, with the count, Cancel focused.
          for (const key of KEYS) await redis.set(key, 'again');
          await pattern.focus();
          await page.keyboard.press('Enter');
          await browser.locator('header .status').filter({ hasText: /^3 keys · done in/ }).waitFor({ timeout: 30_000 });
          await browser.getByRole('button', { name: 'Delete Matching…' }).click();
          await question.filter({ hasText: 'Delete 3 keys matching "e2e:bulk:*" from Demo Redis db0?' }).waitFor({ timeout: 10_000 });
          await page.keyboard.press('Enter');
          await question.waitFor({ state: 'detached' });
          if ((await redis.exists(...KEYS)) !== 3) throw new Error('Enter on the Delete Matching question deleted keys');
          await browser.getByRole('button', { name: 'Delete Matching…' }).click();
          await question.getByRole('button', { name: 'Delete' }).click();
          await browser.locator('header .status').filter({ hasText: /^0 keys · done in/ }).waitFor({ timeout: 30_000 });
          if ((await redis.exists(...KEYS)) !== 0) throw new Error('Delete Matching left keys on the server');
        } finally {
          await redis.del(...KEYS);
          redis.disconnect();
        }
      },
    },
    {
      name: 'Redis key browser: the pattern input and the other fields take the dark theme\'s input colours and placeholder, not a white box',
      async run(page) {
        const browser = await openBrowser(page);
        const theme = await computed(browser, 'var(--vscode-input-background)');
        const editor = await computed(browser, 'var(--vscode-editor-background)');
        if (theme === editor || theme === 'rgba(0, 0, 0, 0)') throw new Error(`the theme's input background should be a colour of its own, not ${theme}`);
        const fields = [browser.getByLabel('Key pattern'), browser.getByLabel('Key type'), browser.getByLabel('Show keys as')];
        for (const field of fields) {
          const [background, colour] = await field.evaluate((e) => {
            const style = e.ownerDocument.defaultView?.getComputedStyle(e);
            return [style?.backgroundColor ?? '', style?.color ?? ''];
          });
          const label = await field.getAttribute('aria-label');
          if (background !== theme) throw new Error(`${label} is drawn on ${background}, not the theme's input background ${theme}`);
          if (colour !== (await computedColour(browser, 'var(--vscode-input-foreground)'))) throw new Error(`${label} writes in ${colour}, not the theme's input foreground`);
        }
        // The hint in an empty field is the theme's placeholder colour, not the browser's grey.
        const placeholder = await browser.getByLabel('Key pattern').evaluate((e) => e.ownerDocument.defaultView?.getComputedStyle(e, '::placeholder').color ?? '');
        const themePlaceholder = await computedColour(browser, 'var(--vscode-input-placeholderForeground)');
        if (placeholder !== themePlaceholder) throw new Error(`the pattern's placeholder is ${placeholder}, not the theme's ${themePlaceholder}`);
        // Dark: the input background is dark, whatever the theme's exact shade.
        const [r = 255, g = 255, b = 255] = (theme.match(/\d+/g) ?? []).map(Number);
        if (r + g + b > 3 * 128) throw new Error(`the dark theme's input background reads as light: ${theme}`);
        await shot(page, '09c-redis-browser-dark-inputs');
      },
    },
  ];
}
