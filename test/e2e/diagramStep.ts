import type { UiStep } from './ui';
import { assertReloaded, hideAndReturn, markWebview, panelFrame, runAndPick, shot } from './ui';

/** The association diagram marks primary keys with the codicon key (drawn by the codicon font), never an emoji. */
export const diagramStep: UiStep = {
  name: 'draws the association diagram with codicon key markers',
  async run(page) {
    // The results panel has the focus, so no SQL editor names the connection: it is asked for, then the database.
    await runAndPick(page, 'Switchboard: Show Association Diagram', 'Demo MariaDB');
    await page.locator('.quick-input-widget input[placeholder^="Database on Demo MariaDB"]').waitFor();
    await page.keyboard.type('demo');
    await page.locator('.quick-input-list .monaco-list-row.focused').filter({ hasText: /^demo/ }).waitFor();
    await page.keyboard.press('Enter');
    const diagram = await panelFrame(page, 'modelDiagram');
    await diagram.locator('svg .model').filter({ hasText: 'e2e_orders' }).waitFor({ timeout: 20_000 });
    const glyphs = await diagram.locator('svg text.glyph').allTextContents();
    if (glyphs.length === 0 || glyphs.some((g) => g !== '\ueb11')) throw new Error(`primary keys are not marked with the codicon key: ${JSON.stringify(glyphs)}`);
    // Run in the webview: the page's own font set says whether the codicon font loaded for the glyph.
    const fontReady = await diagram.evaluate("document.fonts.ready.then(() => document.fonts.check('13px codicon', '\\ueb11'))");
    if (fontReady !== true) throw new Error('the codicon font did not load in the diagram webview');
    const text = (await diagram.locator('svg').textContent()) ?? '';
    if (/\p{Extended_Pictographic}/u.test(text)) throw new Error('the diagram still draws an emoji');
    await shot(page, '13b-model-diagram');
    // Hidden and back: the webview is built again and draws the same models, from what the host read.
    const models = await diagram.locator('svg .model').count();
    await markWebview(page, 'modelDiagram');
    await hideAndReturn(page, 'Demo MariaDB · demo: associations');
    const shownAgain = await assertReloaded(page, 'modelDiagram');
    await shownAgain.locator('svg .model').filter({ hasText: 'e2e_orders' }).waitFor({ timeout: 20_000 });
    if ((await shownAgain.locator('svg .model').count()) !== models) throw new Error('the diagram shown again has other models');
    if ((await shownAgain.locator('svg text.glyph').allTextContents()).join() !== glyphs.join()) throw new Error('the diagram shown again marks other keys');
  },
};
