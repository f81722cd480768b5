// The README's `npm start`, tried the way a user runs it: through npm, in a process group of its own as a terminal's
// foreground job, until it prints its URL; the URL must serve VS Code; then Ctrl-C (SIGINT to the whole group), after
// which nothing it started may be left running or listening.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// The tests are compiled before this runs (npm test); the /proc readers are the test services' own.
const { listeners, socketInodes } = await import(resolve(root, 'out', 'test', 'services', 'procfs.js'));
const READY = /Switchboard is running in VS Code at (http:\/\/\S+)/;
const START_LIMIT_MS = 15 * 60_000;
const STOP_LIMIT_MS = 90_000;

/** Live processes: parent and command line by PID. */
function processes() {
  const found = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z') continue;
      found.set(Number(entry), { ppid: Number(ppid), cmd: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      // it ended while being read
    }
  }
  return found;
}

/** Every process below `root`, taken while the sandbox runs (the servers it starts are its children then). */
function descendants(root) {
  const all = processes();
  const below = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, { ppid }] of all) {
      if (below.has(ppid) && !below.has(pid)) {
        below.add(pid);
        grew = true;
      }
    }
  }
  return [...below].map((pid) => ({ pid, cmd: all.get(pid)?.cmd ?? '' }));
}

/** The ports the given processes listen on. */
function listeningPortsOf(pids) {
  const open = listeners();
  return new Set(pids.flatMap((pid) => socketInodes(pid).filter((inode) => open.has(inode)).map((inode) => open.get(inode))));
}

function fail(message) {
  console.error(`sandbox: ${message}`);
  process.exit(1);
}

/** Fails after stopping what npm start began, the way a user would: Ctrl-C, then a kill if that is not enough. */
async function abort(message) {
  signalSandbox('SIGINT');
  const timer = setTimeout(() => signalSandbox('SIGKILL'), STOP_LIMIT_MS);
  await exited;
  clearTimeout(timer);
  fail(message);
}

function signalSandbox(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const child = spawn('npm', ['start'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
let output = '';
const url = await new Promise((resolveUrl) => {
  const timer = setTimeout(() => resolveUrl(undefined), START_LIMIT_MS);
  const onData = (chunk) => {
    process.stdout.write(chunk);
    output += chunk;
    const match = READY.exec(output);
    if (match) {
      clearTimeout(timer);
      resolveUrl(match[1]);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  void exited.then(() => {
    clearTimeout(timer);
    resolveUrl(undefined);
  });
});
if (!url) await abort(`npm start did not print its URL${child.exitCode === null ? ` within ${START_LIMIT_MS / 60_000} minutes` : ` (it exited with ${child.exitCode})`}`);

const page = await fetch(url).catch((error) => abort(`${url} did not answer: ${error.message}`));
const html = await page.text();
if (!page.ok || !html.includes('vscode')) await abort(`${url} answered ${page.status} without the VS Code workbench`);
const started = descendants(child.pid);
const ports = listeningPortsOf(started.map((p) => p.pid));
console.log(`sandbox: ${url} serves the workbench; ${started.length} processes listening on ${ports.size} ports; pressing Ctrl-C`);

signalSandbox('SIGINT');
const stopTimer = setTimeout(() => fail(`npm start had not exited ${STOP_LIMIT_MS / 1000} s after Ctrl-C`), STOP_LIMIT_MS);
const { code, signal } = await exited;
clearTimeout(stopTimer);
console.log(`sandbox: npm start exited (${signal ?? `code ${code}`})`);

const stillOpen = new Set(listeners().values());
const leftPorts = [...ports].filter((port) => stillOpen.has(port));
const alive = processes();
const leftProcesses = started.filter(({ pid, cmd }) => alive.get(pid)?.cmd === cmd);
if (leftPorts.length || leftProcesses.length) {
  fail(`left behind after Ctrl-C: ${[...leftPorts.map((p) => `a listener on port ${p}`), ...leftProcesses.map(({ pid, cmd }) => `process ${pid} (${cmd.slice(0, 120)})`)].join('; ')}`);
}
console.log('sandbox: nothing it started is left running or listening');
