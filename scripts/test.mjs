// `npm test`: every level, against real servers. Builds, type-checks, runs unit tests, starts the private servers,
// runs the driver integration tests, the extension-host suite and the UI suite in a real VS Code, then stops everything.
import { spawnSync } from 'node:child_process';
import { withServices } from './withServices.mjs';

const levels = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'vscode', 'e2e']);
const results = [];

function step(name, command, args, env = process.env) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env });
  results.push({ name, ok: status === 0, seconds: (Date.now() - started) / 1000 });
  return status === 0;
}

const prepared =
  step('build', 'node', ['esbuild.mjs']) &&
  step('typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']) &&
  step('typecheck webview', 'npx', ['tsc', '-p', 'webview', '--noEmit']) &&
  step('compile tests', 'npx', ['tsc', '-p', 'tsconfig.test.json']);

if (prepared) {
  if (levels.has('unit')) step('unit', 'node', ['--test', '--test-force-exit', 'out/test/unit/']);
  const serverLevels = ['integration', 'vscode', 'e2e'].filter((l) => levels.has(l));
  if (serverLevels.length) {
    if (levels.has('vscode') || levels.has('e2e')) step('provision VS Code', 'node', ['scripts/provision.mjs']);
    await withServices(async (serviceEnv) => {
      const env = { ...process.env, ...serviceEnv };
      if (levels.has('integration')) step('integration', 'node', ['--test', '--test-concurrency=2', '--test-force-exit', 'out/test/integration/'], env);
      if (levels.has('vscode')) step('extension host', 'node', ['scripts/test-vscode.mjs'], env);
      if (levels.has('e2e')) step('UI end-to-end', 'node', ['scripts/test-e2e.mjs'], env);
    });
  }
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
