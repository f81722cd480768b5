import type { Page } from 'playwright-core';
import { closeAllEditors, runCommand, shot, UiStep } from './ui';

const STEPS = ['addConnection', 'browseKeys', 'runSql', 'openTerminal'];
const step = (page: Page, id: string, done: boolean) => page.locator(`button.getting-started-step[data-step-id$="${id}"][aria-checked="${done}"]`);

async function openWalkthrough(page: Page): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.keyboard.type('Get Started with Switchboard');
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Get Started with Switchboard' }).first().click();
}

/**
 * A new user opens the getting-started walkthrough before doing anything (VS Code opens it at startup; this harness
 * starts without the welcome page): no step is done yet.
 */
export const walkthroughOpenedStep: UiStep = {
  name: 'the getting-started walkthrough starts with no step done',
  async run(page) {
    await openWalkthrough(page);
    for (const id of STEPS) await step(page, id, false).waitFor({ timeout: 15_000 });
    await shot(page, '00-walkthrough');
    await closeAllEditors(page);
  },
};

/** After the steps before it have added connections, browsed keys, run SQL and opened terminals, each step is done. */
export const walkthroughDoneStep: UiStep = {
  name: 'the getting-started walkthrough shows each step done once the user has done it',
  async run(page) {
    await openWalkthrough(page);
    for (const id of STEPS) await step(page, id, true).waitFor({ timeout: 15_000 });
    await shot(page, '19-walkthrough-done');
  },
};
