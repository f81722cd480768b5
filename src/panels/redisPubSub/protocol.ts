/** The Redis Pub/Sub panel's channel. The host keeps the subscription and the newest messages. */
import * as v from 'valibot';
import { command, list, NONE, notification, protocol, request } from '../ipc/protocol';

const item = v.object({ channel: v.string(), pattern: v.exactOptional(v.string()), message: v.string(), at: v.number() });
export type PubSubItem = v.InferOutput<typeof item>;

/** Names as the user typed them: a few hundred of at most a few KiB each. */
const names = v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(4096))), v.maxLength(256));
const subscription = v.object({ channels: list(v.string()), patterns: list(v.string()) });

export const pubSubProtocol = protocol({
  init: v.object({
    name: v.string(),
    readOnly: v.boolean(),
    cap: v.number(),
    /** What is subscribed now, if anything. */
    subscribed: v.exactOptional(subscription),
    items: list(item),
    received: v.number(),
  }),
  requests: {
    subscribe: request(v.object({ channels: names, patterns: names }), NONE),
    unsubscribe: request(NONE, NONE),
    publish: request(v.object({ channel: v.pipe(v.string(), v.minLength(1), v.maxLength(65_536)), message: v.pipe(v.string(), v.maxLength(16 * 1024 * 1024)) }), v.object({ receivers: v.number() })),
  },
  commands: { clear: command(NONE) },
  notifications: { messages: notification(v.object({ items: list(item), received: v.number() })) },
});
