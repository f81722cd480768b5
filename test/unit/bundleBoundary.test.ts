import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

test('the bundle loaded at activation holds no client library: each comes with its driver bundle on first use', () => {
  // The development build (`node esbuild.mjs`, run before the tests) names each bundled module in a comment.
  const bundle = readFileSync(join(ROOT, 'dist', 'extension.js'), 'utf8');
  const packages = new Set([...bundle.matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]));
  // ssh-config reads ~/.ssh/config for the import command; nothing else from node_modules belongs here.
  assert.deepEqual([...packages].sort(), ['ssh-config'], 'a panel or command imports a driver module at run time instead of through its session');
});
