import type { BodyEncoding, FieldValue, MessageProperties, PublishRequest } from '../../src/drivers/rabbitmq/shapes';
import { expiration, fieldTable, priority, shortString } from '../../src/panels/rabbitMq/protocol';
import { el } from '../shared/dom';
import { allValid, checked, Field, Reading } from '../shared/fieldNotes';
import * as l10n from '@vscode/l10n';

type TextProperty = 'contentType' | 'contentEncoding' | 'expiration' | 'correlationId' | 'replyTo' | 'messageId' | 'type' | 'appId';
const text = (placeholder: string, list?: string): HTMLInputElement => el('input', { attrs: { type: 'text', placeholder, spellcheck: 'false', ...(list ? { list } : {}) } });
const ok = <T>(value: T): Reading<T> => ({ ok: true, value });
const problem = (text: string): Reading<never> => ({ ok: false, problem: text });

/** JSON text that must be an object (a message's headers, a headers exchange's binding arguments); empty is none. */
export function readTable(value: string, what: 'headers' | 'headerArguments'): Reading<{ readonly [name: string]: FieldValue } | undefined> {
  if (!value.trim()) return ok(undefined);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return problem(what === 'headers' ? l10n.t('Headers are not valid JSON: {0}.', reason) : l10n.t('Header arguments are not valid JSON: {0}.', reason));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return problem(what === 'headers' ? l10n.t('Headers are a JSON object, e.g. {"tenant": "acme"}.') : l10n.t('Header arguments are a JSON object, e.g. {"tenant": "acme"}.'));
  }
  const table = checked(fieldTable, parsed);
  return table.ok ? ok(table.value) : problem(table.problem);
}

/** The body as its encoding reads it: JSON must parse, base64 must decode. */
function readBody(body: string, encoding: BodyEncoding): Reading<string> {
  if (encoding === 'json') {
    try {
      JSON.parse(body);
    } catch (error) {
      return problem(l10n.t('The body is not valid JSON: {0}.', error instanceof Error ? error.message : String(error)));
    }
  }
  if (encoding === 'base64') {
    const clean = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return problem(l10n.t('The body is not valid base64: only A–Z, a–z, 0–9, + and /, padded with = to a multiple of 4 characters.'));
  }
  return ok(body);
}

/** The message fields Publish and RPC share: target, body with its encoding, and AMQP properties, each with its note. */
export class PublishForm {
  readonly exchange: Field<string>;
  readonly routingKey: Field<string>;
  readonly encoding: Field<BodyEncoding>;
  readonly body: Field<string>;
  private readonly persistent: Field<boolean>;
  private readonly headers: Field<{ readonly [name: string]: FieldValue } | undefined>;
  private readonly priority: Field<number | undefined>;
  private readonly texts: readonly (readonly [TextProperty, Field<string>])[];
  readonly element: HTMLElement;
  /** Every control, for what the webview remembers while hidden. */
  readonly controls: readonly (HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement)[];

  constructor(prefix: string, withReplyTo: boolean) {
    const short = (label: string, what: string, control: HTMLInputElement): Field<string> => new Field(label, control, { read: () => checked(shortString(what), control.value.trim()) });
    this.exchange = short(l10n.t('Exchange'), 'The exchange name', text(l10n.t('(default exchange)'), 'rmq-exchanges'));
    this.routingKey = short(l10n.t('Routing key'), 'The routing key', text(l10n.t('routing key'), 'rmq-keys'));
    const encoding = el('select', { attrs: { 'aria-label': l10n.t('Body encoding') } }, el('option', { text: l10n.t('Text'), attrs: { value: 'text' } }), el('option', { text: 'JSON', attrs: { value: 'json' } }), el('option', { text: l10n.t('Base64 (binary)'), attrs: { value: 'base64' } }));
    const encodingOf = (value: string): BodyEncoding => (value === 'json' || value === 'base64' ? value : 'text');
    this.encoding = new Field(l10n.t('Body as'), encoding, { read: () => ok(encodingOf(encoding.value)) });
    const body = el('textarea', { attrs: { rows: '5', spellcheck: 'false', placeholder: l10n.t('message body') } });
    this.body = new Field(l10n.t('Message body'), body, { read: () => readBody(body.value, encodingOf(encoding.value)), wide: true });
    encoding.addEventListener('change', () => this.body.refresh());
    const persistent = el('input', { attrs: { type: 'checkbox' } });
    this.persistent = new Field(l10n.t('Persistent (delivery mode 2)'), persistent, { read: () => ok(persistent.checked) });
    const headers = el('textarea', { attrs: { rows: '2', spellcheck: 'false', placeholder: '{"tenant": "acme"}' } });
    this.headers = new Field(l10n.t('Headers (JSON object)'), headers, { read: () => readTable(headers.value, 'headers'), wide: true });
    headers.setAttribute('aria-label', l10n.t('Headers as JSON'));
    const priorityInput = el('input', { attrs: { type: 'number', min: '0', max: '255', placeholder: '0–255' } });
    this.priority = new Field(l10n.t('Priority'), priorityInput, { read: () => (priorityInput.value === '' ? ok(undefined) : checked(priority, Number(priorityInput.value))) });
    const expirationInput = el('input', { attrs: { type: 'text', inputmode: 'numeric', placeholder: l10n.t('ms') } });
    this.texts = [
      ['contentType', short(l10n.t('Content type'), 'The content type', text(l10n.t('e.g. application/json')))],
      ['contentEncoding', short(l10n.t('Content encoding'), 'The content encoding', text(l10n.t('e.g. gzip')))],
      ['expiration', new Field(l10n.t('Expiration (ms)'), expirationInput, { read: () => checked(expiration, expirationInput.value.trim()) })],
      ['correlationId', short(l10n.t('Correlation id'), 'The correlation id', text(''))],
      ...(withReplyTo ? [['replyTo', short(l10n.t('Reply to'), 'Reply-to', text(''))] as const] : []),
      ['messageId', short(l10n.t('Message id'), 'The message id', text(''))],
      ['type', short(l10n.t('Type'), 'The type', text(''))],
      ['appId', short(l10n.t('App id'), 'The app id', text(''))],
    ];
    const props = el('details', { className: 'props' }, el('summary', { text: l10n.t('Properties and headers') }),
      el('div', { className: 'grid' }, this.persistent.element, this.priority.element, ...this.texts.map(([, f]) => f.element), this.headers.element));
    this.element = el('div', { className: 'form', attrs: { id: `${prefix}-form` } },
      el('div', { className: 'grid' }, this.exchange.element, this.routingKey.element, this.encoding.element, this.body.element),
      props);
    this.controls = [this.exchange, this.routingKey, this.encoding, this.body, this.persistent, this.priority, ...this.texts.map(([, f]) => f), this.headers].map((f) => f.control);
  }

  /** The request, or undefined after every field with a problem has said so. */
  read(): PublishRequest | undefined {
    const texts = this.texts.map(([, f]) => f);
    if (!allValid([this.exchange, this.routingKey, this.encoding, this.body, this.persistent, this.priority, ...texts, this.headers])) return undefined;
    const properties: { -readonly [K in keyof MessageProperties]?: MessageProperties[K] } = { persistent: this.persistent.value };
    for (const [key, field] of this.texts) if (field.value) properties[key] = field.value;
    const headers = this.headers.value;
    if (headers) properties.headers = headers;
    const priorityValue = this.priority.value;
    if (priorityValue !== undefined) properties.priority = priorityValue;
    return { exchange: this.exchange.value, routingKey: this.routingKey.value, body: this.body.value, encoding: this.encoding.value, properties };
  }
}
