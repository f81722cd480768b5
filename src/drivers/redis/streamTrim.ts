import type { RedisClient } from './client';
import { TrimPlan, TrimRule } from './streamShapes';
import { entryId, nextId } from './streamIds';
import { DriverError } from '../errors';

/**
 * Counts a page of entries on the server and answers only the count and the first and last IDs, so counting what a
 * trim would remove moves no entry data, however large the entries are.
 */
const COUNT_PAGE = `
local page = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[2], 'COUNT', tonumber(ARGV[3]))
local n = #page
if n == 0 then return {0} end
return {n, page[1][1], page[n][1]}`;

/** Entries counted per script call: each call stays well under a millisecond of the server's time. */
const PAGE = 10_000;

/**
 * What XTRIM would remove, counted from the oldest entry: with MAXLEN, all but the newest `count`; with MINID, every
 * entry below the ID. The plan names the MINID that removes exactly the entries counted, so entries added meanwhile
 * are never trimmed unseen (MAXLEN would take as many more as were added). Undefined when cancelled.
 */
export async function planTrim(client: RedisClient, key: Buffer, rule: TrimRule, options: { signal?: AbortSignal; onProgress?: (counted: number) => void } = {}): Promise<TrimPlan | undefined> {
  if (rule.kind === 'maxlen' && (!Number.isSafeInteger(rule.count) || rule.count < 0)) {
    throw new DriverError('config', `MAXLEN keeps a whole number of entries from 0, not ${rule.count}.`);
  }
  const below = rule.kind === 'minid' ? entryId(rule.id, 'MINID') : undefined;
  const length = await client.xlen(key);
  const target = rule.kind === 'maxlen' ? Math.max(0, length - rule.count) : Number.POSITIVE_INFINITY;
  const end = below === undefined ? '+' : `(${below}`;
  let start = '-';
  let counted = 0;
  let oldest: string | undefined;
  let newest: string | undefined;
  while (counted < target) {
    if (options.signal?.aborted) return undefined;
    const want = Math.min(PAGE, target - counted);
    const reply: unknown = await client.eval(COUNT_PAGE, 1, key, start, end, String(want));
    const [n, first, last] = Array.isArray(reply) ? reply : [];
    if (typeof n !== 'number' || n <= 0 || typeof first !== 'string' || typeof last !== 'string') break;
    counted += n;
    oldest ??= entryId(first);
    newest = entryId(last);
    start = `(${newest}`;
    options.onProgress?.(counted);
    if (n < want) break;
  }
  const minId = below ?? (newest !== undefined ? nextId(newest) : '0-0');
  return { remove: counted, keep: Math.max(0, length - counted), minId, ...(oldest !== undefined ? { oldest } : {}), ...(newest !== undefined ? { newest } : {}) };
}

/** XTRIM … MINID exactly (=) as planned; resolves how many entries went (fewer when others removed some meanwhile). */
export async function trimTo(client: RedisClient, key: Buffer, plan: TrimPlan): Promise<number> {
  if (plan.remove === 0) return 0;
  return Number(await client.xtrim(key, 'MINID', '=', entryId(plan.minId, 'MINID')));
}
