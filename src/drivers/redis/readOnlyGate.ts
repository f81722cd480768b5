import type Redis from 'ioredis';
import { Command } from 'ioredis';
import type { Cluster } from 'ioredis';
import { isCluster, RedisClient } from './client';
import { DriverError } from '../errors';

/** A command as the server describes it (COMMAND INFO): its own name, its flags, its subcommands. */
interface CommandEntry {
  readonly name: string;
  readonly flags: ReadonlySet<string>;
  readonly subcommands: ReadonlyMap<string, CommandEntry>;
}

/**
 * Commands the server does not flag `readonly` that still change no data: they read server state, or set up or end
 * this connection alone. Named by the server's own name for the command, which a renamed command keeps — so renaming
 * FLUSHALL to PING does not make it PING here. Transactions are safe because every command queued in one passed this
 * gate when it was sent; subscribing only receives.
 */
const CHANGES_NO_DATA = new Set([
  'ping', 'echo', 'time', 'info', 'select', 'multi', 'exec', 'discard', 'watch', 'unwatch',
  'command', 'command|info', 'command|docs', 'command|count', 'command|list', 'command|getkeys', 'command|getkeysandflags',
  'config|get', 'client|list', 'client|info', 'client|getname', 'client|id', 'client|trackinginfo', 'client|getredir',
  'slowlog|get', 'slowlog|len', 'memory|stats', 'memory|doctor', 'acl|whoami', 'acl|cat',
  'cluster|info', 'cluster|nodes', 'cluster|slots', 'cluster|shards', 'cluster|myid', 'cluster|keyslot', 'cluster|countkeysinslot', 'cluster|getkeysinslot',
  'pubsub|channels', 'pubsub|numsub', 'pubsub|numpat', 'pubsub|shardchannels', 'pubsub|shardnumsub',
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe',
  'script|exists', 'function|list', 'function|stats',
]);

/** Read-only twins of commands that write or may write, named in the refusal. */
const READ_ONLY_TWIN: Readonly<Record<string, string>> = {
  eval: 'EVAL_RO', evalsha: 'EVALSHA_RO', fcall: 'FCALL_RO', sort: 'SORT_RO', georadius: 'GEORADIUS_RO', georadiusbymember: 'GEORADIUSBYMEMBER_RO',
};

/**
 * What the client library itself sends to keep a connection up (log in, choose the database, name the connection,
 * check readiness, learn a cluster's slots), and the COMMAND INFO this gate asks. Allowed on the session's own
 * connections, never for a command a user typed: those pass `check` first.
 */
const UPKEEP = new Set(['auth', 'hello', 'select', 'info', 'ping', 'readonly', 'quit', 'command|info', 'client|setname', 'client|setinfo', 'cluster|slots', 'cluster|nodes', 'cluster|shards', 'cluster|info']);

/** What the driver's own read paths send: looked up when the session starts, so its connections can be checked at once. */
const DRIVER_READS = [
  'type', 'pttl', 'memory', 'scan', 'hscan', 'sscan', 'zscan', 'zrange', 'lrange', 'lindex', 'xrange', 'xinfo', 'xlen', 'hlen', 'scard', 'zcard', 'llen',
  'strlen', 'getrange', 'get', 'hget', 'hstrlen', 'exists', 'dbsize', 'slowlog', 'client', 'config', 'cluster', 'info', 'ping', 'select', 'dump',
  'object', 'pexpiretime', 'xpending', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe', 'eval_ro', 'evalsha_ro', 'script',
];

const lower = (text: string): string => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
const textOf = (arg: unknown): string | undefined => (typeof arg === 'string' ? arg : Buffer.isBuffer(arg) ? arg.toString('utf8') : typeof arg === 'number' ? String(arg) : undefined);

function parseEntry(raw: unknown): CommandEntry | undefined {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string') return undefined;
  const flags = new Set(Array.isArray(raw[2]) ? raw[2].map(String) : []);
  const subcommands = new Map<string, CommandEntry>();
  // Redis 7 lists subcommands tenth ("config|get" ...); older servers describe only the container, and a container's
  // own flags allow nothing, so their subcommands are refused rather than guessed.
  for (const sub of Array.isArray(raw[9]) ? raw[9] : []) {
    const entry = parseEntry(sub);
    if (entry) subcommands.set(entry.name.slice(entry.name.indexOf('|') + 1), entry);
  }
  return { name: lower(raw[0]), flags, subcommands };
}

/**
 * The one read-only gate of a Redis session: a read-only connection sends only commands the server itself flags
 * `readonly` (asked with COMMAND INFO under the name typed, subcommand by subcommand), the few above that change no
 * data, and scripts only as EVAL_RO / EVALSHA_RO / FCALL_RO, which the server keeps from writing. Commands the server
 * does not know (misspelt, renamed away, from a module it lacks) are refused: nothing vouches for them. Every
 * connection of the session is guarded too, so no path — console, panels, editor documents, publish — sends
 * anything this gate has not allowed.
 */
export class ReadOnlyGate {
  /** By the name a command is sent under, lower case; undefined when the server knows no such command. */
  private readonly entries = new Map<string, CommandEntry | undefined>();
  private readonly guarded = new WeakSet<object>();

