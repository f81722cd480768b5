import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { Connection } from 'mysql2';
import { Op, Sequelize, Transaction } from 'sequelize';
import { transform } from 'sucrase';
import { DriverError, isDriverError, messageOf } from '../errors';
import { liveModels, LiveModels, sqlListener } from './liveModels';
import { FromWorker, ScratchpadJob } from './scratchpadJob';
import { checkStatement, GateMode, sessionDialect } from './statementGate';
import type { SqlDialect } from './sqlLexer';

/**
 * The scratchpad's worker thread: it runs one snippet on a connection of its own, so a snippet that never yields
 * (`while (true) {}`) blocks this thread only, and the extension host ends it with Worker.terminate() at the timeout.
 * Every statement sent on the connection, by Sequelize or by a snippet reaching the connection itself, passes the
 * statement gate of the run's mode first; the worker's own transaction control is the only exception.
 */

const job: ScratchpadJob = workerData;
const post = (message: FromWorker): void => parentPort?.postMessage(message);

/** Set while the worker itself talks to the server (connect, begin, commit, rollback): not the snippet's statements. */
const internal = new AsyncLocalStorage<true>();
const own = <T>(work: () => Promise<T>): Promise<T> => internal.run(true, work);

/** Sequelize finds the current transaction through this CLS namespace, so every query of the snippet runs inside it. */
const context = new AsyncLocalStorage<Map<string, unknown>>();
Sequelize.useCLS({
  get: (key: string) => context.getStore()?.get(key),
  set: (key: string, value: unknown) => context.getStore()?.set(key, value),
  run: (callback: (store: Map<string, unknown>) => unknown) => context.run(new Map(), () => callback(context.getStore() ?? new Map())),
  bind: <T>(callback: T) => callback,
});

const mode: GateMode | undefined = job.target.readOnly ? 'readTransaction' : job.commit ? undefined : 'rollback';
const refusals: string[] = [];

/**
 * The SQL of a mysql2 command: Query and Execute carry it as `sql`, Prepare as `query`. Anything else (a ping, a
 * connection reset that would end the READ ONLY session, a change of user, a binlog dump) has none: undefined.
 */
function sqlOf(command: unknown): string | undefined {
  if (typeof command !== 'object' || command === null) return undefined;
  if ('sql' in command && typeof command.sql === 'string') return command.sql;
  return 'query' in command && typeof command.query === 'string' ? command.query : undefined;
}

/**
 * Puts the gate in front of the connection's addCommand(), which every query(), execute() and prepare() on it goes
 * through (and anything that builds commands of its own): a refused statement throws there and never reaches the
 * server. (Code that writes raw bytes on the socket, or opens a connection of its own, is beyond any gate: a snippet
 * is JavaScript running with the extension's rights, and a read-only connection's server-side READ ONLY session still
 * holds for everything sent through the protocol's own commands.)
 */
function guard(connection: Connection, dialect: SqlDialect, gate: GateMode): void {
  const original: unknown = Reflect.get(connection, 'addCommand');
  if (typeof original !== 'function') throw new Error('This mysql2 version has no Connection.addCommand: the scratchpad cannot check what a snippet sends.');
  Object.defineProperty(connection, 'addCommand', {
    configurable: true,
    writable: true,
    value: (command: unknown): unknown => {
      if (internal.getStore()) return Reflect.apply(original, connection, [command]);
      const sql = sqlOf(command);
      const verdict = sql === undefined ? { ok: false as const, reason: 'only SQL statements may be sent, not other protocol commands' } : checkStatement(sql, dialect, gate);
      if (verdict.ok) return Reflect.apply(original, connection, [command]);
      const why = job.target.readOnly ? `the connection is read-only, and ${verdict.reason}` : verdict.reason;
      refusals.push(sql === undefined ? `a protocol command (${why})` : `${sql.slice(0, 200)} (${why})`);
      throw new DriverError(job.target.readOnly ? 'readOnly' : 'config', `Refused: ${why}.`);
    },
  });
}

type Snippet = (sequelize: Sequelize, models: LiveModels['models'], op: typeof Op, console: Pick<Console, 'log'>) => Promise<unknown>;
const AsyncFunction: new (...args: string[]) => Snippet = Object.getPrototypeOf(async () => undefined).constructor;

function compile(code: string, language: ScratchpadJob['language']): Snippet {
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

/** Plain data: model instances become their attribute values, bytes 0x hex, big integers text. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function' && !Buffer.isBuffer(value)) return value.toJSON() as unknown;
  return value;
}
const json = (value: unknown): string | undefined => JSON.stringify(plain(value), (_key, v: unknown) => {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object' && v !== null && 'type' in v && v.type === 'Buffer' && 'data' in v && Array.isArray(v.data)) return `0x${Buffer.from(v.data).toString('hex')}`;
  return v;
});

async function main(): Promise<void> {
  const snippet = compile(job.code, job.language);
  const live = liveModels(job.target, job.graph, async (connection) => {
    if (mode) guard(connection, await sessionDialect(connection.promise()), mode);
  });
  try {
    const transaction: Transaction = await own(() => live.sequelize.transaction());
    const connection: unknown = Reflect.get(transaction, 'connection');
    const threadId: unknown = typeof connection === 'object' && connection !== null ? Reflect.get(connection, 'threadId') : undefined;
    if (typeof threadId === 'number') post({ type: 'thread', id: threadId });
    const print = (line: string): void => post({ type: 'print', line });
    const log = { log: (...args: unknown[]) => print(args.map((a) => (typeof a === 'string' ? a : json(a) ?? String(a))).join(' ')) };
    try {
      const value = await sqlListener.run((sql) => print(`-- ${sql}`), () => context.run(new Map([['transaction', transaction]]), () => snippet(live.sequelize, live.models, Op, log)));
      if (refusals.length) throw refusedError();
      await own(() => (job.commit ? transaction.commit() : transaction.rollback()));
      post({ type: 'done', value: json(value), committed: job.commit });
    } catch (error) {
      await own(() => transaction.rollback()).catch(() => undefined);
      throw error;
    }
  } finally {
    await own(() => live.sequelize.close()).catch(() => undefined);
  }
}

/** A snippet that sent a refused statement fails as a whole, even where it caught the error and carried on. */
function refusedError(): DriverError {
  const one = refusals.length === 1;
  return new DriverError(job.target.readOnly ? 'readOnly' : 'config', `The snippet sent ${one ? 'a statement' : `${refusals.length} statements`} that ${one ? 'was' : 'were'} refused, so everything was rolled back: ${refusals.join('; ')}.`);
}

main().catch((error: unknown) => {
  const failure = refusals.length ? refusedError() : error;
  post({ type: 'failed', code: isDriverError(failure) ? failure.code : 'server', message: messageOf(failure) });
});
