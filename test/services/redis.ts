import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { freePort, portAccepts, RunningService, startDaemon, stopDaemon, waitUntil } from './process';

export interface RedisService extends RunningService {
  readonly port: number;
  readonly password: string;
  readonly url: string;
  /** Kills the server at once, as a crash would. */
  kill(): void;
}

export async function startRedis(root: string, password = 'redis-secret'): Promise<RedisService> {
  const dir = join(root, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir,
    '--logfile', join(dir, 'log'), '--enable-debug-command', 'local', '--requirepass', password];
  const child: ChildProcess = startDaemon('redis', dir, '/usr/bin/redis-server', args);
  await waitUntil('redis', () => portAccepts(port), 10_000, child);
  return {
    name: 'redis',
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}/0`,
    kill: () => child.kill('SIGKILL'),
    stop: () => stopDaemon(child),
  };
}
