import type Redis from 'ioredis';
import { keyServers, RedisClient } from './client';
import { DriverError, messageOf, withTimeout } from '../errors';
import { MemoryTally, ReportLimits } from './memoryReport';
import { MemoryReport } from './memoryShapes';

export interface MemoryScanOptions {
  readonly limits: ReportLimits;
  /** The share of keys to inspect, in (0, 1]; the rest are counted as seen only. */
  readonly sampleRate: number;
  readonly signal?: AbortSignal;
  /** Resolves when the pass may go on (pause / resume). */
  readonly gate?: () => Promise<void>;
  /** After each batch: how far the pass has come, and the report so far (built only when asked for). */
  readonly onProgress?: (progress: { seen: number; total: number }, report: () => MemoryReport) => void;
  /** The longest one batch may take before the pass stops with an error naming the server. */
  readonly batchTimeoutMs?: number;
}

/**
 * One server-side step: SCAN, then for each key (or a sample of them) TYPE, PTTL, MEMORY USAGE and its length, all in
 * one read-only script call. Returning everything in one reply is what makes the pass fast: a client-side pipeline
 * of four commands per key costs the client more than the server. EVAL_RO makes the server itself refuse any write the
 * script might attempt, so this is a read on a read-only connection too. Types travel as small numbers (TYPE_NAMES),
 * a module's type by its name.
 */
const SCRIPT = `
local call = redis.call
local reply = call('SCAN', ARGV[1], 'COUNT', ARGV[2])
local keys = reply[2]
local rate = tonumber(ARGV[3])
local random = math.random
local out = {reply[1], #keys}
local n = 2
local codes = {string = 1, hash = 2, list = 3, set = 4, zset = 5, stream = 6}
local lengths = {'STRLEN', 'HLEN', 'LLEN', 'SCARD', 'ZCARD', 'XLEN'}
for i = 1, #keys do
  if rate >= 1 or random() < rate then
    local k = keys[i]
    local t = call('TYPE', k)['ok']
    if t ~= 'none' then
      local code = codes[t]
      out[n + 1] = k
      out[n + 2] = code or t
      out[n + 3] = call('PTTL', k)
      out[n + 4] = call('MEMORY', 'USAGE', k) or 0
      out[n + 5] = code and call(lengths[code], k) or 0
      n = n + 5
    end
  end
end
return out`;

const TYPE_NAMES = ['', 'string', 'hash', 'list', 'set', 'zset', 'stream'];
const LENGTH_COMMANDS: Readonly<Record<string, string>> = { string: 'strlen', hash: 'hlen', list: 'llen', set: 'scard', zset: 'zcard', stream: 'xlen' };

/** One step's keys as the server sent them: `facts` holds key, type, pttl, memory, length for each, from `first`. */
interface Step {
  readonly cursor: string;
  readonly seen: number;
  readonly facts: readonly unknown[];
  readonly first: number;
}

type Stepper = (server: Redis, cursor: string, count: number, rate: number) => Promise<Step>;

const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

function parseScriptReply(reply: unknown): Step {
  if (!Array.isArray(reply) || !Buffer.isBuffer(reply[0])) throw new Error('the memory script returned an unexpected reply');
  return { cursor: reply[0].toString(), seen: num(reply[1]), facts: reply, first: 2 };
}

let scriptSha: string | undefined;

const scriptStep: Stepper = async (server, cursor, count, rate) => {
  const args = [cursor, String(count), String(rate)];
  if (scriptSha) {
    try {
      return parseScriptReply(await server.callBuffer('EVALSHA_RO', scriptSha, '0', ...args));
    } catch (error) {
      if (!/NOSCRIPT/.test(messageOf(error))) throw error;
    }
  }
  const reply = await server.callBuffer('EVAL_RO', SCRIPT, '0', ...args);
  scriptSha ??= String(await server.call('SCRIPT', 'LOAD', SCRIPT).catch(() => '')) || undefined;
  return parseScriptReply(reply);
};

