import type { BodyEncoding, FieldValue, MessageProperties, PublishRequest } from '../../src/drivers/rabbitmq/shapes';
import { el } from '../shared/dom';

const field = (label: string, input: HTMLElement, wide = false): HTMLElement => el('label', { className: wide ? 'field wide' : 'field' }, el('span', { text: label }), input);
const text = (placeholder: string, list?: string): HTMLInputElement => el('input', { attrs: { type: 'text', placeholder, spellcheck: 'false', ...(list ? { list } : {}) } });

/** The message fields Publish and RPC share: target, body with its encoding, and AMQP properties. */
export class PublishForm {
  readonly exchange = text('(default exchange)', 'rmq-exchanges');
  readonly routingKey = text('routing key', 'rmq-keys');
  readonly body = el('textarea', { attrs: { rows: '5', spellcheck: 'false', 'aria-label': 'Message body', placeholder: 'message body' } });
  readonly encoding = el('select', { attrs: { 'aria-label': 'Body encoding' } },
    el('option', { text: 'Text', attrs: { value: 'text' } }), el('option', { text: 'JSON', attrs: { value: 'json' } }), el('option', { text: 'Base64 (binary)', attrs: { value: 'base64' } }));
  readonly persistent = el('input', { attrs: { type: 'checkbox' } });
  readonly contentType = text('e.g. application/json');
  readonly contentEncoding = text('e.g. gzip');
  readonly headers = el('textarea', { attrs: { rows: '2', spellcheck: 'false', placeholder: '{"tenant": "acme"}', 'aria-label': 'Headers as JSON' } });
  readonly priority = el('input', { attrs: { type: 'number', min: '0', max: '255', placeholder: '0–255' } });
  readonly expiration = el('input', { attrs: { type: 'number', min: '0', placeholder: 'ms' } });
  readonly correlationId = text('');
  readonly replyTo = text('');
  readonly messageId = text('');
  readonly type = text('');
  readonly appId = text('');
  readonly element: HTMLElement;

  constructor(withReplyTo: boolean) {
    const props = el('details', { className: 'props' }, el('summary', { text: 'Properties and headers' }),
      el('div', { className: 'grid' },
        field('Persistent (delivery mode 2)', this.persistent),
        field('Content type', this.contentType), field('Content encoding', this.contentEncoding),
        field('Priority', this.priority), field('Expiration', this.expiration),
        field('Correlation id', this.correlationId), withReplyTo ? field('Reply to', this.replyTo) : undefined,
        field('Message id', this.messageId), field('Type', this.type), field('App id', this.appId),
        field('Headers (JSON object)', this.headers, true)));
    this.element = el('div', { className: 'form' },
      el('div', { className: 'grid' }, field('Exchange', this.exchange), field('Routing key', this.routingKey), field('Body as', this.encoding)),
      this.body, props);
  }

  /** The request, or the reason the form is not valid yet. */
  read(): PublishRequest | string {
    let headers: Record<string, FieldValue> | undefined;
    if (this.headers.value.trim()) {
      try {
        const parsed: unknown = JSON.parse(this.headers.value);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'Headers must be a JSON object, e.g. {"tenant": "acme"}.';
        headers = parsed as Record<string, FieldValue>;
      } catch (error) {
        return `Headers are not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    const priority = this.priority.value === '' ? undefined : Number(this.priority.value);
    if (priority !== undefined && (!Number.isInteger(priority) || priority < 0 || priority > 255)) return 'Priority is a whole number from 0 to 255.';
    const optional = (key: keyof MessageProperties, value: string): Partial<MessageProperties> => (value.trim() ? { [key]: value.trim() } : {});
    const properties: MessageProperties = {
      persistent: this.persistent.checked,
      ...optional('contentType', this.contentType.value), ...optional('contentEncoding', this.contentEncoding.value),
      ...(headers ? { headers } : {}), ...(priority === undefined ? {} : { priority }),
      ...optional('expiration', this.expiration.value), ...optional('correlationId', this.correlationId.value),
      ...optional('replyTo', this.replyTo.value), ...optional('messageId', this.messageId.value),
      ...optional('type', this.type.value), ...optional('appId', this.appId.value),
    };
    return { exchange: this.exchange.value.trim(), routingKey: this.routingKey.value, body: this.body.value, encoding: this.encoding.value as BodyEncoding, properties };
  }
}
