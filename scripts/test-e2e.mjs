// UI end-to-end: the packaged extension in a real VS Code (code-server) driven by Playwright in Chromium, the way a
// user works: open the Switchboard view, add a connection with the form, connect, expand, open a panel.
// Screenshots of each step go to test-results/screenshots (gitignored); `npm run screenshots` copies them to media/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { provision } from './provision.mjs';
import { launchChromium, startCodeServer } from './codeServer.mjs';
import { withServices } from './withServices.mjs';
import { uiSteps } from '../out/test/e2e/steps.js';

const root = resolve(import.meta.dirname, '..');
export const SHOTS = join(root, 'test-results', 'screenshots');

export async function runUiSuite(env) {
  const paths = provision();
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer({ paths, dir, env });
  execFileSync(paths.node, [paths.codeServer, '--extensions-dir', server.extensionsDir, '--install-extension', join(root, 'switchboard.vsix')], { stdio: 'ignore' });
  const browser = await launchChromium(paths, dir);
  let failed = 0;
  let passed = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    for (const { name, run } of uiSteps(env)) {
      const started = Date.now();
      try {
        await run(page);
        passed++;
        console.log(`ok - ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed++;
        console.log(`not ok - ${name}\n  ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n  ')}`);
        await page.screenshot({ path: join(SHOTS, `FAILED-${name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
        break;
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(await withServices((env) => runUiSuite(env)));
}
