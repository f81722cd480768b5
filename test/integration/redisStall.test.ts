import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { parseCommandLine } from '../../src/drivers/redis/cli';
import { RedisProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { listeningDaemon, onFreePort, stopDaemon } from '../services/process';
import { pinnedHostKey, TIMEOUT_MS } from './env';
import { redisSession } from './redisSuite';
import { eventually } from '../eventually';
import { unreadBytesAt } from '../services/procfs';

/**
 * Every operation ends: a Redis server of this test's own is paused with SIGSTOP (it keeps its connections open and
 * answers nothing, as a hung or overloaded server or a dead link does), and each operation either fails with the
 * command timeout, naming the server, or is ended by Cancel.
 */

const dir = mkdtempSync(join(tmpdir(), 'switchboard-stall-'));
let server: ChildProcess;
let port = 0;
let stopped = false;
const KEYS = 30_000;

const pause = (): void => {
  process.kill(server.pid!, 'SIGSTOP');
  stopped = true;
};
const resume = (): void => {
  if (stopped) process.kill(server.pid!, 'SIGCONT');
  stopped = false;
};
const profile = (): RedisProfile => ({ id: 'stall', name: 'stalling', kind: 'redis', host: '127.0.0.1', port, tls: false, db: 0, readOnly: false });
const connect = async (commandTimeoutMs: number): Promise<RedisSession> =>
  await redisSession(profile(), { secrets: {}, timeoutMs: TIMEOUT_MS, replyTimeoutMs: commandTimeoutMs, hostKeys: pinnedHostKey('x AAAA') });
const timedOut = (error: unknown): boolean => {
  assert.ok(isDriverError(error), String(error));
  assert.equal(error.code, 'timeout', error.message);
  assert.match(error.message, new RegExp(`Redis at 127\\.0\\.0\\.1:${port} did not answer within 1\\.5 s`));
  return true;
};

before(async () => {
  [port, server] = await onFreePort(async (free) => [free, await listeningDaemon('redis-stall', dir, '/usr/bin/redis-server', ['--bind', '127.0.0.1', '--port', String(free), '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'local'], free)] as const);
  const raw = new Redis({ port });
  await raw.call('DEBUG', 'POPULATE', String(KEYS), 'stall');
  raw.disconnect();
});

afterEach(() => resume());

/**
 * Cancels once the next request waits, unread, at the paused server (the kernel holds it for the stopped process):
 * what is cancelled is then an operation waiting on the server, not one between two of its steps.
 */
async function cancelWhenWaiting(controller: AbortController, cancelled: () => void): Promise<void> {
  await eventually('the next request to reach the paused server', () => unreadBytesAt(port) > 0);
  cancelled();
  controller.abort();
}

after(async () => {
  resume();
  await stopDaemon(server);
  rmSync(dir, { recursive: true, force: true });
});

test('a server that stops answering fails each operation after the command timeout, naming the server', { timeout: 30_000 }, async () => {
  const session = await connect(1500);
  const cli = session.console();
  try {
    await session.value(0, { text: 'stall:1' }, { limit: 10 });
    pause();
    let started = Date.now();
    await assert.rejects(session.value(0, { text: 'stall:1' }, { limit: 10 }), timedOut);
    assert.ok(Date.now() - started < 4000, `${Date.now() - started} ms`);
    await assert.rejects(session.metadata(0, [{ text: 'stall:2' }]), timedOut);
    await assert.rejects(cli.run(parseCommandLine('GET stall:1')), timedOut);
    started = Date.now();
    await assert.rejects(session.scan(0, { match: '*', onKeys: () => undefined }), timedOut);
    await assert.rejects(session.exportKeys(0, 'stall:*', async () => undefined), timedOut);
    assert.ok(Date.now() - started < 8000, `${Date.now() - started} ms`);
    resume();
    // Once it answers again, so does the session.
    const page = await session.value(0, { text: 'stall:3' }, { limit: 10 });
    assert.ok(page.type === 'string' && page.value.text === 'value:3');
  } finally {
    resume();
    cli.close();
    await session.close();
  }
});

test('Cancel ends a scan waiting on a server that stopped answering, well before any timeout', { timeout: 30_000 }, async () => {
  const session = await connect(60_000);
  const controller = new AbortController();
  let rows = 0;
  let cancelledAt = 0;
  let cancelling: Promise<void> | undefined;
  try {
    const result = await session.scan(0, {
      match: '*',
      count: 100,
      signal: controller.signal,
      onKeys: (batch) => {
        rows += batch.length;
        if (!stopped) {
          pause();
          cancelling = cancelWhenWaiting(controller, () => (cancelledAt = Date.now()));
        }
      },
    });
    await cancelling;
    const took = Date.now() - cancelledAt;
    assert.ok(cancelledAt > 0 && took < 3000, `the scan ended ${took} ms after Cancel`);
    assert.ok(result.found > 0 && result.found < KEYS, `found ${result.found}`);
    assert.equal(rows, result.found);
    resume();
    assert.equal((await session.value(0, { text: 'stall:4' }, { limit: 10 })).type, 'string', 'the session itself was not dropped');
  } finally {
    resume();
    await session.close();
  }
});

test('Cancel ends an export waiting on a server that stopped answering; the key it was reading is marked incomplete', { timeout: 30_000 }, async () => {
  const raw = new Redis({ port });
  const fields: string[] = [];
  for (let i = 0; i < 50_000; i++) fields.push(`f${i}`, `v${i}`);
  await raw.hset('stall:hash', ...fields);
  raw.disconnect();
  const session = await connect(60_000);
  const controller = new AbortController();
  const lines: string[] = [];
  let cancelledAt = 0;
  let cancelling: Promise<void> | undefined;
  try {
    const report = await session.exportKeys(0, 'stall:hash', async (line) => {
      lines.push(line);
      if (lines.length === 3 && !stopped) {
        pause();
        cancelling = cancelWhenWaiting(controller, () => (cancelledAt = Date.now()));
      }
    }, { signal: controller.signal });
    await cancelling;
    const took = Date.now() - cancelledAt;
    assert.ok(cancelledAt > 0 && took < 3000, `the export ended ${took} ms after Cancel`);
    assert.equal(report.cancelled, true);
    assert.equal(report.exported, 0);
    assert.match(lines[lines.length - 1]!, /"incomplete":"the export was cancelled while it was read"/);
  } finally {
    resume();
    await session.close();
  }
});
