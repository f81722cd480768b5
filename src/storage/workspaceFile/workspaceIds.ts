import { createHash } from 'node:crypto';

const PREFIX = 'ws-';

/**
 * The ids of workspace connections: "ws-<folder>-<id in the file>", the folder part a hash of the folder's URI, so
 * that two workspaces' "cache" are two connections with two passwords, and none is ever one of the user's own
 * (ProfileStore refuses ids that start like this, and an import gives such an entry a fresh id).
 */
export function workspaceRuntimeId(folderUri: string, localId: string): string {
  return `${PREFIX}${createHash('sha256').update(folderUri).digest('hex').slice(0, 12)}-${localId}`;
}

export function isWorkspaceId(id: string): boolean {
  return id.startsWith(PREFIX);
}
