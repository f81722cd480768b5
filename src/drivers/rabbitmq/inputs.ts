import { DriverError } from '../errors';
import { BindingSpec, ExchangeSpec, FieldValue, MessageProperties, PublishRequest, QueueSpec } from './shapes';

/**
 * Checks what a panel, a command argument or another extension hands a session, whatever its declared type says:
 * names and routing keys fit AMQP's short strings, counts are whole numbers in range, header and argument tables
 * hold only JSON values (never amqplib's {"!": type} trapdoor, which would send something other than what was
 * typed), and every choice is one of its options. Each failure names the field.
 */

const SHORT_STRING_BYTES = 255;
const MAX_TABLE_DEPTH = 16;

function fail(field: string, expected: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value) : typeof value === 'bigint' ? value.toString() : JSON.stringify(value) ?? String(value);
  throw new DriverError('config', `${field} must be ${expected}, not ${shown}.`);
}

/** A queue or exchange name, routing key or binding pattern: text of at most 255 bytes of UTF-8. */
export function checkShortString(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'text', value);
  if (/\p{Cs}/u.test(value)) fail(field, 'text without lone UTF-16 surrogates', value);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > SHORT_STRING_BYTES) throw new DriverError('config', `${field} is ${bytes} bytes long; AMQP allows at most ${SHORT_STRING_BYTES}.`, 'Shorten it.');
  return value;
}

export function checkInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(field, `a whole number from ${min} to ${max}`, value);
  return value;
}

export function checkChoice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  const found = choices.find((c) => c === value);
  if (found === undefined) fail(field, `one of ${choices.join(', ')}`, value);
  return found;
}

function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, 'true or false', value);
  return value;
}

function checkFieldValue(value: unknown, field: string, depth: number): FieldValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(field, 'a finite number', value);
    return value;
  }
  if (depth >= MAX_TABLE_DEPTH) throw new DriverError('config', `${field} is nested more than ${MAX_TABLE_DEPTH} levels deep.`);
  if (Array.isArray(value)) return value.map((item, i) => checkFieldValue(item, `${field}[${i}]`, depth + 1));
  return checkFieldTable(value, field, depth + 1);
}

/** Headers or arguments: a plain object of JSON values, keys of at most 255 bytes. */
export function checkFieldTable(value: unknown, field: string, depth = 0): { readonly [name: string]: FieldValue } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) fail(field, 'an object of names and JSON values', value);
  const table: Record<string, FieldValue> = {};
  for (const [name, item] of Object.entries(value)) {
    if (name === '!') throw new DriverError('config', `${field} has an entry named "!", which the AMQP client reads as a type tag, not as a value.`, 'Rename that entry.');
    checkShortString(name, `A name in ${field}`);
    table[name] = checkFieldValue(item, `${field}.${name}`, depth);
  }
  return table;
}

const optional = <T>(value: unknown, check: (v: unknown) => T): T | undefined => (value === undefined ? undefined : check(value));

function checkProperties(value: unknown): MessageProperties {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('The message properties', 'an object', value);
  const p: Record<string, unknown> = { ...value };
  const text = (name: string, label: string): string | undefined => optional(p[name], (v) => checkShortString(v, label));
  const expiration = text('expiration', 'The expiration');
  if (expiration !== undefined && expiration !== '' && !/^\d{1,10}$/.test(expiration)) fail('The expiration', 'a whole number of milliseconds', expiration);
  const persistent = optional(p['persistent'], (v) => checkBoolean(v, 'Persistent'));
  const priority = optional(p['priority'], (v) => checkInteger(v, 'The priority', 0, 255));
  const headers = optional(p['headers'], (v) => checkFieldTable(v, 'The headers'));
  const contentType = text('contentType', 'The content type');
  const contentEncoding = text('contentEncoding', 'The content encoding');
  const correlationId = text('correlationId', 'The correlation id');
  const replyTo = text('replyTo', 'Reply-to');
  const messageId = text('messageId', 'The message id');
  const type = text('type', 'The message type');
  const appId = text('appId', 'The app id');
  return {
    ...(persistent !== undefined ? { persistent } : {}), ...(priority !== undefined ? { priority } : {}), ...(headers !== undefined ? { headers } : {}),
    ...(expiration !== undefined ? { expiration } : {}), ...(contentType !== undefined ? { contentType } : {}), ...(contentEncoding !== undefined ? { contentEncoding } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}), ...(replyTo !== undefined ? { replyTo } : {}), ...(messageId !== undefined ? { messageId } : {}),
    ...(type !== undefined ? { type } : {}), ...(appId !== undefined ? { appId } : {}),
  };
}

