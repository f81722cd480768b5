import type { MessageView } from '../../src/drivers/rabbitmq/shapes';
import { el } from '../shared/dom';

function table(title: string, rows: readonly (readonly [string, string])[]): HTMLElement | undefined {
  if (rows.length === 0) return undefined;
  return el('section', {}, el('h3', { text: title }),
    el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])));
}

/** The body as it would be read: pretty JSON when it parses, text, or base64 for bytes that are not UTF-8. */
export function bodyText(message: MessageView): string {
  if (message.bodyEncoding === 'base64') return message.body;
  try {
    return JSON.stringify(JSON.parse(message.body), null, 2);
  } catch {
    return message.body;
  }
}

/** One message in full: delivery, properties, headers, x-death history and body. Everything is set as text. */
export function messageDetails(message: MessageView): HTMLElement {
  const delivery: [string, string][] = [
    ['exchange', message.exchange || '(default)'], ['routing key', message.routingKey], ['redelivered', String(message.redelivered)],
    ['size', `${message.size.toLocaleString()} bytes${message.bodyEncoding === 'base64' ? ' (binary, shown as base64)' : ''}${message.truncated ? ' — body cut: only the first part is shown (switchboard.maxShownValueKB)' : ''}`],
    ['received', new Date(message.receivedAt).toISOString()],
  ];
  if (message.remaining !== undefined) delivery.push(['left in queue', String(message.remaining)]);
  const properties = Object.entries(message.properties).map(([k, v]): [string, string] => [k, k === 'timestamp' && typeof v === 'number' ? `${new Date(v * 1000).toISOString()} (${v})` : String(v)]);
  const headers = Object.entries(message.headers).filter(([k]) => k !== 'x-death').map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  const deaths = message.deaths.map((d, i): [string, string] => [`#${i + 1}`, `${d.reason} in queue ${d.queue} ×${d.count}, from exchange ${d.exchange || '(default)'} with key ${d.routingKeys.join(', ')}${d.time ? ` at ${d.time}` : ''}`]);
  return el('div', { className: 'message' },
    table('Delivery', delivery), table('Properties', properties), table('Headers', headers), table('Dead-lettered (x-death, newest first)', deaths),
    el('section', {}, el('h3', { text: 'Body' }), el('pre', { className: 'body', text: bodyText(message) })));
}
