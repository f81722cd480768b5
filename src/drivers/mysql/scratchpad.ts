import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DriverError, messageOf } from '../errors';
import { FromWorker, ScratchpadJob } from './scratchpadJob';

export interface ScratchpadOptions {
  readonly language: 'javascript' | 'typescript';
  readonly timeoutMs: number;
  /** Commit what the snippet changed; otherwise (the default) everything is rolled back. */
  readonly commit: boolean;
  readonly signal?: AbortSignal;
  /** Where the snippet's console.log and the SQL it sends go. */
  readonly print: (line: string) => void;
}

export interface ScratchpadResult {
  readonly value: unknown;
  readonly committed: boolean;
  readonly ms: number;
}

/** The worker's script: beside this module, in the bundle (dist/drivers) and in compiled tests alike. */
const WORKER = join(__dirname, 'scratchpadWorker.js');
/** A snippet gets a heap of its own; past it the worker dies and the extension host lives on. */
const HEAP_MB = 512;

/**
 * Runs a snippet on a worker thread with its own database connection (see scratchpadWorker.ts), inside a transaction
 * rolled back unless `commit` is set. At the timeout, or on cancel, the worker is terminated wherever it is, even in a
 * loop that never yields, and its connection is killed on the server (`kill`), which rolls its transaction back.
 */
export function runScratchpad(job: ScratchpadJob, options: ScratchpadOptions, kill: (threadId: number) => Promise<void>): Promise<ScratchpadResult> {
  const started = performance.now();
  const worker = new Worker(WORKER, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
  let thread: number | undefined;
  return new Promise<ScratchpadResult>((resolve, reject) => {
    let settled = false;
    const settle = (end: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      end();
    };
    const stop = (why: string): void => settle(() => {
      void worker.terminate();
      if (thread !== undefined) void kill(thread);
      reject(new DriverError('timeout', `${why}: it was stopped and its changes were rolled back.`));
    });
    const timer = setTimeout(() => stop(`The snippet ran longer than ${options.timeoutMs / 1000} s`), options.timeoutMs);
    const onAbort = (): void => stop('The snippet was cancelled');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'thread') thread = message.id;
      else if (message.type === 'print') options.print(message.line);
      else if (message.type === 'done') {
        settle(() => resolve({ value: message.value === undefined ? undefined : JSON.parse(message.value) as unknown, committed: message.committed, ms: performance.now() - started }));
      } else settle(() => reject(new DriverError(message.code, message.message)));
    });
    worker.on('error', (error) => settle(() => {
      if (thread !== undefined) void kill(thread);
      reject(new DriverError('server', `The snippet stopped: ${messageOf(error)}. Its changes were rolled back.`));
    }));
    worker.on('exit', (code) => settle(() => {
      if (thread !== undefined) void kill(thread);
      reject(new DriverError('server', `The snippet's worker ended without an answer (exit code ${code}; past ${HEAP_MB} MB of memory it is stopped). Its changes were rolled back.`));
    }));
  });
}
