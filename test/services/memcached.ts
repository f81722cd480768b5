import { connect } from 'node:net';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { listeningDaemon, onFreePort, RunningService, stopDaemon } from './process';

export interface MemcachedService extends RunningService {
  readonly port: number;
  readonly servers: string;
  /** Signals the server process: SIGSTOP makes it stop answering without closing a connection, SIGCONT resumes it. */
  signal(signal: NodeJS.Signals): void;
}

/** A private memcached; with `auth`, one that demands ASCII-protocol authentication (-Y); `extra` adds options. */
export async function startMemcached(root: string, name = 'memcached', auth?: { user: string; password: string }, memoryMb = 64, extra: readonly string[] = []): Promise<MemcachedService> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  if (auth) writeFileSync(join(dir, 'auth'), `${auth.user}:${auth.password}\n`);
  return onFreePort(async (port) => {
    const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', String(memoryMb), '-u', 'root', ...(auth ? ['-Y', join(dir, 'auth')] : []), ...extra];
    const child = await listeningDaemon(name, dir, '/usr/bin/memcached', args, port);
    return { name, port, servers: `127.0.0.1:${port}`, stop: () => stopDaemon(child), signal: (signal: NodeJS.Signals) => void child.kill(signal) };
  });
}

/** Loads n items named `${prefix}${i}` with pipelined noreply sets, then waits for the server to catch up. */
export function loadItems(port: number, n: number, prefix: string, value: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', async () => {
      for (let start = 0; start < n; start += 50_000) {
        let text = '';
        for (let i = start; i < Math.min(n, start + 50_000); i++) text += `set ${prefix}${i} 0 0 ${value.length} noreply\r\n${value}\r\n`;
        if (!socket.write(text)) await new Promise((r) => socket.once('drain', r));
      }
      socket.write('version\r\n');
    });
    socket.on('data', (d) => {
      if (d.toString().startsWith('VERSION')) {
        socket.destroy();
        resolve();
      }
    });
    socket.on('error', reject);
  });
}
