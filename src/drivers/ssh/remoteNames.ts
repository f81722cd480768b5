/**
 * Names a server sends (READDIR replies) are data: each must be one plain path component before it is joined to any
 * path, local or remote. A lying server can send "../../x", "a/b" or "." just as easily as a real file name.
 */

/** A name that was refused, with the reason in words. */
export interface RefusedName {
  readonly name: string;
  readonly problem: string;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Characters Windows does not allow in a file name, control characters included.
const WINDOWS_FORBIDDEN = /[<>:"\\|?*\u0000-\u001f]/;

/** Why `name` is not one plain path component on a POSIX server, or undefined when it is. */
export function remoteNameProblem(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  if (name === '.' || name === '..') return `"${name}" names a folder itself, not an entry in it`;
  if (name.includes('/')) return 'the name contains "/"';
  if (name.includes('\0')) return 'the name contains a NUL byte';
  // ssh2 decodes names as UTF-8; bytes that are not UTF-8 arrive as U+FFFD, and that text names another file.
  if (name.includes('\ufffd')) return 'the name is not valid UTF-8, so it cannot be named exactly';
  return undefined;
}

/** Why `name` cannot be one file name on this machine (as well as on the server), or undefined when it can. */
export function localNameProblem(name: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const remote = remoteNameProblem(name);
  if (remote || platform !== 'win32') return remote;
  if (WINDOWS_FORBIDDEN.test(name)) return 'the name contains a character Windows does not allow in file names';
  if (WINDOWS_RESERVED.test(name)) return `"${name}" is a device name on Windows`;
  if (/[. ]$/.test(name)) return 'Windows drops a trailing dot or space, so the name would change';
  return undefined;
}

/** A name as it can be shown in one line: control characters and the like escaped, so it reads as what it is. */
export function shownName(name: string): string {
  return JSON.stringify(name).slice(1, -1);
}
