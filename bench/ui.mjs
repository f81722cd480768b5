// `npm run bench:ui`: the Redis key browser through the real UI (code-server, the packaged extension, Playwright in
// Chromium) for 1M and 10M keys, each figure beside the raw SCAN loop of the same run. Needs `tsc -p tsconfig.test.json`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { provision } from '../scripts/provision.mjs';
import { launchChromium, startCodeServer } from '../scripts/codeServer.mjs';
import { uiKeyBrowserFigures } from '../out/bench/uiKeyBrowser.js';
import { printFigures } from '../out/bench/figures.js';

const root = resolve(import.meta.dirname, '..');
const paths = await provision();
// Packaged as `npm run package` does, into a directory of this run's own (a UI test run may be packaging too).
const out = mkdtempSync(join(tmpdir(), 'switchboard-bench-vsix-'));
const vsix = join(out, 'switchboard.vsix');
try {
  execFileSync('node', ['esbuild.mjs', '--production'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  printFigures(await uiKeyBrowserFigures({ paths, vsix, startCodeServer, launchChromium }, (line) => console.error(`[bench:ui] ${line}`)));
} finally {
  rmSync(out, { recursive: true, force: true });
}
