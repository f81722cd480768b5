import { Command } from 'ioredis';
import type { RedisClient } from './client';
import { bytesOf, displayBytes, member } from './keys';
import { Bytes } from './shapes';
import { AutoClaimResult, ClaimResult, PendingEntry, PendingPage, StreamConsumer, StreamGroup, StreamOverview, TrimPlan, TrimRule } from './streamShapes';
import { entryId, groupStart } from './streamIds';
import { planTrim, trimTo } from './streamTrim';
import { DriverError, messageOf } from '../errors';

/** What a stream's operations need from the session: its read-only rule, and its way of wording a lost server. */
export interface StreamAccess {
  /** Throws when the session may not write, naming the action refused. */
  writable(action: string): void;
  explain(error: unknown): unknown;
}

/** The most IDs one acknowledgement or claim names: a page or a few of them, never an unbounded list. */
const MAX_IDS = 10_000;

const asText = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString('utf8') : value === null || value === undefined ? '' : String(value));
const asBuffer = (value: unknown): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(asText(value), 'utf8'));
const asNumber = (value: unknown): number | undefined => {
  const number = typeof value === 'number' ? value : Buffer.isBuffer(value) || typeof value === 'string' ? Number(asText(value)) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
};
const list = (reply: unknown): unknown[] => (Array.isArray(reply) ? reply : []);

/**
 * Sends one command and answers its reply as bytes. Sent as a Command rather than by call(): a cluster's
 * auto-pipelining drops the name of commands sent by call(), while a Command is routed by its key like any other.
 */
function send(client: RedisClient, name: string, args: readonly (string | Buffer | number)[]): Promise<unknown> {
  const command = new Command(name, [...args], { replyEncoding: null });
  void client.sendCommand(command);
  return command.promise;
}

/** A flat name, value, name, value… reply (XINFO) as a map from name to value. */
function fields(reply: unknown): Map<string, unknown> {
  const flat = list(reply);
  const out = new Map<string, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(asText(flat[i]), flat[i + 1]);
  return out;
}

function count(value: number, what: string, max: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new DriverError('config', `${what} must be a whole number from 0 to ${max.toLocaleString('en-US')}, not ${value}.`);
  return value;
}

function ids(list: readonly string[]): string[] {
  if (list.length === 0) throw new DriverError('config', 'Pick at least one pending entry.');
  if (list.length > MAX_IDS) throw new DriverError('config', `At most ${MAX_IDS.toLocaleString('en-US')} entries at a time, not ${list.length.toLocaleString('en-US')}.`);
  return list.map((id) => entryId(id));
}

/**
 * The consumer groups of one stream key: groups and their consumers (XINFO), pending entries a page at a time
 * (XPENDING), and the changes — create and destroy a group, acknowledge, claim for another consumer. Group and consumer
 * names are bytes, named by the UI as the bytes it was shown; entry IDs are checked to be IDs before they are sent.
 * Every change passes the session's read-only rule first.
 */
export class StreamGroups {
  readonly name: string;

  constructor(private readonly client: RedisClient, private readonly key: Buffer, private readonly access: StreamAccess) {
    this.name = displayBytes(key).text;
  }

  /** Whether the key holds a stream, its length and its groups. A missing key is an empty stream without groups. */
  async overview(): Promise<StreamOverview> {
    return this.run(undefined, async () => {
      const type = await this.client.type(this.key);
      if (type === 'none') return { exists: false, length: 0, groups: [] };
      if (type !== 'stream') throw new DriverError('config', `"${this.name}" holds a ${type}, not a stream.`, 'Pick a stream key.');
      const [length, groups] = await Promise.all([this.client.xlen(this.key), send(this.client, 'XINFO', ['GROUPS', this.key])]);
      return { exists: true, length, groups: list(groups).map(parseGroup) };
    });
  }

  /** The consumers of a group with their pending counts and idle times. */
  async consumers(group: Bytes): Promise<StreamConsumer[]> {
    const name = bytesOf(group);
    return this.run(name, async () => list(await send(this.client, 'XINFO', ['CONSUMERS', this.key, name])).map(parseConsumer));
  }

