import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..');

test('the bundle loaded at activation holds no client library: each comes with its driver bundle on first use', async () => {
  // The extension's entry bundled as esbuild.mjs bundles it, in memory, to see which modules it takes in.
  const { metafile } = await build({
    entryPoints: [join(ROOT, 'src', 'extension.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['vscode'],
    write: false, metafile: true, logLevel: 'silent', absWorkingDir: ROOT,
  });
  const packages = new Set(Object.keys(metafile.inputs).map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1]).filter((name) => name !== undefined));
  // ssh-config reads ~/.ssh/config for the import command, jsonc-parser the workspace's .vscode/switchboard.json
  // (listed in the tree at start), valibot checks every webview message, @vscode/l10n words the plain-Node modules
  // (connection imports) from the same bundle; nothing else from node_modules belongs here.
  assert.deepEqual([...packages].sort(), ['@vscode/l10n', 'jsonc-parser', 'ssh-config', 'valibot'], 'a panel or command imports a driver module at run time instead of through its session');
});
