import { EventEmitter } from 'node:events';
import type { Connection as CoreConnection } from 'mysql2';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { DriverError } from '../errors';
import { ident } from './identifier';

/**
 * Every MySQL operation ends: a server that stops answering (no reset, no bytes) would otherwise leave a promise
 * pending for as long as the socket stays open. An operation whose server sends nothing for its time limit, or that is
 * cancelled, is first stopped the polite way (KILL QUERY from another connection); if that does not end it within a
 * grace period (the server is not answering anyone), its connection is dropped, and the pool opens a new one for the
 * next operation.
 */

/**
 * Pooled connections whose session is no longer the one the pool opened: another default database (USE), or a user's
 * own statements (variables, transactions, locks). They are closed instead of being given back, so that the next
 * operation, which may run unqualified SQL expecting the connection's own database, never inherits them.
 */
const changedSessions = new WeakSet<CoreConnection>();

/** Makes `database` the default of this operation's connection; the connection is then not reused after it. */
export async function useDatabase(connection: PoolConnection, database: string): Promise<void> {
  changedSessions.add(coreOf(connection));
  await connection.query(`USE ${ident(database)}`);
}

/** The connection will run statements the user typed: whatever they change, it is not reused after it. */
export function sessionWillChange(connection: PoolConnection): void {
  changedSessions.add(coreOf(connection));
}

/** Ends an operation's hold on a pooled connection: back to the pool, or closed if its session was changed. */
export function giveBack(connection: PoolConnection): void {
  if (changedSessions.has(coreOf(connection))) connection.destroy();
  else connection.release();
}

/** How long KILL QUERY gets to end a statement before its connection is dropped. */
export const GRACE_MS = 2000;

/** The server end of a pooled connection: its socket (for activity) and thread id (for KILL). */
export function coreOf(connection: PoolConnection): CoreConnection {
  // The promise wrapper's typings describe `.connection` as a promise connection; at run time it is the core one.
  return connection.connection as unknown as CoreConnection;
}

/** Calls `onSilent` whenever the connection's socket has received nothing for `ms`; returns the function that stops watching. */
export function onSilence(core: CoreConnection, ms: number, onSilent: () => void): () => void {
  // mysql2 keeps the socket as `stream`, outside its typings.
  const socket: unknown = Reflect.get(core, 'stream');
  // Called again after each further `ms` of silence, until stopped.
  const fire = (): void => {
    timer = setTimeout(fire, ms);
    onSilent();
  };
  let timer = setTimeout(fire, ms);
  const heard = (): void => {
    clearTimeout(timer);
    timer = setTimeout(fire, ms);
  };
  if (socket instanceof EventEmitter) socket.on('data', heard);
  return () => {
    clearTimeout(timer);
    if (socket instanceof EventEmitter) socket.removeListener('data', heard);
  };
}

/**
 * Watches a running operation on `connection`: after `ms` of silence it sends KILL QUERY and, if the operation has
 * not ended `GRACE_MS` later, drops the connection and calls `onDropped`. `stop()` (the operation ended) cancels both;
 * `now()` starts the same from the kill at once (a cancel).
 */
export function watchdog(pool: Pool, connection: PoolConnection, ms: number, onDropped: () => void, onSilent?: () => void): { stop(): void; now(): void; readonly dropped: boolean } {
  const core = coreOf(connection);
  let grace: NodeJS.Timeout | undefined;
  let dropped = false;
  let unwatch = (): void => undefined;
  const now = (): void => {
    unwatch();
    if (grace) return;
    void killQuery(pool, core.threadId ?? undefined);
    grace = setTimeout(() => {
      dropped = true;
      connection.destroy();
      onDropped();
    }, GRACE_MS);
  };
  unwatch = onSilence(core, ms, () => {
    onSilent?.();
    now();
  });
  return {
    stop: () => {
      unwatch();
      clearTimeout(grace);
    },
    now,
    get dropped() {
      return dropped;
    },
  };
}

/**
 * Sends KILL QUERY (or, with `connection`, KILL: the connection too, which rolls back its transaction) for a thread
 * from another connection; gives up, dropping that connection too, after `GRACE_MS`.
 */
export async function killQuery(pool: Pool, threadId: number | undefined, what: 'query' | 'connection' = 'query'): Promise<void> {
  if (threadId === undefined) return;
  let killer: PoolConnection | undefined;
  const timer = setTimeout(() => killer?.destroy(), GRACE_MS);
  try {
    killer = await pool.getConnection();
    await killer.query(`KILL ${what === 'query' ? 'QUERY ' : ''}${Number(threadId)}`);
    killer.release();
  } catch {
    killer?.destroy();
  } finally {
    clearTimeout(timer);
  }
}

/** `work`, or `late()` thrown once `ms` have passed without it settling. */
export async function within<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(late()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export function stalled(endpoint: string, seconds: number, what: string): DriverError {
  return new DriverError('timeout', `MySQL at ${endpoint} sent nothing for ${seconds} s while ${what}, so it was stopped and its connection dropped.`,
    'If the server is busy or unreachable, try again later; the next operation opens a new connection. The limit is the query timeout.');
}

/**
 * A pooled connection within `timeoutMs`: a new one is bounded by connectTimeout, but the pool may be waiting on
 * others, and a server that accepts connections without answering never greets. One that comes too late is released.
 */
export async function acquire(pool: Pool, endpoint: string, timeoutMs: number, what: string): Promise<PoolConnection> {
  const started = pool.getConnection();
  let late = false;
  let waiting: NodeJS.Timeout | undefined;
  started.then((connection) => late && connection.release(), () => undefined);
  try {
    return await Promise.race([started, new Promise<never>((_resolve, reject) => {
      waiting = setTimeout(() => {
        late = true;
        reject(stalled(endpoint, timeoutMs / 1000, what));
      }, timeoutMs);
    })]);
  } catch (error) {
    late = true;
    if (error instanceof Error && 'code' in error && error.code === 'ETIMEDOUT') throw stalled(endpoint, timeoutMs / 1000, what);
    throw error;
  } finally {
    clearTimeout(waiting);
  }
}

/**
 * Runs `work` on a pooled connection of its own, bounded by `timeoutMs` of silence from the server: past it the
 * statement is killed, and after the grace period its connection is dropped and the operation fails naming `what`.
 * With `keep`, the connection is not released after a successful `work`: the caller owns it from then on.
 */
export async function bounded<T>(pool: Pool, endpoint: string, timeoutMs: number, what: string, work: (connection: PoolConnection) => Promise<T>, keep = false): Promise<T> {
  const connection = await acquire(pool, endpoint, timeoutMs, what);
  let fail = (_error: Error): void => undefined;
  const silent = new Promise<never>((_resolve, reject) => (fail = reject));
  silent.catch(() => undefined);
  const dog = watchdog(pool, connection, timeoutMs, () => fail(stalled(endpoint, timeoutMs / 1000, what)));
  try {
    return await Promise.race([work(connection), silent]);
  } catch (error) {
    if (keep && !dog.dropped) giveBack(connection);
    throw error;
  } finally {
    dog.stop();
    // `keep`: the caller holds on to the connection once `work` succeeded.
    if (!keep && !dog.dropped) giveBack(connection);
  }
}
