/** The Redis memory analysis panel's channel. The host runs the pass and keeps the report; the webview draws it. */
import * as v from 'valibot';
import { list, NONE, notification, protocol, request } from '../ipc/protocol';
import { PrefixNode, TTL_BUCKETS } from '../../drivers/redis/memoryShapes';

const count = v.pipe(v.number(), v.minValue(0));
const keyStat = v.object({ text: v.string(), base64: v.exactOptional(v.string()), type: v.string(), ttl: v.number(), memory: count, length: count });
const prefixNode: v.GenericSchema<PrefixNode> = v.lazy(() =>
  v.object({ prefix: v.string(), name: v.string(), keys: count, memory: count, other: v.exactOptional(v.literal(true)), children: list(prefixNode) }),
);

export const memoryReport = v.object({
  inspected: count,
  seen: count,
  total: count,
  sampleRate: v.number(),
  memory: count,
  byType: list(v.object({ type: v.string(), keys: count, memory: count })),
  ttl: list(v.object({ bucket: v.picklist(TTL_BUCKETS), keys: count, memory: count })),
  prefixes: prefixNode,
  folded: count,
  maxNodes: count,
  topByMemory: list(keyStat),
  topByLength: list(keyStat),
  topWithoutTtl: list(keyStat),
});

/** Where the pass is: what the panel shows at any moment, and what a webview back from hiding is given. */
export const analysisState = v.object({
  status: v.picklist(['idle', 'running', 'paused', 'done', 'cancelled', 'failed']),
  seen: count,
  total: count,
  elapsedMs: count,
  sampleRate: v.number(),
  report: v.exactOptional(memoryReport),
  error: v.exactOptional(v.string()),
});
export type AnalysisState = v.InferOutput<typeof analysisState>;

/** The sample rates offered: all keys, or a share for huge keyspaces. */
export const SAMPLE_RATES = [1, 0.1, 0.01] as const;

export const memoryProtocol = protocol({
  init: v.object({ name: v.string(), db: v.number(), delimiter: v.string(), cluster: v.boolean(), state: analysisState }),
  requests: {
    start: request(v.object({ sampleRate: v.picklist(SAMPLE_RATES) }), NONE),
    pause: request(NONE, NONE),
    resume: request(NONE, NONE),
    cancel: request(NONE, NONE),
    /** Saves the report through a save dialog; resolves where it went (nothing when the dialog was dismissed). */
    export: request(v.object({ format: v.picklist(['json', 'csv']) }), v.object({ path: v.exactOptional(v.string()) }), 10 * 60_000),
    /** Opens the key browser on the keys below a prefix, or on one key (by its exact name). */
    browse: request(v.variant('kind', [
      v.object({ kind: v.literal('prefix'), prefix: v.pipe(v.string(), v.maxLength(65_536)) }),
      v.object({ kind: v.literal('key'), key: v.pipe(v.string(), v.maxLength(65_536)) }),
    ]), NONE),
  },
  commands: {},
  notifications: { state: notification(analysisState) },
});
