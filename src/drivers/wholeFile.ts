import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/**
 * Writes a file that is either whole or not there: `write` fills a hidden temporary file beside `path` (readable by
 * the user alone: a dump holds a database's data), which is renamed over `path` only once `write` has succeeded and
 * every byte is on disk. A failure, a cancel or a full disk removes the temporary file and leaves `path` as it was.
 */
export async function writeWholeFile<T>(path: string, write: (out: Writable) => Promise<T>): Promise<T> {
  const partial = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  let failed = (_error: Error): void => undefined;
  const broken = new Promise<never>((_resolve, reject) => (failed = reject));
  broken.catch(() => undefined);
  out.on('error', (error) => failed(error));
  try {
    const result = await Promise.race([write(out), broken]);
    out.end();
    await finished(out);
    await rename(partial, path);
    return result;
  } catch (error) {
    // Closed first, so that the file is not created (by a still pending open) after it was removed.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()).destroy());
    await rm(partial, { force: true });
    throw error;
  }
}
