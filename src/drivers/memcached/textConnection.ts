import { connect, Socket } from 'node:net';

/** Lines that end a reply in memcached's text protocol. */
const TERMINAL = /^(END|VERSION .*|STORED|NOT_STORED|EXISTS|NOT_FOUND|DELETED|TOUCHED|OK|RESET|ERROR|CLIENT_ERROR.*|SERVER_ERROR.*|\d+)$/;

export class MemcachedReplyError extends Error {
  override readonly name = 'MemcachedReplyError';
}

/**
 * One text-protocol connection to one memcached server: requests are answered in order, one at a time.
 * The text protocol is the only one with key listing (metadump, cachedump) and ASCII auth (-Y).
 */
export class TextConnection {
  private buffer = '';
  private pending: { lines: string[]; multiLine: boolean; resolve: (lines: string[]) => void; reject: (error: Error) => void } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  private closeListeners: ((error: Error | undefined) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new MemcachedReplyError('connection closed by the server')));
  }

  static open(host: string, port: number, timeoutMs: number): Promise<TextConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new TextConnection(socket));
      });
    });
  }

  /**
   * Sends one command and resolves with the reply's lines (the terminal line included).
   * A single-line reply ends at its first line, whatever it says, so a server of another kind cannot stall it.
   */
  request(command: string, timeoutMs: number, multiLine = true): Promise<string[]> {
    const run = (): Promise<string[]> =>
      new Promise<string[]>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        const timer = setTimeout(() => {
          this.pending = undefined;
          reject(Object.assign(new Error(`no reply to "${command.split(' ')[0]}" within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
          this.socket.destroy();
        }, timeoutMs);
        this.pending = {
          lines: [],
          multiLine,
          resolve: (lines) => {
            clearTimeout(timer);
            resolve(lines);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        this.socket.write(`${command}\r\n`, 'latin1');
      });
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** `stats [group]` as name/value pairs. */
  async stats(group: string | undefined, timeoutMs: number): Promise<Map<string, string>> {
    const lines = await this.request(group ? `stats ${group}` : 'stats', timeoutMs);
    expectEnd(lines);
    const stats = new Map<string, string>();
    for (const line of lines) {
      const match = /^STAT (\S+) (.*)$/.exec(line);
      if (match) stats.set(match[1]!, match[2]!);
    }
    return stats;
  }

  onClose(listener: (error: Error | undefined) => void): void {
    this.closeListeners.push(listener);
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let index: number;
    while ((index = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, index);
      this.buffer = this.buffer.slice(index + 2);
      const pending = this.pending;
      if (!pending) continue;
      pending.lines.push(line);
      if (!pending.multiLine || TERMINAL.test(line)) {
        this.pending = undefined;
        pending.resolve(pending.lines);
      }
    }
    // A reply with no line break in its first 4 KiB is not memcached talking.
    if (this.buffer.length > 4096 && this.pending?.lines.length === 0) {
      this.fail(new MemcachedReplyError(`unexpected reply "${this.buffer.slice(0, 40)}"`));
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.pending?.reject(error);
    this.pending = undefined;
    this.socket.destroy();
    for (const listener of this.closeListeners) listener(error);
  }
}

/** Throws the server's error line, if the reply is one. */
export function expectEnd(lines: readonly string[]): void {
  const last = lines[lines.length - 1] ?? '';
  if (last !== 'END') throw new MemcachedReplyError(last || 'empty reply');
}
