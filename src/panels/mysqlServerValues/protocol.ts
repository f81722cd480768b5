/** The channel of the panel listing a MySQL server's status counters or its variables (read only). */
import * as v from 'valibot';
import { list, NONE, notification, protocol, request } from '../ipc/protocol';

export const VALUE_KINDS = ['status', 'variables'] as const;

export const serverValuesState = v.object({
  values: list(v.tuple([v.string(), v.string()])),
  readAt: v.number(),
  error: v.exactOptional(v.string()),
});
export type ServerValuesState = v.InferOutput<typeof serverValuesState>;

export const serverValuesProtocol = protocol({
  init: v.object({ name: v.string(), kind: v.picklist(VALUE_KINDS), state: serverValuesState }),
  requests: { refresh: request(NONE, NONE) },
  commands: {},
  notifications: { state: notification(serverValuesState) },
});
