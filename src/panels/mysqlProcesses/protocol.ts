/** The MySQL process list panel's channel. A kill is asked about first (the host words it); the driver refuses kills on read-only connections. */
import * as v from 'valibot';
import { list, NONE, notification, protocol, request } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';

const process = v.object({
  id: v.number(), user: v.string(), host: v.string(), db: v.nullable(v.string()), command: v.string(), timeSeconds: v.number(),
  state: v.nullable(v.string()), info: v.nullable(v.string()), own: v.boolean(),
});
export type ProcessItem = v.InferOutput<typeof process>;

export const processesState = v.object({ processes: list(process), readAt: v.number(), error: v.exactOptional(v.string()) });
export type ProcessesState = v.InferOutput<typeof processesState>;

export const KILLS = ['query', 'connection'] as const;

export const processesProtocol = protocol({
  init: v.object({ name: v.string(), readOnly: v.boolean(), state: processesState }),
  requests: {
    refresh: request(NONE, NONE),
    /**
     * Without `confirmed` nothing is killed: the answer is the question, worded by the host from the process it
     * listed; the same request carrying that question's ticket kills. `killed` is false when the connection had gone.
     */
    kill: request(v.object({ id: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER)), what: v.picklist(KILLS), confirmed: ticket }), v.object({ killed: v.boolean(), ask: v.exactOptional(question) })),
  },
  commands: {},
  notifications: { state: notification(processesState) },
});
