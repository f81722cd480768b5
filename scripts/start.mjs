// `npm start`: the extension in a real VS Code (code-server) with private demo servers seeded with demo data and a
// connection for each. Prints the URL; Ctrl-C stops everything and leaves nothing running or listening.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDependencies, exitWithSetupError, printSetupError } from './setup.mjs';

const root = resolve(import.meta.dirname, '..');
const sh = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

let paths;
try {
  ensureDependencies();
  sh('npx', ['tsc', '-p', 'tsconfig.test.json']);
  sh('npm', ['run', '--silent', 'package']);
  const { provision } = await import('./provision.mjs');
  paths = await provision();
} catch (error) {
  exitWithSetupError(error);
}
const { startCodeServer } = await import('./codeServer.mjs');
const { startServices } = await import('../out/test/services/index.js');
const { seedDemoData } = await import('../out/test/services/demoData.js');

// Ctrl-C while the sandbox is starting is held until the start is over, so that nothing started is left behind.
let services;
let server;
let starting = true;
let interrupted = false;
const dir = mkdtempSync(join(tmpdir(), 'switchboard-sandbox-'));
const stopAndExit = (code) =>
  void (async () => {
    await server?.stop();
    await services?.stop();
    rmSync(dir, { recursive: true, force: true });
  })().finally(() => process.exit(code));
const onSignal = () => {
  if (interrupted) return;
  interrupted = true;
  console.log(starting ? '\nStopping the sandbox once what is starting is up…' : '\nStopping the sandbox…');
  if (!starting) stopAndExit(0);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  services = await startServices((line) => console.log(`[services] ${line}`));
  const env = services.env;
  await seedDemoData(env);
  const redis = new URL(env.REDIS_URL);
  const amqp = new URL(env.AMQP_URL);
  const mysql = new URL(env.MYSQL_URL);
  const profiles = [
    { id: 'demo-redis', name: 'Demo Redis', kind: 'redis', group: 'demo', host: redis.hostname, port: Number(redis.port), db: 0, tls: false, readOnly: false },
    { id: 'demo-memcached', name: 'Demo Memcached', kind: 'memcached', group: 'demo', servers: env.MEMCACHED_SERVERS.split(',').map((s) => ({ host: s.split(':')[0], port: Number(s.split(':')[1]), weight: 1 })), readOnly: false },
    { id: 'demo-rabbitmq', name: 'Demo RabbitMQ', kind: 'rabbitmq', group: 'demo', host: amqp.hostname, port: Number(amqp.port), username: decodeURIComponent(amqp.username), vhost: '/', tls: false, managementUrl: env.RABBITMQ_MGMT_URL, readOnly: false },
    { id: 'demo-mysql', name: 'Demo MariaDB', kind: 'mysql', group: 'demo', host: mysql.hostname, port: Number(mysql.port), username: decodeURIComponent(mysql.username), database: mysql.pathname.slice(1), tls: false, readOnly: false },
    { id: 'demo-ssh', name: 'Demo SSH', kind: 'ssh', group: 'demo', host: env.SSH_HOST, port: Number(env.SSH_PORT), username: env.SSH_USER, keyFile: env.SSH_KEY_FILE, useAgent: false, readOnly: false },
  ];
  const passwords = { 'demo-redis': decodeURIComponent(redis.password), 'demo-rabbitmq': decodeURIComponent(amqp.password), 'demo-mysql': decodeURIComponent(mysql.password) };
  const profilesFile = join(dir, 'sandbox-profiles.json');
  writeFileSync(profilesFile, JSON.stringify({ profiles, passwords }), { mode: 0o600 });
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Switchboard sandbox\n\nOpen the Switchboard view in the activity bar: five demo connections are waiting.\n');
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  server = await startCodeServer({ paths, dir, env: { SWITCHBOARD_SANDBOX_PROFILES: profilesFile }, ...(port ? { port } : {}) });
  execFileSync(paths.node, [paths.codeServer, '--extensions-dir', server.extensionsDir, '--install-extension', join(root, 'switchboard.vsix')], { stdio: 'ignore' });
  console.log(`\nSwitchboard is running in VS Code at ${server.url}/?folder=${encodeURIComponent(workspace)}`);
  console.log('Open it in a browser on this machine (or through an SSH port-forward). Press Ctrl-C to stop everything.\n');
  starting = false;
  if (interrupted) stopAndExit(0);
} catch (error) {
  printSetupError(error);
  stopAndExit(1);
}
