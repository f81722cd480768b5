// Runs the mocha suite in test/vscode inside a real VS Code extension host (code-server), the way
// @vscode/test-electron would: extensionDevelopmentPath + extensionTestsPath, driven through the smoke-test driver.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { provision } from './provision.mjs';
import { launchChromium, startCodeServer } from './codeServer.mjs';
import { installLanguagePack } from './languagePack.mjs';
import { withServices } from './withServices.mjs';

const root = resolve(import.meta.dirname, '..');

export async function runExtensionHostSuite(env, testsPath = join(root, 'out', 'test', 'vscode', 'index.js'), locale = undefined) {
  const paths = await provision();
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-vscode-'));
  const workspace = join(dir, 'workspace');
  // SWITCHBOARD_TEST_DIR lets the security audit search everything this VS Code wrote: user data, logs, state.
  // The server side (where the extension runs) gets a home of its own: the suite writes ~/.ssh/config there, and
  // reads no developer's own ~/.ssh.
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  if (locale) installLanguagePack(paths, { dir, extensionsDir: join(dir, 'extensions'), userDataDir: join(dir, 'user'), locale });
  const server = await startCodeServer({ paths, dir, env: { ...env, SWITCHBOARD_TEST: '1', SWITCHBOARD_TEST_DIR: dir, HOME: home }, smoke: true, locale });
  const browser = await launchChromium(paths, dir);
  try {
    const page = await browser.newPage();
    let finish;
    const exitCode = new Promise((r) => (finish = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      // The workbench's own chatter (offline gallery look-ups and their stacks) is not the suite's output; a failing
      // test's report keeps its message and the suite's frames, without the workbench's.
      const lines = text.split('\n').filter((line) => !line.includes('/static/out/vs/'));
      if (lines.join('').trim() && !text.startsWith('[AccountPolicyGate]')) console.log(lines.join('\n'));
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(root)], ['extensionTestsPath', remote(testsPath)]]);
    await (await import('node:fs/promises')).mkdir(workspace, { recursive: true });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), 10 * 60_000));
    const code = await Promise.race([exitCode, timeout]);
    if (code === 'timeout') throw new Error('the extension-host suite did not finish within 10 minutes');
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `--locale zh-cn` runs the suite of test/vscodeZhCn in a VS Code whose display language is Simplified Chinese.
  // Otherwise an optional argument names another extensionTestsPath (the activation benchmark uses one).
  const localeAt = process.argv.indexOf('--locale');
  const locale = localeAt > 0 ? process.argv[localeAt + 1] : undefined;
  const testsPath = locale ? join(root, 'out', 'test', 'vscodeZhCn', 'index.js') : process.argv[2] ? resolve(process.argv[2]) : undefined;
  const code = await withServices((env) => runExtensionHostSuite(env, testsPath, locale));
  process.exit(code);
}
