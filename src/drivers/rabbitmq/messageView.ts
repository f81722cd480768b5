import type { Message, MessageProperties as AmqpProperties, Options } from 'amqplib';
import { DriverError } from '../errors';
import { BodyEncoding, DeathView, FieldValue, MessageProperties, MessageView } from './shapes';

/** The bytes as UTF-8 text, or undefined when they are not; a character cut at the end by `cut` is left out. */
function utf8Text(bytes: Buffer, cut: boolean): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: cut });
  } catch {
    return undefined;
  }
}

/** Field-table values as JSON: Buffers become base64 text, Dates ISO strings, bigints decimal strings. */
export function fieldValue(value: unknown): FieldValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return `base64:${value.toString('base64')}`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(fieldValue);
  if (typeof value === 'object') {
    // amqplib hands typed values over as { '!': type, value }.
    if ('!' in value && 'value' in value) return fieldValue(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fieldValue(v)]));
  }
  return String(value);
}

function deaths(headers: Record<string, unknown> | undefined): DeathView[] {
  const list = headers?.['x-death'];
  if (!Array.isArray(list)) return [];
  return list.map((entry: Record<string, unknown>) => {
    const time = entry['time'] as { value?: number } | number | undefined;
    const seconds = typeof time === 'number' ? time : time?.value;
    const keys = entry['routing-keys'];
    return {
      queue: String(entry['queue'] ?? ''),
      reason: String(entry['reason'] ?? ''),
      count: Number(entry['count'] ?? 0),
      exchange: String(entry['exchange'] ?? ''),
      routingKeys: Array.isArray(keys) ? keys.map(String) : [],
      ...(typeof seconds === 'number' ? { time: new Date(seconds * 1000).toISOString() } : {}),
    };
  });
}

const PROPERTY_NAMES = ['contentType', 'contentEncoding', 'deliveryMode', 'priority', 'correlationId', 'replyTo', 'expiration', 'messageId', 'timestamp', 'type', 'userId', 'appId'] as const;

function properties(props: AmqpProperties): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const name of PROPERTY_NAMES) {
    const value: unknown = props[name];
    if (value === undefined || value === null) continue;
    out[name] = typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
  }
  return out;
}

let nextId = 1;

/**
 * Renders a delivered message for the panel: bytes stay bytes unless they are valid UTF-8, and a body longer than
 * `maxBodyBytes` is shown cut to it (marked `truncated`; `size` keeps the whole length).
 */
export function messageView(message: Message, maxBodyBytes: number, remaining?: number): MessageView {
  const truncated = message.content.length > maxBodyBytes;
  const shown = truncated ? message.content.subarray(0, maxBodyBytes) : message.content;
  const text = utf8Text(shown, truncated);
  const body = text ?? shown.toString('base64');
  const bodyEncoding: 'text' | 'base64' = text === undefined ? 'base64' : 'text';
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  return {
    id: nextId++,
    exchange: message.fields.exchange,
    routingKey: message.fields.routingKey,
    redelivered: message.fields.redelivered,
    body,
    bodyEncoding,
    size: message.content.length,
    ...(truncated ? { truncated } : {}),
    properties: properties(message.properties),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, fieldValue(v)])),
    deaths: deaths(headers),
    receivedAt: Date.now(),
    ...(remaining === undefined ? {} : { remaining }),
  };
}

/** The bytes to publish: JSON is checked (and kept as typed), base64 decoded strictly. */
export function encodeBody(body: string, encoding: BodyEncoding): Buffer {
  if (encoding === 'json') {
    try {
      JSON.parse(body);
    } catch (error) {
      throw new DriverError('config', `The body is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, 'Fix the JSON or publish it as text.');
    }
  }
  if (encoding === 'base64') {
    const clean = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
      throw new DriverError('config', 'The body is not valid base64.', 'Use only A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4 characters.');
    }
    return Buffer.from(clean, 'base64');
  }
  return Buffer.from(body, 'utf8');
}

/** amqplib publish options from the panel's properties. */
export function publishOptions(props: MessageProperties, encoding: BodyEncoding, mandatory: boolean): Options.Publish {
  const contentType = props.contentType || (encoding === 'json' ? 'application/json' : undefined);
  return {
    mandatory,
    ...(props.persistent ? { persistent: true } : {}),
    ...(contentType ? { contentType } : {}),
    ...(props.contentEncoding ? { contentEncoding: props.contentEncoding } : {}),
    ...(props.headers && Object.keys(props.headers).length ? { headers: props.headers } : {}),
    ...(props.priority !== undefined ? { priority: props.priority } : {}),
    ...(props.expiration ? { expiration: props.expiration } : {}),
    ...(props.correlationId ? { correlationId: props.correlationId } : {}),
    ...(props.replyTo ? { replyTo: props.replyTo } : {}),
    ...(props.messageId ? { messageId: props.messageId } : {}),
    ...(props.type ? { type: props.type } : {}),
    ...(props.appId ? { appId: props.appId } : {}),
    timestamp: Math.floor(Date.now() / 1000),
  };
}

/** Publish options that carry a fetched message on unchanged (for move and replay). */
export function republishOptions(message: Message): Options.Publish {
  const p = message.properties;
  const options: Options.Publish = {};
  for (const name of PROPERTY_NAMES) {
    const value: unknown = p[name];
    if (value !== undefined && value !== null) Object.assign(options, { [name]: value });
  }
  if (p.headers) options.headers = p.headers;
  return options;
}
