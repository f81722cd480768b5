import type Redis from 'ioredis';
import { isCluster, RedisClient } from './client';
import { quiet } from './connection';

/** How long a cancelled operation may take to stop by itself before its connections are dropped. */
export const CANCEL_GRACE_MS = 1000;

/**
 * Runs a long operation (a scan, an export) on connections of its own: one to the database, or one to each master of
 * a cluster. Cancelling gives it a moment to stop between commands, then drops those connections, so an operation
 * waiting on a server that stopped answering ends too, and the session's other connections are not touched. The
 * operation sees its pending command fail with the signal aborted, and ends with what it had done.
 */
export async function withOwnConnections<T>(client: RedisClient, db: number, guard: (server: Redis) => Redis, signal: AbortSignal | undefined, work: (servers: Redis[]) => Promise<T>): Promise<T> {
  const servers = (isCluster(client) ? client.nodes('master').map((node) => node.duplicate()) : [client.duplicate({ db })]).map((server) => guard(quiet(server)));
  let timer: NodeJS.Timeout | undefined;
  const drop = (): void => {
    timer = setTimeout(() => {
      for (const server of servers) {
        // Destroyed, not ended: a server that answers nothing would not close its side, and the command would wait.
        server.stream?.destroy();
        server.disconnect();
      }
    }, CANCEL_GRACE_MS);
  };
  if (signal?.aborted) drop();
  else signal?.addEventListener('abort', drop, { once: true });
  try {
    return await work(servers);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', drop);
    for (const server of servers) server.disconnect();
  }
}
