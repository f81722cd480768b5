import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../eventually';
import { groupMembers, listeners, socketInodes } from './procfs';

/** A private server started for tests, benchmarks or the sandbox. */
export interface RunningService {
  readonly name: string;
  stop(): Promise<void>;
}

/** Ports this process handed out: the kernel may offer a released one again before its server has bound it. */
const handedOut = new Set<number>();

/** Asks the kernel for a free loopback port, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await kernelPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Where each daemon writes its output, for the error when it exits before it is ready. */
const outputFiles = new WeakMap<ChildProcess, string>();

/** Starts a long-running server process in its own process group, its output in `dir/<name>.out`. */
export function startDaemon(name: string, dir: string, command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const path = join(dir, `${name}.out`);
  const out = openSync(path, 'a');
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', out, out] });
  child.on('error', () => undefined);
  outputFiles.set(child, path);
  return child;
}

/** The last lines a daemon wrote, to say why it stopped. */
function outputTail(child: ChildProcess, lines = 15): string {
  const path = outputFiles.get(child);
  if (!path) return '';
  try {
    const text = readFileSync(path, 'utf8').trimEnd();
    return text ? `; its output (${path}) ends:\n${text.split('\n').slice(-lines).join('\n')}` : `; it wrote nothing to ${path}`;
  } catch {
    return '';
  }
}

export function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Signals the whole process group and waits for the leader to exit (then SIGKILL after `graceMs`). */
export async function stopDaemon(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!isAlive(child) || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Waits until `probe` holds; fails at once, with its last output, when `child` exits meanwhile. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, child?: ChildProcess): Promise<void> {
  await eventually(`${what} to be ready`, async () => {
    if (child && !isAlive(child)) throw new Error(`${what}: the process exited with ${child.exitCode ?? child.signalCode}${outputTail(child)}`);
    return probe().catch(() => false);
  }, timeoutMs);
}

/**
 * Starts a server on a free port; when it doesn't come up there (another process took the port meanwhile, or it
 * exited), on another, three times at most.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** Starts a daemon and waits until it listens on `port` itself; stopped again if it doesn't. */
export async function listeningDaemon(name: string, dir: string, command: string, args: string[], port: number, options: SpawnOptions = {}): Promise<ChildProcess> {
  const child = startDaemon(name, dir, command, args, options);
  try {
    await waitListening(name, port, child);
    return child;
  } catch (error) {
    await stopDaemon(child);
    throw error;
  }
}

/**
 * Waits until `child` (or a process of its group) listens on `port`. A port the kernel handed out may be taken by
 * another test process's server meanwhile; then that server answers and a plain connect would pass, so the socket's
 * owner is read from /proc.
 */
export async function waitListening(what: string, port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const onPort = (): string[] => [...listeners()].filter(([, listened]) => listened === port).map(([inode]) => inode);
  await waitUntil(what, async () => onPort().length > 0, timeoutMs, child);
  const ours = new Set(groupMembers(child.pid ?? -1).flatMap(socketInodes));
  if (!onPort().some((inode) => ours.has(inode))) throw new Error(`${what}: another process listens on port ${port}, not the one started`);
}

export function portAccepts(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, host);
  });
}

/** Runs a command to completion, rejecting with its output on a non-zero exit. */
export function run(command: string, args: string[], options: SpawnOptions & { input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${output}`))));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/** A server that a test can crash (SIGKILL) and start again on the same port, its data directory kept. */
export interface CrashableService extends RunningService {
  readonly port: number;
  crash(): Promise<void>;
  restart(): Promise<void>;
}

export async function crashableDaemon(name: string, dir: string, command: string, args: string[], port: number, readyMs = 10_000): Promise<CrashableService> {
  let child = startDaemon(name, dir, command, args);
  await waitListening(name, port, child, readyMs);
  return {
    name,
    port,
    crash: async () => {
      const exited = new Promise<void>((resolve) => (isAlive(child) ? child.once('exit', () => resolve()) : resolve()));
      signalGroup(child.pid ?? 0, 'SIGKILL');
      await exited;
    },
    restart: async () => {
      child = startDaemon(name, dir, command, args);
      await waitListening(name, port, child, readyMs);
    },
    stop: () => stopDaemon(child),
  };
}
