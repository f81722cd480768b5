import type Redis from 'ioredis';
import { keyServers, RedisClient } from './client';
import { displayBytes } from './keys';
import { DriverError, messageOf } from '../errors';

/** One command the server ran, as MONITOR reported it. */
export interface MonitoredCommand {
  /** Milliseconds since the epoch, by the server's clock. */
  readonly at: number;
  readonly db: number;
  /** The client's address, "lua" for a script's own commands, "unix:…" for a socket. */
  readonly client: string;
  readonly command: string;
  /** The arguments as text: UTF-8 where they are, \xHH escapes where not. */
  readonly args: readonly string[];
  /** The server it ran on (one of a cluster's masters). */
  readonly server: string;
}

export type MonitorStop = 'seconds' | 'commands' | 'stopped' | 'lost';

export interface MonitorOptions {
  /** Stops after this many seconds. */
  readonly maxSeconds: number;
  /** Stops after this many commands have been handed over (those the filter let through). */
  readonly maxCommands: number;
  /** Case-insensitive text that the command line must contain; empty for every command. */
  readonly filter: string;
  /** Hands over at most this many commands a second; the rest are counted as dropped. */
  readonly ratePerSecond: number;
  readonly onCommand: (command: MonitoredCommand) => void;
  /** Called once, when the monitor ends for any reason. */
  readonly onStop: (reason: MonitorStop, counts: MonitorCounts) => void;
}

export interface MonitorCounts {
  /** Every command the server reported. */
  readonly seen: number;
  /** Those the filter let through and the rate cap kept. */
  readonly kept: number;
  /** Those the rate cap dropped. */
  readonly dropped: number;
}

/**
 * Undoes the escaping of a MONITOR argument after ioredis' own pass (which turned \" into "): \\ \n \r \t \a \b and
 * \xHH become their bytes again, so an argument is shown as the bytes the client sent, not as the server quoted them.
 */
export function unescapeMonitorArg(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c || i + 1 >= text.length) {
      bytes.push(c & 0xff);
      continue;
    }
    const next = text[i + 1]!;
    const hex = next === 'x' ? /^[0-9a-fA-F]{2}$/.exec(text.slice(i + 2, i + 4)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 3;
      continue;
    }
    const simple: Record<string, number> = { '\\': 0x5c, n: 0x0a, r: 0x0d, t: 0x09, a: 0x07, b: 0x08, '"': 0x22 };
    const byte = simple[next];
    if (byte === undefined) bytes.push(c);
    else {
      bytes.push(byte);
      i++;
    }
  }
  return Buffer.from(bytes);
}

/** What ioredis says of a reply that came with no command waiting for it, the reply's text after it. */
const EARLY_REPLY = /^Command queue state error\. If you can reproduce this, please report it\. Last reply: (.*)$/s;

/**
 * A connection in MONITOR mode. ioredis switches a connection to monitoring only once MONITOR's OK has been handled,
 * a turn later; lines the server sends in the same read as that OK reach it as replies nobody asked for, and it
 * reports each as an error. Those are the first commands monitored: they are read here as ioredis reads the rest.
 */
async function monitorLink(server: Redis, receive: (time: string, args: string[], source: string, database: string) => void): Promise<Redis> {
  const link = server.duplicate({ monitor: true, lazyConnect: false });
  await new Promise<void>((resolve, reject) => {
    const early = (error: unknown): void => {
      const line = EARLY_REPLY.exec(messageOf(error))?.[1];
      if (line === undefined) {
        link.off('error', early);
        link.disconnect();
        reject(error);
        return;
      }
      const space = line.indexOf(' ');
      const quote = line.indexOf('"');
      const [database = '', source = ''] = line.slice(space + 2, quote - 2).split(' ');
      receive(line.slice(0, space), line.slice(quote + 1, -1).split('" "').map((arg) => arg.replace(/\\"/g, '"')), source, database);
    };
    link.on('error', early);
    link.once('monitoring', () => {
      link.off('error', early);
      resolve();
    });
  });
  return link;
}

/**
 * MONITOR on connections of its own (one per master of a cluster): the server sends every command it runs to them,
 * which costs it throughput, so a monitor always ends by itself after `maxSeconds` or `maxCommands`. MONITOR changes
 * nothing the user owns: whether a connection may run it is the server's decision (ACL), and a refusal is reported.
 */
export class Monitor {
  private readonly links: Redis[] = [];
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private seen = 0;
  private kept = 0;
  private dropped = 0;
  private windowStart = 0;
  private inWindow = 0;
  private readonly needle: string;

  private constructor(private readonly options: MonitorOptions) {
    this.needle = options.filter.toLowerCase();
  }

  static async open(base: RedisClient, options: MonitorOptions): Promise<Monitor> {
    for (const [name, value] of [['maxSeconds', options.maxSeconds], ['maxCommands', options.maxCommands], ['ratePerSecond', options.ratePerSecond]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new DriverError('config', `The profiler's ${name} must be a whole number of at least 1, not ${value}.`);
    }
    const monitor = new Monitor(options);
    try {
      for (const server of keyServers(base)) {
        const address = `${server.options.host ?? ''}:${server.options.port ?? ''}`;
        const receive = (time: string, args: string[], source: string, database: string): void => monitor.receive(time, args, source, database, address);
        const link = await monitorLink(server, receive);
        monitor.links.push(link);
        link.on('monitor', receive);
        link.on('error', () => undefined);
        link.on('end', () => monitor.end('lost'));
      }
    } catch (error) {
      monitor.ended = true;
      for (const link of monitor.links) link.disconnect();
      if (/NOPERM/.test(messageOf(error))) throw new DriverError('auth', `The server refused MONITOR for this connection's user (${messageOf(error)}).`, 'Ask for a user whose ACL allows +monitor.');
      throw error;
    }
    monitor.timer = setTimeout(() => monitor.end('seconds'), options.maxSeconds * 1000);
    return monitor;
  }

  private receive(time: string, args: string[], source: string, database: string, server: string): void {
    if (this.ended) return;
    this.seen++;
    const [name = '', ...rest] = args.map((arg) => displayBytes(unescapeMonitorArg(arg)).text);
    const command = name.toUpperCase();
    if (this.needle && !`${command} ${rest.join(' ')} ${source}`.toLowerCase().includes(this.needle)) return;
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (++this.inWindow > this.options.ratePerSecond) {
      this.dropped++;
      return;
    }
    this.kept++;
    this.options.onCommand({ at: Math.round(Number(time) * 1000), db: Number(database), client: source ?? '', command, args: rest, server });
    if (this.kept >= this.options.maxCommands) this.end('commands');
  }

  get counts(): MonitorCounts {
    return { seen: this.seen, kept: this.kept, dropped: this.dropped };
  }

  private end(reason: MonitorStop): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    for (const link of this.links) link.disconnect();
    this.options.onStop(reason, this.counts);
  }

  stop(): void {
    this.end('stopped');
  }
}