/** Without scripting (Redis before 7, or scripts refused by ACL): SCAN, then two pipelines per batch. */
const pipelineStep: Stepper = async (server, cursor, count, rate) => {
  const reply: unknown = await server.callBuffer('SCAN', cursor, 'COUNT', count);
  if (!Array.isArray(reply) || !Buffer.isBuffer(reply[0]) || !Array.isArray(reply[1])) throw new Error('SCAN returned an unexpected reply');
  const all = reply[1].filter(Buffer.isBuffer);
  const keys = rate >= 1 ? all : all.filter(() => Math.random() < rate);
  const first = server.pipeline();
  for (const key of keys) first.type(key).pttl(key).call('MEMORY', 'USAGE', key);
  const facts = (await first.exec()) ?? [];
  const second = server.pipeline();
  const types = keys.map((_, i) => String(facts[i * 3]?.[1] ?? 'none'));
  types.forEach((type, i) => second.call(LENGTH_COMMANDS[type] ?? 'exists', keys[i]!));
  const lengths = (await second.exec()) ?? [];
  const flat: unknown[] = [];
  keys.forEach((key, i) => {
    const type = types[i]!;
    if (type !== 'none') flat.push(key, type, facts[i * 3 + 1]?.[1] ?? -1, facts[i * 3 + 2]?.[1] ?? 0, LENGTH_COMMANDS[type] ? lengths[i]?.[1] : 0);
  });
  return { cursor: reply[0].toString(), seen: all.length, facts: flat, first: 0 };
};

/** Keys tallied between two turns of the event loop, so a big step never holds it for long. */
const TALLY_CHUNK = 500;

/** Adds one step's keys to the tally, yielding to the event loop between chunks. */
async function tallyStep(tally: MemoryTally, step: Step): Promise<void> {
  const { facts } = step;
  let inChunk = 0;
  for (let i = step.first; i + 4 < facts.length; i += 5) {
    const key = facts[i];
    if (!Buffer.isBuffer(key)) continue;
    const code = facts[i + 1];
    const type = typeof code === 'number' ? (TYPE_NAMES[code] ?? String(code)) : String(code);
    tally.add(key, type, num(facts[i + 2]), num(facts[i + 3]), num(facts[i + 4]));
    if (++inChunk === TALLY_CHUNK) {
      inChunk = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * A streamed pass over a database's keyspace (each master of a cluster, concurrently) that builds a bounded memory
 * report: the keyspace itself is never held. The next step is asked for while the last one is tallied, so the server
 * and the client work at once; COUNT adapts so each step stays between a few and 50 ms, which keeps the server
 * answering others. Pause through `gate`, cancel through `signal` (the report so far is kept).
 */
export async function analyzeMemory(client: RedisClient, options: MemoryScanOptions): Promise<MemoryReport> {
  const rate = options.sampleRate;
  if (!(rate > 0 && rate <= 1)) throw new DriverError('config', `A sample rate is a share of the keys between 0 and 1, not ${rate}.`);
  const servers = keyServers(client);
  const sizes = await Promise.all(servers.map((server) => server.dbsize()));
  const total = sizes.reduce((a, b) => a + b, 0);
  const tally = new MemoryTally(options.limits, rate);
  let seen = 0;
  const report = (): MemoryReport => tally.report(total);
  await Promise.all(servers.map(async (server) => {
    const where = `${server.options.host ?? ''}:${server.options.port ?? ''}`;
    let step: Stepper = scriptStep;
    let count = 500;
    const ask = async (cursor: string): Promise<{ result: Step; ms: number } | undefined> => {
      if (options.signal?.aborted) return undefined;
      await options.gate?.();
      if (options.signal?.aborted) return undefined;
      const started = Date.now();
      const work = step(server, cursor, count, rate);
      const result = options.batchTimeoutMs ? await withTimeout(work, options.batchTimeoutMs, () => stalled(where, options.batchTimeoutMs!)) : await work;
      return { result, ms: Date.now() - started };
    };
    // The script is tried on the first step: a server without EVAL_RO (before 7.0), one whose ACL refuses scripts or
    // the commands inside them, or one that runs no scripts at all is then read with pipelines instead.
    let next = await ask('0').catch((error: unknown) => {
      if (!isReplyError(error)) throw error;
      step = pipelineStep;
      return ask('0');
    });
    while (next) {
      const { result, ms } = next;
      if (ms < 15 && count < 2000) count *= 2;
      else if (ms > 50 && count > 50) count = Math.max(50, Math.floor(count / 2));
      const asked = result.cursor === '0' ? Promise.resolve(undefined) : ask(result.cursor);
      // A failed step surfaces when it is awaited, not as an unhandled rejection meanwhile.
      asked.catch(() => undefined);
      tally.saw(result.seen);
      seen += result.seen;
      await tallyStep(tally, result);
      options.onProgress?.({ seen: Math.min(seen, total), total }, report);
      next = await asked;
    }
  }));
  return report();
}

function stalled(where: string, ms: number): DriverError {
  return new DriverError('timeout', `Redis at ${where} did not answer a step of the memory analysis within ${Math.round(ms / 1000)} s.`, 'Check the server is up and not blocked by a long command, then run the analysis again.');
}

/** An error the server replied with (as opposed to a lost connection or a timeout). */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}
