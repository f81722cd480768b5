// `npm test`: every level, against real servers, as the first command after a clone. Installs the dependencies from
// the lockfile, builds, type-checks, runs unit tests, provisions VS Code and Chromium, starts the private servers
// (installing their packages the first time), runs the driver integration tests, the extension-host suite and the UI
// suite in a real VS Code, stops everything, and finally starts `npm start` and stops it as Ctrl-C would.
import { spawnSync } from 'node:child_process';
import { ensureDependencies, printSetupError } from './setup.mjs';
import { withServices } from './withServices.mjs';

const LEVELS = ['unit', 'integration', 'vscode', 'e2e', 'sandbox'];
const levels = new Set(process.argv.slice(2).length ? process.argv.slice(2) : LEVELS);
const results = [];

function record(name, started, ok) {
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  return ok;
}

function step(name, command, args, env = process.env) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env });
  return record(name, started, status === 0);
}

function dependencies() {
  console.log('\n=== dependencies');
  const started = Date.now();
  try {
    ensureDependencies();
    return record('dependencies', started, true);
  } catch (error) {
    printSetupError(error);
    return record('dependencies', started, false);
  }
}

const prepared =
  dependencies() &&
  step('build', 'node', ['esbuild.mjs']) &&
  step('typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']) &&
  step('typecheck webview', 'npx', ['tsc', '-p', 'webview', '--noEmit']) &&
  step('compile tests', 'npx', ['tsc', '-p', 'tsconfig.test.json']);

if (prepared) {
  if (levels.has('unit')) step('unit', 'node', ['--test', '--test-force-exit', 'out/test/unit/']);
  const needsVsCode = levels.has('vscode') || levels.has('e2e') || levels.has('sandbox');
  const provisioned = !needsVsCode || step('provision VS Code and Chromium', 'node', ['scripts/provision.mjs']);
  const serverLevels = ['integration', 'vscode', 'e2e'].filter((l) => levels.has(l));
  if (serverLevels.length && provisioned) {
    try {
      await withServices(async (serviceEnv) => {
        const env = { ...process.env, ...serviceEnv };
        if (levels.has('integration')) step('integration', 'node', ['--test', '--test-concurrency=2', '--test-force-exit', 'out/test/integration/'], env);
        if (levels.has('vscode')) step('extension host', 'node', ['scripts/test-vscode.mjs'], env);
        if (levels.has('vscode')) step('extension host in Chinese (zh-cn)', 'node', ['scripts/test-vscode.mjs', '--locale', 'zh-cn'], env);
        if (levels.has('e2e')) step('UI end-to-end', 'node', ['scripts/test-e2e.mjs'], env);
      });
    } catch (error) {
      printSetupError(error);
      record('private servers', Date.now(), false);
    }
  }
  if (levels.has('sandbox') && provisioned) step('sandbox: npm start, then Ctrl-C', 'node', ['scripts/test-sandbox.mjs']);
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
