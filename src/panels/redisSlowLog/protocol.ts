/** The Redis slow log panel's channel. The host reads the log and asks before any change. */
import * as v from 'valibot';
import { list, NONE, notification, protocol, request } from '../ipc/protocol';

const entry = v.object({ id: v.number(), at: v.number(), micros: v.number(), args: list(v.string()), client: v.string(), clientName: v.string(), server: v.string() });
export const slowLogState = v.object({
  entries: list(entry),
  thresholdMicros: v.exactOptional(v.number()),
  maxLen: v.exactOptional(v.number()),
  /** When it was read (ms since the epoch); 0 before the first read. */
  readAt: v.number(),
  error: v.exactOptional(v.string()),
});
export type SlowLogState = v.InferOutput<typeof slowLogState>;

const changed = v.object({ changed: v.boolean() });

export const slowLogProtocol = protocol({
  init: v.object({ name: v.string(), readOnly: v.boolean(), cluster: v.boolean(), state: slowLogState }),
  requests: {
    refresh: request(NONE, NONE),
    /** Asks first; `changed` is false when the user said no. */
    reset: request(NONE, changed, 5 * 60_000),
    setThreshold: request(v.object({ micros: v.pipe(v.number(), v.integer(), v.minValue(-1), v.maxValue(3_600_000_000)) }), changed, 5 * 60_000),
  },
  commands: {},
  notifications: { state: notification(slowLogState) },
});
