/**
 * The stream consumer-groups panel's channel. The webview names groups and consumers by the bytes it was shown and
 * entries by their IDs. Every change is asked about in the panel first: without `confirmed` the answer is the question,
 * worded on the host from the server's data; the same request carrying that question's ticket makes the change.
 */
import * as v from 'valibot';
import { list, NONE, protocol, request } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';

const bytes = v.object({ base64: v.pipe(v.string(), v.maxLength(1 << 20)) });
const member = v.object({ text: v.string(), exact: v.boolean(), base64: v.string() });
const id = v.pipe(v.string(), v.maxLength(64));
const ids = v.pipe(v.array(id), v.maxLength(10_000));
const milliseconds = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
/** Counting what a trim removes reads the whole stream, under a progress the user can cancel: give it time. */
const COUNTS_MS = 60 * 60_000;
const ask = v.exactOptional(question);

const group = v.object({
  name: member, consumers: v.number(), pending: v.number(), lastDeliveredId: v.string(),
  entriesRead: v.exactOptional(v.number()), lag: v.exactOptional(v.number()),
});
const consumer = v.object({ name: member, pending: v.number(), idleMs: v.number(), inactiveMs: v.exactOptional(v.number()) });
const pendingEntry = v.object({ id: v.string(), consumer: member, idleMs: v.number(), deliveries: v.number() });

export type StreamGroupRow = v.InferOutput<typeof group>;
export type StreamConsumerRow = v.InferOutput<typeof consumer>;
export type PendingRow = v.InferOutput<typeof pendingEntry>;

export const streamProtocol = protocol({
  init: v.object({ name: v.string(), db: v.number(), key: v.string(), readOnly: v.boolean(), pageSize: v.number() }),
  requests: {
    overview: request(NONE, v.object({ exists: v.boolean(), length: v.number(), groups: list(group) })),
    consumers: request(v.object({ group: bytes }), v.object({ consumers: list(consumer) })),
    pending: request(
      v.object({ group: bytes, after: v.exactOptional(id), consumer: v.exactOptional(bytes), minIdleMs: v.exactOptional(milliseconds) }),
      v.object({ entries: list(pendingEntry), next: v.exactOptional(v.string()) }),
    ),
    createGroup: request(v.object({ group: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)), start: v.pipe(v.string(), v.maxLength(64)), mkstream: v.boolean(), confirmed: ticket }), v.object({ ask })),
    destroyGroup: request(v.object({ group: bytes, confirmed: ticket }), v.object({ ask, destroyed: v.exactOptional(v.boolean()) })),
    ack: request(v.object({ group: bytes, ids, confirmed: ticket }), v.object({ ask, acked: v.exactOptional(v.number()) })),
    claim: request(
      v.object({ group: bytes, consumer: bytes, minIdleMs: milliseconds, ids, confirmed: ticket }),
      v.object({ ask, claimed: v.exactOptional(list(v.string())), left: v.exactOptional(list(v.string())) }),
    ),
    autoClaim: request(
      v.object({ group: bytes, consumer: bytes, minIdleMs: milliseconds, count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), confirmed: ticket }),
      v.object({ ask, claimed: v.exactOptional(list(v.string())), deleted: v.exactOptional(list(v.string())), next: v.exactOptional(v.string()) }),
    ),
    /** Counts what goes first (`cancelled`: the user stopped the count); the trim removes what the question said. */
    trim: request(
      v.object({ rule: v.variant('kind', [v.object({ kind: v.literal('maxlen'), count: v.pipe(v.number(), v.integer(), v.minValue(0)) }), v.object({ kind: v.literal('minid'), id })]), confirmed: ticket }),
      v.object({ ask, cancelled: v.exactOptional(v.boolean()), removed: v.exactOptional(v.number()), planned: v.exactOptional(v.number()) }),
      COUNTS_MS,
    ),
  },
  commands: {},
  notifications: {},
});
