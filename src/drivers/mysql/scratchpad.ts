import { AsyncLocalStorage } from 'node:async_hooks';
import { Op, Sequelize, Transaction } from 'sequelize';
import { transform } from 'sucrase';
import { DriverError, messageOf } from '../errors';
import { LiveModels, sqlListener } from './liveModels';

/**
 * Sequelize finds the current transaction through a CLS namespace; this one is AsyncLocalStorage, so every query a
 * snippet makes — models, raw sequelize.query, in any order — runs inside the scratchpad's transaction.
 */
const context = new AsyncLocalStorage<Map<string, unknown>>();
Sequelize.useCLS({
  get: (key: string) => context.getStore()?.get(key),
  set: (key: string, value: unknown) => context.getStore()?.set(key, value),
  run: (callback: (store: Map<string, unknown>) => unknown) => context.run(new Map(), () => callback(context.getStore()!)),
  bind: <T>(callback: T) => callback,
});

export interface ScratchpadOptions {
  readonly language: 'javascript' | 'typescript';
  readonly timeoutMs: number;
  /** Commit what the snippet changed; otherwise (the default) everything is rolled back. */
  readonly commit: boolean;
  readonly signal?: AbortSignal;
  /** Where the snippet's console.log goes. */
  readonly print: (line: string) => void;
}

export interface ScratchpadResult {
  readonly value: unknown;
  readonly committed: boolean;
  readonly ms: number;
}

type Snippet = (sequelize: Sequelize, models: LiveModels['models'], op: typeof Op, console: Pick<Console, 'log'>) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => Snippet;

function compile(code: string, language: ScratchpadOptions['language']): Snippet {
  let js = code;
  if (language === 'typescript') {
    try {
      js = transform(code, { transforms: ['typescript'], disableESTransforms: true }).code;
    } catch (error) {
      throw new DriverError('config', `The TypeScript snippet does not compile: ${messageOf(error)}.`);
    }
  }
  // Imports make no sense here: sequelize, models and Op are in scope already.
  js = js.replace(/^\s*import\s[^;]*?from\s*['"][^'"]+['"];?\s*$/gm, '');
  try {
    return new AsyncFunction('sequelize', 'models', 'Op', 'console', js);
  } catch (error) {
    throw new DriverError('config', `The snippet does not parse: ${messageOf(error)}.`);
  }
}

/** Plain data for the grid or the log: model instances become their attribute values. */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') return value.toJSON() as unknown;
  return value;
}

/**
 * Runs a JavaScript or TypeScript snippet with `sequelize`, `models` and `Op` in scope, inside a transaction that is
 * rolled back unless `commit` is set. A snippet that runs past the timeout (or is cancelled) has its query killed on
 * the server and everything rolled back.
 */
export async function runScratchpad(live: LiveModels, code: string, options: ScratchpadOptions, killQuery: (threadId: number) => Promise<void>): Promise<ScratchpadResult> {
  const snippet = compile(code, options.language);
  const started = performance.now();
  const transaction: Transaction = await live.sequelize.transaction();
  const threadId = (transaction as unknown as { connection?: { threadId?: number } }).connection?.threadId;
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    const stop = (why: string): void => {
      if (threadId !== undefined) void killQuery(threadId);
      reject(new DriverError('timeout', `${why}; its changes were rolled back.`));
    };
    timer = setTimeout(() => stop(`The snippet ran longer than ${options.timeoutMs / 1000} s`), options.timeoutMs);
    options.signal?.addEventListener('abort', () => stop('The snippet was cancelled'), { once: true });
  });
  stopped.catch(() => undefined);
  try {
    const log = { log: (...args: unknown[]) => options.print(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(plain(a), null, 2))).join(' ')) };
    const run = () => context.run(new Map([['transaction', transaction]]), () => snippet(live.sequelize, live.models, Op, log));
    const value = await Promise.race([sqlListener.run((sql) => options.print(`-- ${sql}`), run), stopped]);
    if (options.commit) await transaction.commit();
    else await transaction.rollback();
    return { value: plain(value), committed: options.commit, ms: performance.now() - started };
  } catch (error) {
    await transaction.rollback().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
