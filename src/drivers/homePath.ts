import { homedir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * Paths under the home directory are kept as "~/…", so that a connection synced to another machine, or defined in a
 * shared workspace file, finds the key or certificate in that machine's own home; they are expanded where the
 * extension runs (the remote side under Remote-SSH, WSL or code-server).
 */
export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') || path.startsWith('~\\') ? join(homedir(), path.slice(2)) : path;
}

/** The path with this machine's home directory written as "~". */
export function portablePath(path: string, home = homedir()): string {
  if (!home) return path;
  if (path === home) return '~';
  return path.startsWith(`${home}${sep}`) ? `~/${path.slice(home.length + 1).split(sep).join('/')}` : path;
}

/** A form's optional path field, kept portable (undefined stays undefined). */
export function portableField(path: string | undefined): string | undefined {
  return path === undefined ? undefined : portablePath(path);
}
