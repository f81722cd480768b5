// UI end-to-end: the packaged extension in a real VS Code (code-server) driven by Playwright in Chromium, the way a
// user works: open the Switchboard view, add a connection with the form, connect, expand, open a panel.
// Screenshots of each step go to test-results/screenshots (gitignored); `npm run screenshots` copies them to media/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { provision } from './provision.mjs';
import { launchChromium, startCodeServer } from './codeServer.mjs';
import { withServices } from './withServices.mjs';
import { uiSteps } from '../out/test/e2e/steps.js';
import { workspaceTrustSteps, writeTeamFile } from '../out/test/e2e/workspaceTrust.js';
import { pickSteps } from '../out/test/e2e/ui.js';
import { chineseSteps } from '../out/test/e2e/chinese.js';
import { installLanguagePack } from './languagePack.mjs';

const root = resolve(import.meta.dirname, '..');
export const SHOTS = join(root, 'test-results', 'screenshots');

/**
 * `filter` while working on steps: 'main', 'trust' or 'zh-cn' runs one phase; other words run the main phase's steps
 * whose name holds them (and the setup steps they build on), `a|b` either.
 */
export async function runUiSuite(env, filter) {
  const paths = await provision();
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const none = { passed: 0, failed: 0 };
  const phase = ['main', 'trust', 'zh-cn'].includes(filter) ? filter : undefined;
  const main = phase && phase !== 'main' ? none : await runSteps(paths, env, { steps: () => pickSteps(uiSteps(env), phase ? undefined : filter) });
  // A second VS Code, with workspace trust on as users have it, opens a team's workspace connection file.
  const trust = main.failed || (filter && phase !== 'trust') ? none : await runSteps(paths, env, { trust: true, prepare: (workspace) => writeTeamFile(workspace, env), steps: (file) => workspaceTrustSteps(env, file) });
  // A third, in Simplified Chinese.
  const chinese = main.failed || trust.failed || (filter && phase !== 'zh-cn') ? none : await runSteps(paths, env, { locale: 'zh-cn', steps: () => chineseSteps(env) });
  const passed = main.passed + trust.passed + chinese.passed;
  const failed = main.failed + trust.failed + chinese.failed;
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** Runs steps in order in a fresh code-server with the packaged extension, stopping at the first failure. */
async function runSteps(paths, env, { steps, prepare = () => '', trust = false, locale = undefined }) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const prepared = prepare(workspace);
  if (locale) installLanguagePack(paths, { dir, extensionsDir: join(dir, 'extensions'), userDataDir: join(dir, 'user'), locale });
  const server = await startCodeServer({ paths, dir, env, trust, locale });
  execFileSync(paths.node, [paths.codeServer, '--extensions-dir', server.extensionsDir, '--install-extension', join(root, 'switchboard.vsix')], { stdio: 'ignore' });
  const browser = await launchChromium(paths, dir);
  let failed = 0;
  let passed = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    for (const { name, run } of steps(prepared)) {
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
    const refused = panelRefusals(dir);
    if (refused.length > 0) {
      failed++;
      console.log(`not ok - every message a panel's own webview sent was one its protocol names\n  ${refused.join('\n  ')}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return { passed, failed };
}

/** What the extension's log says its panels refused: a webview of ours sending what its protocol does not name is a bug. */
function panelRefusals(dir) {
  const logs = readdirSync(dir, { recursive: true }).filter((file) => String(file).endsWith('.log'));
  return logs.flatMap((file) => readFileSync(join(dir, String(file)), 'utf8').split('\n').filter((line) => line.includes(': the panel refused ')));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(await withServices((env) => runUiSuite(env, process.argv[2])));
}
