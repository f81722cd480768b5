/**
 * The RabbitMQ messages panel's channel. The host keeps every list (Get, Consume, Tail, RPC replies), the live
 * consumers and what became of each message, so a panel that was hidden comes back with all of it. The field schemas
 * below are also what the webview checks as the user types, so a field shows its problem before anything is sent.
 */
import * as v from 'valibot';
import type { FieldValue } from '../../drivers/rabbitmq/shapes';
import { command, list, NONE, notification, protocol, request, table } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';

const AMQP_SHORT_STRING = 255;
const noLoneSurrogates = (text: string): boolean => !/\p{Cs}/u.test(text);

/** A queue or exchange name, routing key or binding pattern: at most 255 bytes of UTF-8, as AMQP carries it. */
export const shortString = (what: string) => v.pipe(
  v.string(),
  v.maxBytes(AMQP_SHORT_STRING, (issue) => `${what} is ${issue.received} bytes long; AMQP allows at most ${AMQP_SHORT_STRING}.`),
  v.check(noLoneSurrogates, `${what} holds a broken character (a lone UTF-16 surrogate).`),
);
export const queueName = v.pipe(shortString('The queue name'), v.minLength(1, 'Name the queue.'));
const whole = (what: string, min: number, max: number) => v.pipe(
  v.number(`${what} is a number.`),
  v.integer(`${what} is a whole number.`),
  v.minValue(min, `${what} is at least ${min.toLocaleString('en-US')}.`),
  v.maxValue(max, `${what} is at most ${max.toLocaleString('en-US')}.`),
);
export const getCount = whole('Count', 1, 10_000);
export const prefetch = whole('Prefetch', 1, 65_535);
export const repeat = whole('Repeat', 1, 1_000_000);
export const priority = whole('Priority', 0, 255);
export const rpcTimeoutSeconds = whole('The timeout', 1, 3600);
export const expiration = v.pipe(v.string(), v.regex(/^\d{0,10}$/, 'Expiration is a whole number of milliseconds.'));

const fieldValue: v.GenericSchema<FieldValue> = v.lazy(() => v.union([v.string(), v.number(), v.boolean(), v.null(), list(fieldValue), table(v.string(), fieldValue)]));
/** Headers or binding arguments: an object of JSON values. */
export const fieldTable = v.pipe(table(shortString('A header name'), fieldValue), v.check((table) => !Object.hasOwn(table, '!'), 'An entry named "!" is read by the AMQP client as a type tag, not as a value: rename it.'));

const properties = v.object({
  persistent: v.exactOptional(v.boolean()),
  contentType: v.exactOptional(shortString('The content type')),
  contentEncoding: v.exactOptional(shortString('The content encoding')),
  headers: v.exactOptional(fieldTable),
  priority: v.exactOptional(priority),
  expiration: v.exactOptional(expiration),
  correlationId: v.exactOptional(shortString('The correlation id')),
  replyTo: v.exactOptional(shortString('Reply-to')),
  messageId: v.exactOptional(shortString('The message id')),
  type: v.exactOptional(shortString('The type')),
  appId: v.exactOptional(shortString('The app id')),
});
const publishRequest = v.object({
  exchange: shortString('The exchange name'),
  routingKey: shortString('The routing key'),
  body: v.pipe(v.string(), v.maxLength(64 * 1024 * 1024)),
  encoding: v.picklist(['text', 'json', 'base64']),
  properties,
  repeat: v.exactOptional(repeat),
  mandatory: v.exactOptional(v.boolean()),
});

const message = v.object({
  id: v.number(),
  exchange: v.string(),
  routingKey: v.string(),
  redelivered: v.boolean(),
  body: v.string(),
  bodyEncoding: v.picklist(['text', 'base64']),
  size: v.number(),
  truncated: v.exactOptional(v.boolean()),
  properties: v.record(v.string(), v.union([v.string(), v.number(), v.boolean()])),
  headers: table(v.string(), fieldValue),
  deaths: list(v.object({ queue: v.string(), reason: v.string(), count: v.number(), exchange: v.string(), routingKeys: list(v.string()), time: v.exactOptional(v.string()) })),
  receivedAt: v.number(),
  remaining: v.exactOptional(v.number()),
});

/**
 * What became of a message, shown beside it: `peeked` went back to the queue, `acked`/`rejected`/`removed` left
 * it, `unacked` waits for the user, `requeued` the user handed back, `returned` went back when its consumer stopped,
 * `copy` is a tail's copy (the original went on to its queues), `reply` an RPC reply.
 */
export const ROW_STATES = ['peeked', 'acked', 'rejected', 'removed', 'unacked', 'requeued', 'returned', 'copy', 'reply'] as const;
const rowState = v.picklist(ROW_STATES);
export type RowState = v.InferOutput<typeof rowState>;
const row = v.object({ message, state: rowState });
export type MessageRow = v.InferOutput<typeof row>;

