import type { Connection as CoreConnection } from 'mysql2';

export const CONNECTION_LOST = 'PROTOCOL_CONNECTION_LOST';

/**
 * Calls `onLost` when the server goes away under a streaming query: mysql2 then errors the connection but leaves the
 * running query without an 'error' or 'end' of its own. Returns the function that stops watching.
 */
export function onConnectionLost(core: CoreConnection, onLost: (error: Error) => void): () => void {
  const lost = (error?: Error): void => onLost(Object.assign(new Error(error?.message ?? 'the server closed the connection'), { code: CONNECTION_LOST }));
  const onError = (error: Error): void => lost(error);
  const onEnd = (): void => lost();
  core.once('error', onError);
  core.once('end', onEnd);
  return () => {
    core.removeListener('error', onError);
    core.removeListener('end', onEnd);
  };
}