  constructor(private readonly lookup: RedisClient, private readonly profileName: string) {}

  /** Learns the commands the driver's own read paths use. */
  async start(): Promise<void> {
    await this.learn(DRIVER_READS);
  }

  private async learn(names: readonly string[]): Promise<void> {
    const missing = [...new Set(names.map(lower))].filter((name) => !this.entries.has(name));
    if (missing.length === 0) return;
    let reply: unknown;
    try {
      reply = await this.lookup.call('COMMAND', 'INFO', ...missing);
    } catch (error) {
      throw new DriverError('readOnly', `"${this.profileName}" is a read-only connection, and the server did not say which commands only read (COMMAND INFO: ${error instanceof Error ? error.message : String(error)}).`, 'Allow this user COMMAND INFO, or use a connection that is not read-only.', { cause: error });
    }
    const list = Array.isArray(reply) ? reply : [];
    missing.forEach((name, i) => this.entries.set(name, parseEntry(list[i])));
  }

  /** Refuses a command a user or a panel is about to send, unless it only reads; asks the server about new names. */
  async check(args: readonly Buffer[]): Promise<void> {
    const name = textOf(args[0]);
    if (name !== undefined && !name.includes('|')) await this.learn([name]);
    const refusal = this.refusal(name, textOf(args[1]));
    if (refusal) throw refusal;
  }

  /** Refuses an operation that writes by its nature (saving, deleting, publishing), whatever command it uses. */
  write(action: string): void {
    throw new DriverError('readOnly', `${action} refused: "${this.profileName}" is a read-only connection.`, 'Only a writable connection changes data.');
  }

  /** Why a command may not be sent, from what the server said about it; undefined when it only reads. */
  private refusal(name: string | undefined, firstArg: string | undefined, upkeep = false): DriverError | undefined {
    const typed = name ?? '';
    const shown = `${typed.toUpperCase()}${firstArg !== undefined ? ` ${firstArg.toUpperCase()}` : ''}`.slice(0, 80);
    const entry = typed.includes('|') ? undefined : this.entries.get(lower(typed));
    if (upkeep && (UPKEEP.has(lower(typed)) || (firstArg !== undefined && UPKEEP.has(`${lower(typed)}|${lower(firstArg)}`)))) return undefined;
    if (!entry) {
      const why = this.entries.has(lower(typed)) || typed.includes('|') ? 'the server knows no command of that name, so nothing says it only reads' : 'it is not among the commands checked to only read';
      return new DriverError('readOnly', `${typed.toUpperCase().slice(0, 80)} refused: "${this.profileName}" is a read-only connection, and ${why}.`);
    }
    let command = entry;
    if (entry.subcommands.size && firstArg !== undefined) {
      const sub = entry.subcommands.get(lower(firstArg));
      if (!sub) return new DriverError('readOnly', `${shown} refused: "${this.profileName}" is a read-only connection, and the server knows no such subcommand.`);
      command = sub;
    }
    if ((command.flags.has('readonly') && !command.flags.has('write')) || CHANGES_NO_DATA.has(command.name) || command.name.endsWith('|help')) return undefined;
    const twin = READ_ONLY_TWIN[command.name];
    const flags = [...command.flags].filter((flag) => ['write', 'admin', 'pubsub', 'denyoom', 'may_replicate'].includes(flag));
    return new DriverError('readOnly', `${command === entry ? typed.toUpperCase() : shown} refused: "${this.profileName}" is a read-only connection and the server does not flag it readonly${flags.length ? ` (its flags: ${flags.join(', ')})` : ''}.${twin ? ` ${twin} is its read-only form.` : ''}`,
      twin ? 'Run the read-only form instead.' : 'Only commands that read run on a read-only connection; a writable one changes data.');
  }

  /**
   * Checks everything a connection sends against what the gate has allowed: a command no path checked first is
   * refused before it leaves. Cluster nodes are guarded as the cluster finds them.
   */
  guard<C extends RedisClient>(client: C): C {
    if (this.guarded.has(client)) return client;
    this.guarded.add(client);
    if (isCluster(client)) {
      this.guardCluster(client);
      return client;
    }
    const send = client.sendCommand.bind(client);
    client.sendCommand = (command, stream) => {
      if (!this.refuse(command)) return send(command, stream);
      // In a pipeline or transaction the library writes every queued command before any goes out, and pairs replies
      // with commands by their order: a harmless PING takes the refused command's place, so the batch still goes and
      // every other reply still reaches its own command.
      return stream ? send(new Command('ping'), stream) : command.promise;
    };
    return client;
  }

  private guardCluster(cluster: Cluster): void {
    const send = cluster.sendCommand.bind(cluster);
    cluster.sendCommand = (command, stream, node: unknown) => (!this.refuse(command) ? send(command, stream, node) : stream ? send(new Command('ping'), stream, node) : command.promise);
    for (const node of cluster.nodes()) this.guard(node);
    cluster.on('+node', (node: Redis) => this.guard(node));
  }

  /** Rejects a command the gate does not allow, with the reason; false lets it go. */
  private refuse(command: Command): boolean {
    const refusal = this.refusal(command.name, textOf(command.args[0]), true);
    if (refusal) command.reject(refusal);
    return refusal !== undefined;
  }
}
