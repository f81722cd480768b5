import { isCluster, RedisClient } from './client';
import { DriverError } from '../errors';
import { commandWord } from './cli';
import type { ReadOnlyGate } from './readOnlyGate';
import { CommandDocs, parseCommandDocs } from './commandDocs';

/**
 * Commands that would leave this connection's replies out of step with the commands sent (CLIENT REPLY, HELLO's
 * protocol switch, RESET's silent return to db0) or hold it open for pushes (SUBSCRIBE, MONITOR, replication).
 */
const UNSUPPORTED = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'MONITOR', 'SYNC', 'PSYNC', 'HELLO', 'RESET', 'CLIENT REPLY']);

/**
 * Names the client library rewrites the reply of when they are sent in lower case (HGETALL into an object, XREAD into
 * pairs): the console sends these in upper case, which the library leaves alone, so the reply is printed as the
 * server gave it. The server reads names in any case.
 */
const REWRITTEN_REPLIES = new Set(['hgetall', 'hrandfield', 'xread', 'xreadgroup', 'vsim']);

/**
 * The console behind the Redis CLI terminal: its own connection (SELECT and MULTI stay here); on a read-only
 * connection every command passes the session's read-only gate first.
 */
export class RedisConsole {
  /** `explain`: how the session words a lost or stalled server. */
  constructor(private readonly client: RedisClient, private readonly gate: ReadOnlyGate | undefined, private readonly explain: (error: unknown) => unknown) {}

  /** Refuses what this console will not run (read-only, or a command that breaks the connection); resolves otherwise. */
  async check(args: readonly Buffer[]): Promise<void> {
    const first = (args[0]?.toString('latin1') ?? '').toUpperCase();
    const second = `${first} ${(args[1]?.toString('latin1') ?? '').toUpperCase()}`;
    const unsupported = UNSUPPORTED.has(first) ? first : UNSUPPORTED.has(second) ? second : undefined;
    if (unsupported) throw new DriverError('config', `${unsupported} is not available in this console: it would leave the connection's replies out of step, or hold it open for pushes.`, 'Subscribe through Pub/Sub, or use redis-cli for the rest.');
    commandWord(args[0] ?? Buffer.alloc(0));
    await this.gate?.check(args);
  }

  async run(args: readonly Buffer[]): Promise<unknown> {
    await this.check(args);
    const name = (args[0]?.toString('latin1') ?? '').toUpperCase();
    const [, ...rest] = args;
    // The client library follows the database through a lower-case "select" as it is sent, before the server says
    // whether the index exists, and dials that database again after a reconnect. So the console sends SELECT in upper
    // case, which the library ignores, and tells the library only a database the server accepted.
    const select = name === 'SELECT';
    try {
      const word = commandWord(args[0] ?? Buffer.alloc(0));
      const reply: unknown = await this.client.callBuffer(select || REWRITTEN_REPLIES.has(word) ? name : word, ...rest);
      if (select && rest.length === 1 && rest[0] && !isCluster(this.client)) await this.client.select(rest[0].toString('latin1'));
      return reply;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * The names of the commands the server knows, upper case, for completing what is typed: COMMAND LIST (Redis 7),
   * else the names in COMMAND's table. A server that refuses both gives none (the console then completes nothing).
   */
  async commandNames(): Promise<string[]> {
    const names = (reply: unknown): string[] =>
      Array.isArray(reply) ? reply.flatMap((item: unknown) => {
        const name: unknown = Array.isArray(item) ? item[0] : item;
        return typeof name === 'string' || Buffer.isBuffer(name) ? [name.toString().toUpperCase()] : [];
      }) : [];
    // Through the same checks as a typed command: a read-only connection lets these through as reading nothing.
    const ask = (...words: string[]): Promise<unknown> => this.run(words.map((word) => Buffer.from(word)));
    try {
      const listed = names(await ask('COMMAND', 'LIST'));
      if (listed.length) return [...new Set(listed.filter((name) => !name.includes('|')))].sort();
    } catch {
      // Older servers have no COMMAND LIST: their COMMAND table names every command.
    }
    try {
      return [...new Set(names(await ask('COMMAND')))].sort();
    } catch {
      return [];
    }
  }

  /** The server's COMMAND DOCS (Redis 7), for argument hints; none from a server without it. */
  async commandDocs(): Promise<CommandDocs> {
    try {
      return parseCommandDocs(await this.run([Buffer.from('COMMAND'), Buffer.from('DOCS')]));
    } catch {
      return new Map();
    }
  }

  close(): void {
    this.client.disconnect();
  }
}