  /**
   * A page of a group's pending entries in ID order, after the entry `after` (the last one of the previous page),
   * optionally of one consumer and only those idle for at least `minIdleMs`.
   */
  async pending(group: Bytes, page: { after?: string; limit: number; consumer?: Bytes; minIdleMs?: number }): Promise<PendingPage> {
    const name = bytesOf(group);
    const limit = Math.max(1, count(page.limit, 'A page', 1000));
    const start = page.after === undefined ? '-' : `(${entryId(page.after)}`;
    const idle = page.minIdleMs ? ['IDLE', count(page.minIdleMs, 'The idle time', Number.MAX_SAFE_INTEGER)] : [];
    const consumer = page.consumer ? [bytesOf(page.consumer)] : [];
    return this.run(name, async () => {
      const reply = await send(this.client, 'XPENDING', [this.key, name, ...idle, start, '+', limit, ...consumer]);
      const entries = list(reply).map(parsePending).filter((entry): entry is PendingEntry => entry !== undefined);
      const last = entries[entries.length - 1];
      return { entries, ...(entries.length === limit && last ? { next: last.id } : {}) };
    });
  }

  /** XGROUP CREATE: a group reading from `start`; with `mkstream`, an empty stream is created when the key is missing. */
  async createGroup(group: string, start: string, mkstream: boolean): Promise<void> {
    if (!group) throw new DriverError('config', 'Name the consumer group.');
    const from = groupStart(start);
    const name = Buffer.from(group, 'utf8');
    this.access.writable(`Creating consumer group "${group}" on ${this.name}`);
    await this.run(name, async () => {
      try {
        await send(this.client, 'XGROUP', ['CREATE', this.key, name, from, ...(mkstream ? ['MKSTREAM'] : [])]);
      } catch (error) {
        const text = messageOf(error);
        if (text.startsWith('BUSYGROUP')) throw new DriverError('conflict', `Stream "${this.name}" already has a consumer group named "${group}"; nothing was changed.`, 'Pick another name, or use the existing group.');
        if (/requires the key to exist/.test(text)) throw new DriverError('config', `Stream "${this.name}" does not exist, so no group was created.`, 'Tick "create the stream" (MKSTREAM) to create it empty with the group.');
        throw error;
      }
    });
  }

  /** XGROUP DESTROY; resolves false when there was no such group (destroyed meanwhile). */
  async destroyGroup(group: Bytes): Promise<boolean> {
    const name = bytesOf(group);
    this.access.writable(`Destroying consumer group "${displayBytes(name).text}" of ${this.name}`);
    return this.run(name, async () => asNumber(await send(this.client, 'XGROUP', ['DESTROY', this.key, name])) === 1);
  }

  /** XACK; resolves how many of the entries were pending (the others were acknowledged or claimed away meanwhile). */
  async ack(group: Bytes, entries: readonly string[]): Promise<number> {
    const name = bytesOf(group);
    const checked = ids(entries);
    this.access.writable(`Acknowledging ${checked.length} entries of group "${displayBytes(name).text}" on ${this.name}`);
    return this.run(name, async () => asNumber(await send(this.client, 'XACK', [this.key, name, ...checked])) ?? 0);
  }

  /**
   * XCLAIM … JUSTID: gives the entries to `consumer` (created if new), only those still idle for `minIdleMs` — an
   * entry its consumer read again, or someone claimed or acknowledged meanwhile, stays where it is. JUSTID leaves the
   * delivery counts as they are: nothing was delivered.
   */
  async claim(group: Bytes, consumer: Bytes, minIdleMs: number, entries: readonly string[]): Promise<ClaimResult> {
    const name = bytesOf(group);
    const to = bytesOf(consumer);
    if (to.length === 0) throw new DriverError('config', 'Name the consumer the entries go to.');
    const checked = ids(entries);
    const idle = count(minIdleMs, 'The idle time', Number.MAX_SAFE_INTEGER);
    this.access.writable(`Claiming ${checked.length} entries of group "${displayBytes(name).text}" on ${this.name}`);
    return this.run(name, async () => {
      const claimed = list(await send(this.client, 'XCLAIM', [this.key, name, to, idle, ...checked, 'JUSTID'])).map(asText);
      const taken = new Set(claimed);
      return { claimed, left: checked.filter((id) => !taken.has(id)) };
    });
  }

