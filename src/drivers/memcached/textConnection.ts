import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { shareTheLoop } from '../loopShare';

/** Lines that end a reply in memcached's text protocol. */
const TERMINAL = /^(END|BUSY.*|VERSION .*|STORED|NOT_STORED|EXISTS|NOT_FOUND|DELETED|TOUCHED|OK|RESET|ERROR|CLIENT_ERROR.*|SERVER_ERROR.*|\d+)$/;

export class MemcachedReplyError extends Error {
  override readonly name = 'MemcachedReplyError';
}

/** One item of a get/gets reply. `data` holds the exact bytes. */
export interface ValueBlock {
  readonly key: string;
  readonly flags: number;
  readonly data: Buffer;
  readonly cas?: string;
}

export interface Reply {
  readonly lines: string[];
  readonly values: ValueBlock[];
}

interface Pending {
  readonly lines: string[];
  readonly values: ValueBlock[];
  readonly multiLine: boolean;
  /** Streaming requests hand each line over instead of collecting it. */
  readonly onLine?: (line: string) => void;
  /** Called as data arrives, so a long stream is not timed out while it flows. */
  readonly alive?: () => void;
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/**
 * One text-protocol connection to one memcached server; requests are answered in order, one at a time.
 * Bytes are kept as latin1 text, which maps each byte to one character, so values survive exactly.
 */
export class TextConnection {
  private buffer = '';
  private block: { key: string; flags: number; bytes: number; cas?: string } | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  private readonly closeListeners: ((error: Error | undefined) => void)[] = [];

  private constructor(private readonly socket: Duplex) {
    socket.setEncoding('latin1');
    shareTheLoop(socket);
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
        socket.setNoDelay(true);
        resolve(new TextConnection(socket));
      });
    });
  }

  /** A connection over a stream already open to the server (an SSH channel). */
  static over(stream: Duplex): TextConnection {
    return new TextConnection(stream);
  }

  /**
   * Sends one command (its data block included) and resolves with the reply.
   * A single-line reply ends at its first line, whatever it says, so a server of another kind cannot stall it.
   * With `onLine`, lines are streamed to it and not kept; `signal` abandons the request (the connection is closed).
   */
  request(command: string, timeoutMs: number, options: { multiLine?: boolean; onLine?: (line: string) => void; signal?: AbortSignal } = {}): Promise<Reply> {
    const run = (): Promise<Reply> =>
      new Promise<Reply>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        if (options.signal?.aborted) return reject(new MemcachedReplyError('cancelled'));
        let timer: NodeJS.Timeout | undefined;
        const arm = (): void => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            this.pending = undefined;
            reject(Object.assign(new Error(`no reply to "${command.split(' ')[0]}" within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
            this.socket.destroy();
          }, timeoutMs);
        };
        const abort = (): void => {
          clearTimeout(timer);
          this.pending = undefined;
          reject(new MemcachedReplyError('cancelled'));
          this.socket.destroy();
        };
        options.signal?.addEventListener('abort', abort, { once: true });
        const done = (): void => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', abort);
        };
        arm();
        this.pending = {
          lines: [],
          values: [],
          multiLine: options.multiLine ?? true,
          ...(options.onLine ? { onLine: options.onLine, alive: arm } : {}),
          resolve: (reply) => (done(), resolve(reply)),
          reject: (error) => (done(), reject(error)),
        };
        this.socket.write(`${command}\r\n`, 'latin1');
      });
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** `stats [group]` as name/value pairs. */
  async stats(group: string | undefined, timeoutMs: number): Promise<Map<string, string>> {
    const { lines } = await this.request(group ? `stats ${group}` : 'stats', timeoutMs);
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
    this.pending?.alive?.();
    this.buffer += chunk;
    let position = 0;
    for (;;) {
      if (this.block) {
        const end = position + this.block.bytes;
        if (this.buffer.length < end + 2) break;
        const { key, flags, cas } = this.block;
        this.pending?.values.push({ key, flags, data: Buffer.from(this.buffer.slice(position, end), 'latin1'), ...(cas ? { cas } : {}) });
        this.block = undefined;
        position = end + 2;
        continue;
      }
      // Replies end lines with \r\n, but lru_crawler metadump ends its lines with a bare \n.
      const index = this.buffer.indexOf('\n', position);
      if (index < 0) break;
      const line = this.buffer.slice(position, index > position && this.buffer.charCodeAt(index - 1) === 13 ? index - 1 : index);
      position = index + 1;
      const pending = this.pending;
      if (!pending) continue;
      // A streamed metadump line goes straight through: no reply pattern can start with "key=".
      if (pending.onLine && line.startsWith('key=')) {
        pending.onLine(line);
        continue;
      }
      // Keys are bytes above 0x20 shown as latin1: 0xa0 is a JavaScript \s, so only the space separates fields.
      const value = /^VALUE ([^ ]+) (\d+) (\d+)(?: (\d+))?$/.exec(line);
      if (value && pending.multiLine) {
        this.block = { key: value[1]!, flags: Number(value[2]), bytes: Number(value[3]), ...(value[4] ? { cas: value[4] } : {}) };
        continue;
      }
      if (!pending.multiLine || TERMINAL.test(line)) {
        pending.lines.push(line);
        this.pending = undefined;
        pending.resolve({ lines: pending.lines, values: pending.values });
      } else if (pending.onLine) {
        pending.onLine(line);
      } else {
        pending.lines.push(line);
      }
    }
    this.buffer = this.buffer.slice(position);
    // A reply with no line break in its first 4 KiB is not memcached talking.
    if (!this.block && this.buffer.length > 4096 && this.pending?.lines.length === 0 && !this.pending.onLine) {
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
