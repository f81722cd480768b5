import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Redis from 'ioredis';
import type { RedisSession } from '../src/drivers/redis';
import type { Driver, RedisProfile } from '../src/drivers/types';
import { startRedis } from '../test/services/redis';
import { Figure } from './figures';

const FIELDS = 10_000_000;

/** Heap and Buffers in use after a collection, in MB. */
async function settledMb(): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 2 ** 20;
}

/**
 * Exporting a 10,000,000-field hash through the driver (HSCAN pages to JSON lines, each awaited as written) against
 * the raw baseline of the same walk: an HSCAN COUNT 1000 loop that keeps nothing and writes nothing. Memory is
 * sampled, after a collection, every 1,000 lines of the export.
 */
export async function redisExportFigures(root: string): Promise<Figure[]> {
  const { driver } = require(join(root, 'dist', 'drivers', 'redis.js')) as { driver: Driver<RedisProfile> };
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-redis-export-'));
  const server = await startRedis(dir);
  try {
    const loader = new Redis({ port: server.port, password: server.password });
    for (let start = 0; start < FIELDS; start += 50_000) {
      const fields: string[] = [];
      for (let i = start; i < start + 50_000; i++) fields.push(`f${i}`, `value-${i}`);
      await loader.hset('bench:10m', ...fields);
    }
    let start = process.hrtime.bigint();
    let cursor = '0';
    let walked = 0;
    do {
      const [next, flat] = await loader.hscanBuffer('bench:10m', cursor, 'COUNT', 1000);
      cursor = next.toString();
      walked += flat.length / 2;
    } while (cursor !== '0');
    const rawSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    loader.disconnect();
    const session = (await driver.connect({ id: 'b', name: 'b', kind: 'redis', host: '127.0.0.1', port: server.port, db: 0, tls: false, readOnly: true }, { secrets: { password: server.password }, timeoutMs: 10_000, hostKeys: { verify: async () => false } })) as RedisSession;
    const before = await settledMb();
    let peak = before;
    let lines = 0;
    let bytes = 0;
    start = process.hrtime.bigint();
    await session.exportKeys(0, 'bench:10m', async (line) => {
      lines++;
      bytes += line.length;
      if (lines % 1000 === 0) peak = Math.max(peak, await settledMb());
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await session.close();
    if (walked < FIELDS) throw new Error(`the raw walk saw ${walked} fields`);
    return [
      { name: `redis: export a ${FIELDS.toLocaleString('en')}-field hash (${(bytes / 2 ** 20).toFixed(0)} MB of JSON lines)`, value: seconds, unit: 's', baseline: { name: 'raw HSCAN COUNT 1000 loop, nothing kept', value: rawSeconds } },
      { name: 'redis: heap and Buffers at the peak of that export', value: peak, unit: 'MB', baseline: { name: 'before it', value: before }, target: '<= 1.2' },
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
