import type Redis from 'ioredis';
import { displayBytes } from './keys';
import { ExportRecord, FORMAT, KeyType, PendingEntry, STREAM_ID, toBytes } from './exportFormat';

/** Members per line, and per read (SCAN-family COUNT, LRANGE and XRANGE windows): memory stays within a page. */
const PAGE = 1000;
/** Bytes of a string per line (GETRANGE windows), and of a DUMP payload. */
const CHUNK = 256 * 1024;
/** How many keys a report names; the rest are counted. */
const NAMED = 200;

export interface ExportReport {
  /** Keys written whole (DUMP payloads included). */
  readonly exported: number;
  /** Keys of types Switchboard does not read (a module's), written as DUMP payloads: restorable with that module. */
  readonly dumped: number;
  readonly dumpedTypes: readonly string[];
  /** Keys not exported, with why (gone, or changed while being read); the first NAMED of them by name. */
  readonly skipped: number;
  readonly skippedKeys: readonly { readonly key: string; readonly reason: string }[];
  readonly cancelled: boolean;
}

export interface ExportOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number) => void;
}

type Write = (line: string) => Promise<void>;
type Outcome = { readonly written: true; readonly dumpedType?: string } | { readonly written: false; readonly reason: string };

const NATIVE: readonly KeyType[] = ['string', 'hash', 'list', 'set', 'zset', 'stream'];
const nativeType = (type: string): KeyType | undefined => NATIVE.find((t) => t === type);
const buffers = (reply: unknown): Buffer[] => (Array.isArray(reply) ? reply.filter(Buffer.isBuffer) : []);
const text = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
const pairs = <T>(flat: readonly T[]): [T, T][] => {
  const out: [T, T][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};
/** A flat name/value reply (XINFO) as a map from name to value. */
const fieldsOf = (reply: unknown): Map<string, unknown> => new Map(pairs(Array.isArray(reply) ? reply : []).map(([k, v]) => [text(k), v]));
const numberOf = (value: unknown): number | undefined => (typeof value === 'number' ? value : value === undefined || value === null ? undefined : Number(text(value)));

/**
 * A failure of a command that Cancel cut short (it drops the operation's connections) is the end of the operation,
 * with `instead`; any other failure is an error.
 */
const whenCancelled = <T>(signal: AbortSignal | undefined, instead: T) => (error: unknown): T => {
  if (signal?.aborted) return instead;
  throw error;
};

/**
 * Writes every key matching `pattern` on the given servers (each master of a cluster) in the format of
 * exportFormat.ts, reading each value a page at a time, so memory stays flat whatever the size of a value.
 */
export async function exportKeys(servers: readonly Redis[], pattern: string, write: Write, options: ExportOptions = {}): Promise<ExportReport> {
  await write(`${JSON.stringify(FORMAT)}\n`);
  let exported = 0;
  let dumped = 0;
  let skipped = 0;
  const dumpedTypes = new Set<string>();
  const skippedKeys: { key: string; reason: string }[] = [];
  for (const server of servers) {
    const reader = new KeyReader(server, write);
    let cursor = '0';
    do {
      if (options.signal?.aborted) break;
      const reply: unknown = await server.callBuffer('SCAN', cursor, 'MATCH', pattern || '*', 'COUNT', 500).catch(whenCancelled(options.signal, []));
      const [next, keys] = Array.isArray(reply) ? reply : [];
      cursor = text(next);
      for (const key of buffers(keys)) {
        if (options.signal?.aborted) break;
        const outcome = await reader.export(key).catch(whenCancelled(options.signal, undefined));
        if (!outcome) {
          // Cancelled while this key was being read: the file says it is not whole, and an import leaves it out.
          await write(`${JSON.stringify({ end: true, incomplete: 'the export was cancelled while it was read' })}\n`);
          break;
        }
        if (outcome.written) {
          exported++;
          if (outcome.dumpedType !== undefined) {
            dumped++;
            dumpedTypes.add(outcome.dumpedType);
          }
        } else {
          skipped++;
          if (skippedKeys.length < NAMED) skippedKeys.push({ key: displayBytes(key).text, reason: outcome.reason });
        }
        options.onProgress?.(exported + skipped);
      }
    } while (cursor !== '0');
  }
  return { exported, dumped, dumpedTypes: [...dumpedTypes], skipped, skippedKeys, cancelled: options.signal?.aborted ?? false };
}

/** Reads keys of one server a page at a time and writes their records. */
class KeyReader {
  /** PEXPIRETIME (Redis 7) gives the exact expiry; older servers get now + PTTL. */
  private exactExpiry = true;

  constructor(private readonly server: Redis, private readonly write: Write) {}

  private record(record: ExportRecord): Promise<void> {
    return this.write(`${JSON.stringify(record)}\n`);
  }

  async export(key: Buffer): Promise<Outcome> {
    const type = await this.server.type(key);
    if (type === 'none') return { written: false, reason: 'it was deleted or expired before it was read' };
    const expireAt = await this.expiry(key);
    if (expireAt === -2) return { written: false, reason: 'it expired before it was read' };
    const native = nativeType(type);
    const header: ExportRecord = { key: toBytes(key), type: native ?? 'dump', ...(expireAt >= 0 ? { expireAt } : {}), ...(native ? {} : { moduleType: type }) };
    await this.record(header);
    await this.body(key, type);
    // A key deleted, or replaced by one of another type, while it was read is not what its pages show.
    const after = await this.server.type(key);
    if (after !== type) {
      await this.record({ end: true, incomplete: after === 'none' ? 'deleted while it was read' : `replaced by a ${after} while it was read` });
      return { written: false, reason: after === 'none' ? 'it was deleted while it was read' : `it was replaced by a ${after} while it was read` };
    }
    await this.record({ end: true });
    return native ? { written: true } : { written: true, dumpedType: type };
  }

  private async expiry(key: Buffer): Promise<number> {
    if (this.exactExpiry) {
      try {
        return Number(await this.server.call('PEXPIRETIME', key));
      } catch (error) {
        if (!/unknown command/i.test(String(error))) throw error;
        this.exactExpiry = false;
      }
    }
    const ttl = await this.server.pttl(key);
    return ttl < 0 ? ttl : Date.now() + ttl;
  }

  private async body(key: Buffer, type: string): Promise<void> {
    switch (type) {
      case 'string': {
        const length = await this.server.strlen(key);
        for (let start = 0; start < length; start += CHUNK) await this.record({ chunk: toBytes(await this.server.getrangeBuffer(key, start, Math.min(length, start + CHUNK) - 1)) });
        return;
      }
      case 'hash':
        return this.scan('HSCAN', key, (flat) => ({ fields: pairs(flat).map(([f, v]) => [toBytes(f), toBytes(v)] as const) }));
      case 'set':
        return this.scan('SSCAN', key, (flat) => ({ members: flat.map(toBytes) }));
      case 'zset':
        return this.scan('ZSCAN', key, (flat) => ({ scored: pairs(flat).map(([m, s]) => [toBytes(m), s.toString('latin1')] as const) }));
      case 'list':
        for (let start = 0; ; start += PAGE) {
          const items = await this.server.lrangeBuffer(key, start, start + PAGE - 1);
          if (items.length) await this.record({ items: items.map(toBytes) });
          if (items.length < PAGE) return;
        }
      case 'stream':
        return this.stream(key);
      default: {
        const payload = await this.server.dumpBuffer(key);
        const base64 = payload ? payload.toString('base64') : '';
        for (let start = 0; start < base64.length; start += CHUNK) await this.record({ dump: base64.slice(start, start + CHUNK) });
      }
    }
  }

  /** A SCAN-family walk of one key's members, a page per line. */
  private async scan(command: 'HSCAN' | 'SSCAN' | 'ZSCAN', key: Buffer, page: (flat: Buffer[]) => ExportRecord): Promise<void> {
    let cursor = '0';
    do {
      const reply: unknown = await this.server.callBuffer(command, key, cursor, 'COUNT', PAGE);
      const [next, flat] = Array.isArray(reply) ? reply : [];
      cursor = text(next);
      const members = buffers(flat);
      if (members.length) await this.record(page(members));
    } while (cursor !== '0');
  }

  /** Entries by XRANGE pages, then the stream's ids and counters, its groups, their consumers and pending entries. */
  private async stream(key: Buffer): Promise<void> {
    let start = '-';
    for (;;) {
      const reply: unknown = await this.server.callBuffer('XRANGE', key, start, '+', 'COUNT', PAGE);
      const entries = (Array.isArray(reply) ? reply : []).map((entry: unknown) => {
        const [id, fields] = Array.isArray(entry) ? entry : [];
        return [text(id), pairs(buffers(fields)).map(([f, v]) => [toBytes(f), toBytes(v)] as const)] as const;
      });
      if (entries.length) await this.record({ entries });
      const last = entries[entries.length - 1];
      if (entries.length < PAGE || !last) break;
      start = `(${last[0]}`;
    }
    const info = fieldsOf(await this.server.callBuffer('XINFO', 'STREAM', key));
    const lastId = text(info.get('last-generated-id'));
    const entriesAdded = numberOf(info.get('entries-added'));
    const maxDeletedId = info.has('max-deleted-entry-id') ? text(info.get('max-deleted-entry-id')) : undefined;
    await this.record({ stream: { lastId, ...(entriesAdded !== undefined ? { entriesAdded } : {}), ...(maxDeletedId !== undefined && STREAM_ID.test(maxDeletedId) ? { maxDeletedId } : {}) } });
    const groups: unknown = await this.server.callBuffer('XINFO', 'GROUPS', key);
    for (const raw of Array.isArray(groups) ? groups : []) {
      const group = fieldsOf(raw);
      const name = group.get('name');
      if (!Buffer.isBuffer(name)) continue;
      const entriesRead = numberOf(group.get('entries-read'));
      await this.record({ group: { name: toBytes(name), lastId: text(group.get('last-delivered-id')), ...(entriesRead !== undefined && Number.isFinite(entriesRead) ? { entriesRead } : {}) } });
      const consumers: unknown = await this.server.callBuffer('XINFO', 'CONSUMERS', key, name);
      const names = (Array.isArray(consumers) ? consumers : []).map((c) => fieldsOf(c).get('name')).filter(Buffer.isBuffer);
      for (let i = 0; i < names.length; i += PAGE) await this.record({ consumers: { group: toBytes(name), names: names.slice(i, i + PAGE).map(toBytes) } });
      await this.pending(key, name);
    }
  }

  /** A group's pending entries (XPENDING's extended form), a page per line. */
  private async pending(key: Buffer, group: Buffer): Promise<void> {
    let start = '-';
    for (;;) {
      const reply: unknown = await this.server.callBuffer('XPENDING', key, group, start, '+', PAGE);
      const entries: PendingEntry[] = (Array.isArray(reply) ? reply : []).map((entry: unknown) => {
        const [id, consumer, idle, deliveries] = Array.isArray(entry) ? entry : [];
        return [text(id), toBytes(Buffer.isBuffer(consumer) ? consumer : Buffer.from(String(consumer))), Number(idle), Number(deliveries)] as const;
      });
      if (entries.length) await this.record({ pending: { group: toBytes(group), entries } });
      const last = entries[entries.length - 1];
      if (entries.length < PAGE || !last) return;
      start = `(${last[0]}`;
    }
  }
}
