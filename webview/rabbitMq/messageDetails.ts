import type { MessageView } from '../../src/drivers/rabbitmq/shapes';
import { el } from '../shared/dom';
import { indentJson } from '../shared/viewFormat';
import * as l10n from '@vscode/l10n';

function table(title: string, rows: readonly (readonly [string, string])[]): HTMLElement | undefined {
  if (rows.length === 0) return undefined;
  return el('section', {}, el('h3', { text: title }),
    el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])));
}

/** The body laid out for reading: JSON indented with every token as sent, anything else exactly as it arrived. */
function bodyForReading(message: MessageView): string {
  return (message.bodyEncoding === 'text' && !message.truncated ? indentJson(message.body) : undefined) ?? message.body;
}

/** One message in full: delivery, properties, headers, x-death history and body. Everything is set as text. */
export function messageDetails(message: MessageView, state: string): HTMLElement {
  const bytes = message.size.toLocaleString();
  const size = message.bodyEncoding === 'base64' ? l10n.t('{0} bytes (binary, shown as base64)', bytes) : l10n.t('{0} bytes', bytes);
  const delivery: [string, string][] = [
    [l10n.t('state'), state],
    [l10n.t('exchange'), message.exchange || l10n.t('(default)')], [l10n.t('routing key'), message.routingKey], [l10n.t('redelivered'), String(message.redelivered)],
    [l10n.t('size'), message.truncated ? l10n.t('{0} — body cut: only the first part is shown (switchboard.maxShownValueKB)', size) : size],
    [l10n.t('received'), new Date(message.receivedAt).toISOString()],
  ];
  if (message.remaining !== undefined) delivery.push([l10n.t('left in queue'), String(message.remaining)]);
  const properties = Object.entries(message.properties).map(([k, v]): [string, string] => [k, k === 'timestamp' && typeof v === 'number' ? `${new Date(v * 1000).toISOString()} (${v})` : String(v)]);
  const headers = Object.entries(message.headers).filter(([k]) => k !== 'x-death').map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  const deaths = message.deaths.map((d, i): [string, string] => {
    const facts = [d.reason, d.queue, String(d.count), d.exchange || l10n.t('(default)'), d.routingKeys.join(', ')] as const;
    return [`#${i + 1}`, d.time ? l10n.t('{0} in queue {1} ×{2}, from exchange {3} with key {4} at {5}', ...facts, d.time) : l10n.t('{0} in queue {1} ×{2}, from exchange {3} with key {4}', ...facts)];
  });
  return el('div', { className: 'message' },
    table(l10n.t('Delivery'), delivery), table(l10n.t('Properties'), properties), table(l10n.t('Headers'), headers), table(l10n.t('Dead-lettered (x-death, newest first)'), deaths),
    el('section', {}, el('h3', { text: l10n.t('Body') }), el('pre', { className: 'body', text: bodyForReading(message) })));
}
