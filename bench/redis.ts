import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { RedisSession } from '../src/drivers/redis';
import type { Driver, RedisProfile } from '../src/drivers/types';
import { startRedis } from '../test/services/redis';
import { keyRef } from '../src/drivers/redis/keys';
import { Figure, LoadWatch } from './figures';
import { browserListingFigures } from './redisBrowser';

const KEYS = 1_000_000;

/** The raw baseline: SCAN cursor COUNT 1000 over a plain socket, keys counted from the RESP reply and nothing else. */
export function rawScan(port: number, password: string): Promise<{ keys: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const socket = connect(port, '127.0.0.1');
    const command = (...args: string[]): string => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    let buffer: Buffer = Buffer.alloc(0);
    let authed = false;
    let keys = 0;
    socket.on('connect', () => socket.write(command('AUTH', password)));
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      if (!authed) {
        if (buffer.indexOf('\r\n') < 0) return;
        authed = true;
        buffer = Buffer.alloc(0);
        socket.write(command('SCAN', '0', 'COUNT', '1000'));
        return;
      }
      // *2 $<n> cursor *<m> then m bulk strings: parse once the whole reply is here.
      let pos = 0;
      const line = (): string | undefined => {
        const end = buffer.indexOf('\r\n', pos);
        if (end < 0) return undefined;
        const text = buffer.toString('latin1', pos, end);
        pos = end + 2;
        return text;
      };
      if (line() === undefined) return;
      const cursorLen = line();
      if (cursorLen === undefined) return;
      const cursor = line();
      const countLine = line();
      if (cursor === undefined || countLine === undefined) return;
      const count = Number(countLine.slice(1));
      for (let i = 0; i < count; i++) {
        const len = line();
        if (len === undefined) return;
        pos += Number(len.slice(1)) + 2;
        if (pos > buffer.length) return;
      }
      keys += count;
      buffer = buffer.subarray(pos);
      if (cursor === '0') {
        socket.destroy();
        resolve({ keys, seconds: Number(process.hrtime.bigint() - start) / 1e9 });
      } else {
        socket.write(command('SCAN', cursor, 'COUNT', '1000'));
      }
    });
    socket.on('error', reject);
  });
}

/** Scanning a million keys through the driver against a raw-socket SCAN loop in the same run; first page; a big hash. */
export async function redisFigures(root: string): Promise<Figure[]> {
  const { driver } = require(join(root, 'dist', 'drivers', 'redis.js')) as { driver: Driver<RedisProfile> };
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-redis-'));
  const server = await startRedis(dir);
  try {
    const loader = new Redis({ port: server.port, password: server.password });
    await loader.call('DEBUG', 'POPULATE', String(KEYS), 'bench:key');
    for (let start = 0; start < 1_000_000; start += 20_000) {
      const fields: Record<string, string> = {};
      for (let i = start; i < start + 20_000; i++) fields[`f${i}`] = `v${i}`;
      await loader.hset('bench:bighash', fields);
    }
    loader.disconnect();
    const raw = await rawScan(server.port, server.password);
    const session = (await driver.connect({ id: 'b', name: 'b', kind: 'redis', host: '127.0.0.1', port: server.port, db: 0, tls: false, readOnly: true }, { secrets: { password: server.password }, timeoutMs: 10_000, hostKeys: { verify: async () => false } })) as RedisSession;
    let listed = 0;
    const watch = await LoadWatch.start();
    let start = process.hrtime.bigint();
    await session.scan(0, { match: '*', count: 1000, onKeys: (keys) => (listed += keys.length) });
    const bare = Number(process.hrtime.bigint() - start) / 1e9;
    watch.done();
    if (Math.abs(listed - raw.keys) > 0) throw new Error(`the driver listed ${listed} keys, the raw loop ${raw.keys}`);
    // The browser's path to its first screen: the first SCAN batch, then type, TTL and memory of 50 rows in view.
    start = process.hrtime.bigint();
    let firstPage = 0;
    const controller = new AbortController();
    let visible: { text: string }[] = [];
    await session.scan(0, { match: '*', signal: controller.signal, onKeys: (keys) => {
      visible = keys.slice(0, 50).map(keyRef);
      controller.abort();
    } });
    await session.metadata(0, visible);
    firstPage = Number(process.hrtime.bigint() - start) / 1e6;
    start = process.hrtime.bigint();
    const page = await session.value(0, { text: 'bench:bighash' }, { limit: 200 });
    const hashMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (page.type !== 'hash' || page.total !== 1_000_000) throw new Error('the big hash is not what the bench wrote');
    const browser = await browserListingFigures(session, raw, '1M');
    // Ten times the keys (DEBUG POPULATE adds bench:key:1000000 and on): the panel path must scale with the driver.
    const populate = new Redis({ port: server.port, password: server.password });
    await populate.call('DEBUG', 'POPULATE', String(KEYS * 10), 'bench:key');
    populate.disconnect();
    const rawTen = await rawScan(server.port, server.password);
    const browserTen = await browserListingFigures(session, rawTen, '10M');
    await session.close();
    return [
      { name: 'redis: SCAN 1M keys through the driver (adaptive COUNT)', value: bare, unit: 's', baseline: { name: 'raw-socket SCAN COUNT 1000 loop', value: raw.seconds }, target: '<= 1.3' },
      ...(await watch.figures('redis', 'scanning 1M keys')),
      { name: 'redis: first screen (first batch, then type, TTL, memory of 50 rows)', value: firstPage, unit: 'ms' },
      { name: 'redis: first page of a 1,000,000-field hash', value: hashMs, unit: 'ms' },
      ...browser,
      ...browserTen,
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
