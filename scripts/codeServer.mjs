// Starts code-server (VS Code 1.139 as a server) with private user data, and stops its whole process group.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'terminal.integrated.gpuAcceleration': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'workbench.colorTheme': 'Default Dark Modern',
  // The private servers listen on dozens of ports: VS Code would offer to forward each one, in toasts over the panels.
  'remote.autoForwardPorts': false,
};

/**
 * `locale` is VS Code's display language (`zh-cn`), as a user who picked it with Configure Display Language has it.
 * @param {{ paths: ReturnType<import('./provision.mjs').harnessPaths>, dir: string, env?: Record<string,string>, smoke?: boolean, port?: number, settings?: object, trust?: boolean, locale?: string }} options
 */
export async function startCodeServer({ paths, dir, env = {}, smoke = false, port, settings = {}, trust = false, locale }) {
  const listen = port ?? (await freePort());
  const userData = join(dir, 'user');
  const extensions = join(dir, 'extensions');
  for (const d of [join(userData, 'User'), extensions, join(dir, 'xdg', 'config'), join(dir, 'xdg', 'data'), join(dir, 'xdg', 'cache')]) mkdirSync(d, { recursive: true });
  // `trust` runs VS Code as users have it: it asks whether to trust a folder, and restricts it if not.
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...(trust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {}), ...settings }, null, 2));
  const args = [
    paths.codeServer,
    '--bind-addr', `127.0.0.1:${listen}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--ignore-last-opened',
  ];
  if (smoke) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (locale) args.push('--locale', locale);
  const log = openSync(join(dir, 'code-server.log'), 'a');
  const child = spawn(paths.node, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      ...env,
      XDG_CONFIG_HOME: join(dir, 'xdg', 'config'),
      XDG_DATA_HOME: join(dir, 'xdg', 'data'),
      XDG_CACHE_HOME: join(dir, 'xdg', 'cache'),
    },
  });
  const url = `http://127.0.0.1:${listen}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${join(dir, 'code-server.log')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port: listen,
    extensionsDir: extensions,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 8000);
      await exited;
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    },
  };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Launches Debian's Chromium headless with a private profile. */
export async function launchChromium(paths, dir) {
  const { chromium } = await import('playwright-core');
  mkdirSync(join(dir, 'chromium-home'), { recursive: true });
  return chromium.launch({
    executablePath: paths.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: join(dir, 'chromium-home'), XDG_CONFIG_HOME: join(dir, 'chromium-home', '.config'), XDG_CACHE_HOME: join(dir, 'chromium-home', '.cache') },
  });
}
