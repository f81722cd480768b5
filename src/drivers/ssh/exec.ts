import { Client } from 'ssh2';

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

export interface ExecExit {
  readonly code: number | null;
  readonly signal?: string;
}

/** Runs a command and streams its output as it arrives; `signal` aborts it (the channel is closed). */
export function execStream(
  client: Client,
  command: string,
  onStdout: (chunk: Buffer) => void,
  onStderr: (chunk: Buffer) => void,
  signal?: AbortSignal,
): Promise<ExecExit> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let exit: ExecExit = { code: null };
      const abort = (): void => {
        stream.signal('TERM');
        stream.close();
      };
      signal?.addEventListener('abort', abort, { once: true });
      stream.on('exit', (code: number | null, exitSignal?: string) => (exit = { code, ...(exitSignal ? { signal: exitSignal } : {}) }));
      stream.on('data', onStdout);
      stream.stderr.on('data', onStderr);
      stream.on('close', () => {
        signal?.removeEventListener('abort', abort);
        resolve(exit);
      });
    });
  });
}

/** Runs a command and collects its (small) output as UTF-8 text. */
export async function execText(client: Client, command: string): Promise<ExecResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const { code } = await execStream(client, command, (c) => out.push(c), (c) => err.push(c));
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code };
}