  /**
   * XAUTOCLAIM … JUSTID: up to `limit` entries idle for `minIdleMs`, from `start`, given to `consumer`. The server also
   * drops, from the pending list, entries that were deleted from the stream; they are reported as `deleted`.
   */
  async autoClaim(group: Bytes, consumer: Bytes, minIdleMs: number, limit: number, start = '0-0'): Promise<AutoClaimResult> {
    const name = bytesOf(group);
    const to = bytesOf(consumer);
    if (to.length === 0) throw new DriverError('config', 'Name the consumer the entries go to.');
    const idle = count(minIdleMs, 'The idle time', Number.MAX_SAFE_INTEGER);
    const most = Math.max(1, count(limit, 'How many entries', MAX_IDS));
    this.access.writable(`Claiming idle entries of group "${displayBytes(name).text}" on ${this.name}`);
    return this.run(name, async () => {
      const [next, claimed, deleted] = list(await send(this.client, 'XAUTOCLAIM', [this.key, name, to, idle, entryId(start), 'COUNT', most, 'JUSTID']));
      return { claimed: list(claimed).map(asText), deleted: list(deleted).map(asText), next: asText(next) };
    });
  }

  /** Counts on the server what a trim would remove (see planTrim); undefined when cancelled. */
  async planTrim(rule: TrimRule, options: { signal?: AbortSignal; onProgress?: (counted: number) => void } = {}): Promise<TrimPlan | undefined> {
    this.access.writable(`Trimming ${this.name}`);
    return this.run(undefined, () => planTrim(this.client, this.key, rule, options));
  }

  /** Trims as planned: the entries counted, none added since. Resolves how many went. */
  async trim(plan: TrimPlan): Promise<number> {
    this.access.writable(`Trimming ${this.name}`);
    return this.run(undefined, () => trimTo(this.client, this.key, plan));
  }

  /** Runs a command of this stream, wording what the server says about a missing group. */
  private async run<T>(group: Buffer | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const text = messageOf(error);
      if (group && text.startsWith('NOGROUP')) {
        throw new DriverError('conflict', `Stream "${this.name}" has no consumer group "${displayBytes(group).text}": it was destroyed, or the stream deleted, meanwhile. Nothing was changed.`, 'Refresh the groups.', { cause: error });
      }
      throw this.access.explain(error);
    }
  }
}

function parseGroup(reply: unknown): StreamGroup {
  const info = fields(reply);
  const entriesRead = asNumber(info.get('entries-read'));
  const lag = asNumber(info.get('lag'));
  return {
    name: member(asBuffer(info.get('name'))),
    consumers: asNumber(info.get('consumers')) ?? 0,
    pending: asNumber(info.get('pending')) ?? 0,
    lastDeliveredId: asText(info.get('last-delivered-id')),
    // Redis 7 counts what the group read and how far it is behind; either is nil when the server cannot tell.
    ...(entriesRead !== undefined ? { entriesRead } : {}),
    ...(lag !== undefined ? { lag } : {}),
  };
}

function parseConsumer(reply: unknown): StreamConsumer {
  const info = fields(reply);
  const inactiveMs = asNumber(info.get('inactive'));
  return {
    name: member(asBuffer(info.get('name'))),
    pending: asNumber(info.get('pending')) ?? 0,
    idleMs: asNumber(info.get('idle')) ?? 0,
    // Redis 7.2 tells apart the last attempt (idle) from the last successful read (inactive, -1 for never).
    ...(inactiveMs !== undefined ? { inactiveMs } : {}),
  };
}

function parsePending(reply: unknown): PendingEntry | undefined {
  const [id, consumer, idle, deliveries] = list(reply);
  if (id === undefined || consumer === undefined) return undefined;
  return { id: asText(id), consumer: member(asBuffer(consumer)), idleMs: asNumber(idle) ?? 0, deliveries: asNumber(deliveries) ?? 0 };
}
