import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { RedisSession } from '../src/drivers/redis';
import type { Driver, RedisProfile } from '../src/drivers/types';
import { DEFAULT_LIMITS } from '../src/drivers/redis/memoryReport';
import { startRedis } from '../test/services/redis';
import { Figure, LoadWatch } from './figures';
import { rawScan } from './redis';

/** A million keys under mixed prefixes, as DEBUG POPULATE writes them (prefix:N, a short string each). */
const PREFIXES: readonly [string, number][] = [['user', 400_000], ['session', 300_000], ['cache', 200_000], ['job', 100_000]];

/** `redis-cli --memkeys` on the same server: the same SCAN, TYPE and MEMORY USAGE a person would run by hand. */
function redisCliMemkeys(port: number, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/redis-cli', ['-p', String(port), '--no-auth-warning', '-a', password, '--memkeys'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e9) : reject(new Error(`redis-cli --memkeys exited with ${code}`))));
  });
}

/**
 * The memory analysis of 1,000,000 keys beside `redis-cli --memkeys` on the same keys in the same run, with the raw
 * SCAN loop for scale; how soon the biggest prefix shows; the event loop and the memory held while it runs.
 */
export async function redisMemoryFigures(root: string): Promise<Figure[]> {
  const { driver } = require(join(root, 'dist', 'drivers', 'redis.js')) as { driver: Driver<RedisProfile> };
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-redis-memory-'));
  const server = await startRedis(dir);
  try {
    const loader = new Redis({ port: server.port, password: server.password });
    for (const [prefix, count] of PREFIXES) await loader.call('DEBUG', 'POPULATE', String(count), prefix);
    const keys = await loader.dbsize();
    loader.disconnect();
    const raw = await rawScan(server.port, server.password);
    const cli = await redisCliMemkeys(server.port, server.password);
    const session = (await driver.connect({ id: 'b', name: 'b', kind: 'redis', host: '127.0.0.1', port: server.port, db: 0, tls: false, readOnly: true }, { secrets: { password: server.password }, timeoutMs: 10_000, hostKeys: { verify: async () => false } })) as RedisSession;
    const watch = await LoadWatch.start();
    let peakMb = 0;
    let biggestShownMs: number | undefined;
    const start = process.hrtime.bigint();
    const report = await session.analyzeMemory(0, {
      limits: { ...DEFAULT_LIMITS, delimiter: ':' },
      sampleRate: 1,
      onProgress: (_progress, build) => {
        peakMb = Math.max(peakMb, process.memoryUsage().heapUsed / 2 ** 20);
        // What the panel shows while streaming: the biggest prefix so far is the one the whole pass ends with.
        if (biggestShownMs === undefined && build().prefixes.children[0]?.name === 'user') biggestShownMs = Number(process.hrtime.bigint() - start) / 1e6;
      },
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    watch.done();
    await session.close();
    if (report.inspected !== keys) throw new Error(`the analysis inspected ${report.inspected} keys of ${keys}`);
    return [
      { name: 'redis: memory analysis of 1M keys (types, TTL, memory, lengths, prefix tree)', value: seconds, unit: 's', baseline: { name: 'redis-cli --memkeys, same keys', value: cli }, target: '<= 0.25' },
      { name: 'redis: memory analysis of 1M keys beside a bare SCAN loop', value: seconds, unit: 's', baseline: { name: 'raw-socket SCAN COUNT 1000 loop', value: raw.seconds } },
      { name: 'redis: memory analysis, biggest prefix on screen after', value: biggestShownMs ?? seconds * 1000, unit: 'ms' },
      { name: 'redis: memory analysis, most heap in use while it ran', value: peakMb, unit: 'MB' },
      ...(await watch.figures('redis', 'the memory analysis of 1M keys')),
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