/** Publishing the same message more times than this is a load test, not something to start from a form. */
export const MAX_REPEAT = 1_000_000;

export function checkPublish(request: unknown): PublishRequest {
  if (typeof request !== 'object' || request === null) fail('The message to publish', 'an object', request);
  const r: Record<string, unknown> = { ...request };
  if (typeof r['body'] !== 'string') fail('The body', 'text', r['body']);
  return {
    exchange: checkShortString(r['exchange'], 'The exchange name'),
    routingKey: checkShortString(r['routingKey'], 'The routing key'),
    body: r['body'],
    encoding: checkChoice(r['encoding'], 'The body encoding', ['text', 'json', 'base64'] as const),
    properties: checkProperties(r['properties']),
    ...(r['repeat'] !== undefined ? { repeat: checkInteger(r['repeat'], 'Repeat', 1, MAX_REPEAT) } : {}),
    ...(r['mandatory'] !== undefined ? { mandatory: checkBoolean(r['mandatory'], 'Mandatory') } : {}),
  };
}

export function checkExchangeSpec(spec: ExchangeSpec): ExchangeSpec {
  return {
    name: checkShortString(spec.name, 'The exchange name'),
    type: checkChoice(spec.type, 'The exchange type', ['direct', 'fanout', 'topic', 'headers'] as const),
    durable: checkBoolean(spec.durable, 'Durable'),
    autoDelete: checkBoolean(spec.autoDelete, 'Auto-delete'),
    internal: checkBoolean(spec.internal, 'Internal'),
    ...(spec.arguments !== undefined ? { arguments: checkFieldTable(spec.arguments, 'The exchange arguments') } : {}),
  };
}

export function checkQueueSpec(spec: QueueSpec): QueueSpec {
  const name = (v: unknown, label: string) => optional(v, (x) => checkShortString(x, label));
  const deadLetterExchange = name(spec.deadLetterExchange, 'The dead-letter exchange');
  const deadLetterRoutingKey = name(spec.deadLetterRoutingKey, 'The dead-letter routing key');
  const messageTtl = optional(spec.messageTtl, (v) => checkInteger(v, 'The message TTL', 0, 2 ** 32 - 1));
  const maxLength = optional(spec.maxLength, (v) => checkInteger(v, 'The max length', 0, Number.MAX_SAFE_INTEGER));
  return {
    name: checkShortString(spec.name, 'The queue name'),
    durable: checkBoolean(spec.durable, 'Durable'),
    exclusive: checkBoolean(spec.exclusive, 'Exclusive'),
    autoDelete: checkBoolean(spec.autoDelete, 'Auto-delete'),
    ...(spec.quorum !== undefined ? { quorum: checkBoolean(spec.quorum, 'Quorum') } : {}),
    ...(messageTtl !== undefined ? { messageTtl } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(deadLetterExchange !== undefined ? { deadLetterExchange } : {}),
    ...(deadLetterRoutingKey !== undefined ? { deadLetterRoutingKey } : {}),
    ...(spec.arguments !== undefined ? { arguments: checkFieldTable(spec.arguments, 'The queue arguments') } : {}),
  };
}

export function checkBindingSpec(spec: BindingSpec): BindingSpec {
  return {
    source: checkShortString(spec.source, 'The source exchange'),
    destination: checkShortString(spec.destination, 'The destination'),
    destinationType: checkChoice(spec.destinationType, 'The destination type', ['queue', 'exchange'] as const),
    routingKey: checkShortString(spec.routingKey, 'The routing key'),
    ...(spec.arguments !== undefined ? { arguments: checkFieldTable(spec.arguments, 'The binding arguments') } : {}),
  };
}
