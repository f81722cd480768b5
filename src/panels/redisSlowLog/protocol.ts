/** The Redis slow log panel's channel. The host reads the log; every change is asked about first, in the panel. */
import * as v from 'valibot';
import { list, NONE, notification, protocol, request } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';

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

/** `changed` is false while the answer is the question to ask first. */
const changed = v.object({ changed: v.boolean(), ask: v.exactOptional(question) });

export const slowLogProtocol = protocol({
  init: v.object({ name: v.string(), readOnly: v.boolean(), cluster: v.boolean(), state: slowLogState }),
  requests: {
    refresh: request(NONE, NONE),
    /** Without `confirmed`, the question the host words; with that question's ticket, the change. */
    reset: request(v.object({ confirmed: ticket }), changed),
    setThreshold: request(v.object({ micros: v.pipe(v.number(), v.integer(), v.minValue(-1), v.maxValue(3_600_000_000)), confirmed: ticket }), changed),
  },
  commands: {},
  notifications: { state: notification(slowLogState) },
});
