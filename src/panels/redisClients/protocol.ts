/** The Redis clients panel's channel. The host reads CLIENT LIST; a kill is asked about first (the host words it). */
import * as v from 'valibot';
import { list, NONE, notification, protocol, request } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';

const client = v.object({
  id: v.string(), addr: v.string(), name: v.string(), db: v.number(), ageSeconds: v.number(), idleSeconds: v.number(),
  cmd: v.string(), flags: v.string(), user: v.string(), server: v.string(), own: v.boolean(),
});
export type ClientRow = v.InferOutput<typeof client>;

export const clientsState = v.object({ clients: list(client), readAt: v.number(), error: v.exactOptional(v.string()) });
export type ClientsState = v.InferOutput<typeof clientsState>;

export const clientsProtocol = protocol({
  init: v.object({ name: v.string(), readOnly: v.boolean(), state: clientsState }),
  requests: {
    refresh: request(NONE, NONE),
    /**
     * Without `confirmed` nothing is killed: the answer is the question, worded by the host from the client it listed;
     * the same request carrying that question's ticket kills. `killed` is false when the client had gone.
     */
    kill: request(v.object({ id: v.pipe(v.string(), v.regex(/^\d{1,20}$/)), server: v.pipe(v.string(), v.maxLength(300)), confirmed: ticket }), v.object({ killed: v.boolean(), ask: v.exactOptional(question) })),
  },
  commands: {},
  notifications: { state: notification(clientsState) },
});
