/** Plain data shared by the RabbitMQ driver and its webview: no Node or amqplib types here. */

export type BodyEncoding = 'text' | 'json' | 'base64';

/** A JSON-safe rendering of AMQP field-table values (headers, arguments). */
export type FieldValue = string | number | boolean | null | readonly FieldValue[] | { readonly [key: string]: FieldValue };
export type FieldTable = { readonly [name: string]: FieldValue };

/**
 * A JSON object (the management API's, or one a user typed) as a field table: JSON values are field values as they
 * are. Not a check of what AMQP may carry: the session checks every table it sends (inputs.ts).
 */
export function jsonFieldTable(value: object): FieldTable {
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, jsonFieldValue(item)]));
}

function jsonFieldValue(value: unknown): FieldValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(jsonFieldValue);
  return typeof value === 'object' ? jsonFieldTable(value) : null;
}

/** One x-death entry: where a message was dead-lettered from, and why. */
export interface DeathView {
  readonly queue: string;
  readonly reason: string;
  readonly count: number;
  readonly exchange: string;
  readonly routingKeys: readonly string[];
  readonly time?: string;
}

/** A message as the panel shows it. The body is text when it is valid UTF-8, base64 otherwise. */
export interface MessageView {
  /** Unique within the session, for acks and selection. */
  readonly id: number;
  readonly exchange: string;
  readonly routingKey: string;
  readonly redelivered: boolean;
  readonly body: string;
  readonly bodyEncoding: 'text' | 'base64';
  readonly size: number;
  /** The body holds only the first bytes of a longer one (the switchboard.maxShownValueKB cut). */
  readonly truncated?: boolean;
  readonly properties: { readonly [name: string]: string | number | boolean };
  readonly headers: { readonly [name: string]: FieldValue };
  readonly deaths: readonly DeathView[];
  readonly receivedAt: number;
  /** How many messages were still in the queue after this one (basic.get only). */
  readonly remaining?: number;
}

export interface MessageProperties {
  readonly persistent?: boolean;
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly headers?: { readonly [name: string]: FieldValue };
  readonly priority?: number;
  /** Milliseconds, as the broker takes it. */
  readonly expiration?: string;
  readonly correlationId?: string;
  readonly replyTo?: string;
  readonly messageId?: string;
  readonly type?: string;
  readonly appId?: string;
}

export interface PublishRequest {
  readonly exchange: string;
  readonly routingKey: string;
  readonly body: string;
  readonly encoding: BodyEncoding;
  readonly properties: MessageProperties;
  /** Publish the same message this many times (at least 1). */
  readonly repeat?: number;
  /** Ask the broker to return the message when no queue is bound for it. */
  readonly mandatory?: boolean;
}

export interface PublishResult {
  readonly published: number;
  /** Confirmed by the broker (publisher confirms). */
  readonly confirmed: number;
  /** Returned as unroutable (mandatory), with the broker's reason. */
  readonly returned: number;
  readonly returnReason?: string;
  readonly ms: number;
}

/** What happens to messages fetched with basic.get. */
export type GetMode = 'requeue' | 'ack' | 'reject';

export interface ExchangeSpec {
  readonly name: string;
  readonly type: 'direct' | 'fanout' | 'topic' | 'headers';
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly arguments?: { readonly [name: string]: FieldValue };
}

export interface QueueSpec {
  readonly name: string;
  readonly durable: boolean;
  readonly exclusive: boolean;
  readonly autoDelete: boolean;
  readonly quorum?: boolean;
  readonly messageTtl?: number;
  readonly maxLength?: number;
  readonly deadLetterExchange?: string;
  readonly deadLetterRoutingKey?: string;
  readonly arguments?: { readonly [name: string]: FieldValue };
}

export interface BindingSpec {
  /** Exchange the messages come from. */
  readonly source: string;
  readonly destination: string;
  readonly destinationType: 'queue' | 'exchange';
  readonly routingKey: string;
  /** For headers exchanges: the header values to match, plus x-match (all / any). */
  readonly arguments?: { readonly [name: string]: FieldValue };
}

export interface RpcResult {
  readonly reply: MessageView;
  readonly correlationId: string;
  readonly ms: number;
}