export const LISTS = ['get', 'consume', 'tail', 'rpc'] as const;
const listName = v.picklist(LISTS);
export type ListName = v.InferOutput<typeof listName>;
const liveName = v.picklist(['consume', 'tail']);
export type LiveName = v.InferOutput<typeof liveName>;
const listState = v.object({ items: list(row), received: v.number() });

/** A live consumer or tail: `source` is the queue it consumes or the exchange it tails ('' when none runs). */
const live = v.object({ running: v.boolean(), paused: v.boolean(), what: v.string(), source: v.string(), unacked: v.number() });
export type LiveState = v.InferOutput<typeof live>;

export const TABS = ['publish', 'get', 'consume', 'tail', 'rpc'] as const;
const tab = v.picklist(TABS);
export type Tab = v.InferOutput<typeof tab>;
const focus = v.object({
  /** Raised each time the panel is asked to show something, so a webview applies a focus once, not on every reload. */
  seq: v.number(),
  tab,
  queue: v.exactOptional(v.string()),
  exchange: v.exactOptional(v.string()),
  routingKey: v.exactOptional(v.string()),
});
export type Focus = v.InferOutput<typeof focus>;

/** Answers that may take long: a big publish or get, or a reply the user allowed a long time for. */
const LONG_MS = 30 * 60_000;

/** What the panel asks before messages are handed back to a queue that counts each requeue as a delivery. */
const limitQuestion = v.object({ message: v.string(), detail: v.string(), action: v.string(), deliveries: v.number() });
export type LimitQuestion = v.InferOutput<typeof limitQuestion>;
/** The delivery limit the user was shown and went on with (the driver refuses if another is in force). */
const acceptDeliveryLimit = v.exactOptional(v.pipe(v.number(), v.integer(), v.minValue(0)));

export const rabbitProtocol = protocol({
  init: v.object({
    title: v.string(),
    readOnly: v.boolean(),
    cap: v.number(),
    hasApi: v.boolean(),
    focus,
    lists: v.object({ get: listState, consume: listState, tail: listState, rpc: listState }),
    live: v.object({ consume: live, tail: live }),
  }),
  requests: {
    names: request(NONE, v.object({ queues: list(v.string()), exchanges: list(v.object({ name: v.string(), type: v.string() })) })),
    routingKeys: request(v.object({ exchange: shortString('The exchange name') }), v.object({ keys: list(v.string()) })),
    publish: request(v.object({ publish: publishRequest }), v.object({ published: v.number(), confirmed: v.number(), returned: v.number(), returnReason: v.exactOptional(v.string()), ms: v.number() }), LONG_MS),
    /** Gets messages; for a peek at a queue that counts requeues, first answers with the question to ask (nothing got). */
    get: request(v.object({ queue: queueName, count: getCount, mode: v.picklist(['requeue', 'ack', 'reject']), acceptDeliveryLimit }), v.object({ count: v.number(), ask: v.exactOptional(limitQuestion) }), LONG_MS),
    /** Starts consuming; for a manual consumer of a queue that counts requeues, first answers with the question to ask. */
    consume: request(v.object({ queue: queueName, prefetch, ackMode: v.picklist(['manual', 'afterReceive', 'auto']), acceptDeliveryLimit }), v.object({ live, ask: v.exactOptional(limitQuestion) })),
    tail: request(v.object({ exchange: v.pipe(shortString('The exchange name'), v.minLength(1, 'Name the exchange to tail: the default exchange takes no bindings.')), pattern: shortString('The routing pattern'), headers: v.exactOptional(fieldTable) }), v.object({ live })),
    pause: request(v.object({ list: liveName }), v.object({ live })),
    resume: request(v.object({ list: liveName }), v.object({ live })),
    stop: request(v.object({ list: liveName }), v.object({ live })),
    /**
     * Acks or requeues the held messages; a reject (the broker drops them) is asked about first: without `confirmed`
     * the answer is the question, and the same request with its ticket rejects the messages it counted.
     */
    settle: request(v.object({ ids: v.pipe(list(v.number()), v.maxLength(100_000)), how: v.picklist(['ack', 'requeue', 'reject']), confirmed: ticket }), v.object({ settled: list(v.number()), state: rowState, live, ask: v.exactOptional(question) })),
    rpc: request(v.object({ publish: publishRequest, replyVia: v.picklist(['direct', 'queue']), timeoutSeconds: rpcTimeoutSeconds }), v.object({ reply: message, correlationId: v.string(), ms: v.number() }), LONG_MS * 2 + 60_000),
  },
  commands: { clear: command(v.object({ list: listName })) },
  notifications: {
    messages: notification(v.object({ list: listName, items: list(row), received: v.number() })),
    /** Messages whose fate changed (settled, or handed back when their consumer stopped). */
    states: notification(v.object({ list: listName, ids: list(v.number()), state: rowState })),
    live: notification(v.object({ list: liveName, live, ended: v.exactOptional(v.string()) })),
    focus: notification(focus),
  },
});
