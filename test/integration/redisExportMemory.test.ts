import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Redis from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { RedisProfile } from '../../src/drivers/types';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';
import { redisSession } from './redisSuite';
import { eventually } from '../eventually';

/** A hash far bigger than a page exports in the memory of a page: what is held does not grow with the value. */

const url = new URL(need('REDIS_URL'));
const password = decodeURIComponent(url.password);
/** A database of its own: test files run two at a time on one server, and each flushes its database. */
const DB = 10;
const FIELDS = 1_000_000;
const profile: RedisProfile = { id: 'mem', name: 'memory', kind: 'redis', host: url.hostname, port: Number(url.port), tls: false, db: 0, readOnly: true };
let raw: Redis;
let session: RedisSession;

/**
 * Heap and Buffers in use once garbage is collected, in MB. Buffers are freed a moment after the collection, and
 * nothing says when: collections are made until two readings in a row agree within a megabyte.
 */
async function settledMb(): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let last = Infinity;
  return eventually('the memory in use to settle after a collection', () => {
    gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    const mb = (heapUsed + arrayBuffers) / 2 ** 20;
    const settled = Math.abs(mb - last) < 1;
    last = mb;
    return settled && mb;
  });
}

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password, db: DB });
  await raw.flushdb();
  const value = 'v'.repeat(100);
  for (let start = 0; start < FIELDS; start += 20_000) {
    const fields: string[] = [];
    for (let i = start; i < start + 20_000; i++) fields.push(`field:${i}`, value);
    await raw.hset('big:hash', ...fields);
  }
  session = await redisSession(profile, { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
});

after(async () => {
  await raw.flushdb();
  raw.disconnect();
  await session.close();
});

test(`a ${FIELDS.toLocaleString('en')}-field hash exports with memory that stays flat (a page at a time, on a read-only connection)`, async () => {
  const baseline = await settledMb();
  let peak = baseline;
  let lines = 0;
  let bytes = 0;
  const report = await session.exportKeys(DB, 'big:*', async (line) => {
    lines++;
    bytes += line.length;
    if (lines % 150 === 0) peak = Math.max(peak, await settledMb());
  });
  assert.equal(report.exported, 1);
  assert.ok(bytes > 110 * 2 ** 20, `the export wrote ${(bytes / 2 ** 20).toFixed(0)} MB`);
  assert.ok(lines > FIELDS / 1000, `${lines} lines`);
  assert.ok(peak - baseline < 32, `memory grew by ${(peak - baseline).toFixed(1)} MB while ${(bytes / 2 ** 20).toFixed(0)} MB were exported (from ${baseline.toFixed(1)} MB)`);
});
