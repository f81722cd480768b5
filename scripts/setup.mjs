// Set-up shared by `npm test`, `npm start` and `npm run bench`, so that each works as the first command after a clone:
// the project's dependencies from the lockfile, and the wording of a set-up step that failed.
// `node scripts/setup.mjs` installs the dependencies when node_modules is missing or older than package-lock.json.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

// What a user may have set for npm in their own environment and a nested npm should still see: where the registry is
// and how to reach it. Everything else named npm_* was set by the npm that runs this script (its user agent, Node's
// headers, the lifecycle event) and would mislead an npm started under another Node.
const KEPT_NPM_SETTINGS = new Set([
  'npm_config_registry', 'npm_config_cache', 'npm_config_cafile', 'npm_config_ca', 'npm_config_strict_ssl',
  'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_noproxy', 'npm_config_userconfig', 'npm_config_globalconfig',
]);

/** The environment for an npm started from a script that npm itself may be running, as if from a plain shell. */
export function npmChildEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('npm_') && !KEPT_NPM_SETTINGS.has(lower)) continue;
    if (name === 'NODE' || name === 'INIT_CWD') continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** A set-up step that failed: names the step and says what to do. */
export class SetupError extends Error {
  constructor(step, advice, cause) {
    super(`${step} failed: ${advice}`, { cause });
    this.name = 'SetupError';
  }
}

function registry() {
  const { stdout } = spawnSync('npm', ['config', 'get', 'registry'], { env: npmChildEnv(), encoding: 'utf8' });
  return stdout?.trim() || 'https://registry.npmjs.org/';
}

/** Advice after an npm install failed: whether the registry answers decides what the user should look at. */
export function npmAdvice() {
  const ping = spawnSync('npm', ['ping'], { env: npmChildEnv(), encoding: 'utf8', timeout: 30_000 });
  if (ping.status !== 0) {
    return `the npm registry (${registry()}) could not be reached. Check the network, a proxy (npm config get https-proxy) and npm's registry setting, then run the command again.`;
  }
  return "the npm registry answers, so the install itself failed: read npm's output above (a native module that did not build names its compiler error there), then run the command again.";
}

/** Runs one timed set-up step, announcing what it does and about how long it takes. */
export function timedStep(log, what, estimate, action) {
  log(`${what} (${estimate})`);
  const started = Date.now();
  const result = action();
  log(`${what}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return result;
}

function dependenciesCurrent() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

/** Installs exactly what package-lock.json names (npm ci) unless node_modules already holds it. */
export function ensureDependencies(log = (line) => console.log(`[setup] ${line}`)) {
  if (dependenciesCurrent()) return;
  timedStep(log, 'installing the dependencies from package-lock.json with npm ci', 'about 20 s the first time', () => {
    const { status, error } = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env: npmChildEnv() });
    if (status !== 0) throw new SetupError('Installing the dependencies (npm ci)', error ? `npm could not be started (${error.message}).` : npmAdvice());
  });
}

/** Prints a failure: a set-up step's as its message alone, anything else with its stack. */
export function printSetupError(error) {
  if (error instanceof Error && error.name === 'SetupError') console.error(`\n${error.message}\n`);
  else console.error(error);
}

export function exitWithSetupError(error) {
  printSetupError(error);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureDependencies();
  } catch (error) {
    exitWithSetupError(error);
  }
}
