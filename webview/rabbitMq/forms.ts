/** The Get, Consume and Tail forms: each field with its check, and a note on what the chosen mode does to messages. */
import type { FieldValue } from '../../src/drivers/rabbitmq/shapes';
import { getCount, prefetch, queueName, shortString } from '../../src/panels/rabbitMq/protocol';
import { el } from '../shared/dom';
import { checked, Field, FormField, Note } from '../shared/fieldNotes';
import { readTable } from './publishForm';
import * as l10n from '@vscode/l10n';

const text = (placeholder: string, list?: string): HTMLInputElement => el('input', { attrs: { type: 'text', placeholder, spellcheck: 'false', ...(list ? { list } : {}) } });
const number = (value: string, min: string, max: string): HTMLInputElement => el('input', { attrs: { type: 'number', value, min, max } });
const select = (options: readonly (readonly [string, string])[]): HTMLSelectElement => el('select', {}, ...options.map(([value, label]) => el('option', { text: label, attrs: { value } })));
const pick = <T extends string>(value: string, choices: readonly T[]): T => choices.find((c) => c === value) ?? choices[0]!;

const GET_MODES = ['requeue', 'ack', 'reject'] as const;
const GET_NOTES: Record<(typeof GET_MODES)[number], Note> = {
  requeue: { severity: 'info', text: l10n.t('Peek: the messages go back to the queue, marked redelivered.') },
  ack: { severity: 'warning', text: l10n.t('Get and ack removes the messages from the queue.') },
  reject: { severity: 'warning', text: l10n.t('Reject removes the messages; the queue dead-letters them if it says so.') },
};

export class GetForm {
  readonly queue: Field<string>;
  readonly count: Field<number>;
  readonly mode: Field<(typeof GET_MODES)[number]>;
  readonly fields: readonly FormField[];

  constructor() {
    const queue = text(l10n.t('queue'), 'rmq-queues');
    this.queue = new Field(l10n.t('Queue'), queue, { read: () => checked(queueName, queue.value.trim()) });
    const count = number('10', '1', '10000');
    this.count = new Field(l10n.t('Count'), count, { read: () => checked(getCount, Number(count.value)) });
    const mode = select([['requeue', l10n.t('Peek (requeue)')], ['ack', l10n.t('Get and ack')], ['reject', l10n.t('Reject')]]);
    this.mode = new Field(l10n.t('Mode'), mode, { read: () => ({ ok: true, value: pick(mode.value, GET_MODES) }), advise: (value) => GET_NOTES[value] });
    this.fields = [this.queue, this.count, this.mode];
  }
}

const ACK_MODES = ['manual', 'afterReceive', 'auto'] as const;
const ACK_NOTES: Record<(typeof ACK_MODES)[number], Note> = {
  manual: { severity: 'info', text: l10n.t('Each message waits for Ack, Requeue or Reject below; at most Prefetch wait at a time. Stopping hands the unsettled ones back.') },
  afterReceive: { severity: 'warning', text: l10n.t('Each message is acked, and so removed from the queue, as it arrives.') },
  auto: { severity: 'warning', text: l10n.t('The broker removes each message as it sends it; none can be handed back.') },
};

export class ConsumeForm {
  readonly queue: Field<string>;
  readonly prefetch: Field<number>;
  readonly ackMode: Field<(typeof ACK_MODES)[number]>;
  readonly fields: readonly FormField[];

  constructor() {
    const queue = text(l10n.t('queue'), 'rmq-queues');
    this.queue = new Field(l10n.t('Queue'), queue, { read: () => checked(queueName, queue.value.trim()) });
    const count = number('20', '1', '65535');
    this.prefetch = new Field(l10n.t('Prefetch'), count, { read: () => checked(prefetch, Number(count.value)) });
    const mode = select([['manual', l10n.t('Manual ack')], ['afterReceive', l10n.t('Ack on receipt')], ['auto', l10n.t('Auto-ack by broker')]]);
    this.ackMode = new Field(l10n.t('Acknowledgement'), mode, { read: () => ({ ok: true, value: pick(mode.value, ACK_MODES) }), advise: (value) => ACK_NOTES[value] });
    this.fields = [this.queue, this.prefetch, this.ackMode];
  }
}

export class TailForm {
  readonly exchange: Field<string>;
  readonly pattern: Field<string>;
  readonly headers: Field<{ readonly [name: string]: FieldValue } | undefined>;
  readonly fields: readonly FormField[];

  constructor() {
    const exchange = text(l10n.t('exchange'), 'rmq-exchanges');
    this.exchange = new Field(l10n.t('Exchange to tail'), exchange, {
      read: () => {
        const name = exchange.value.trim();
        return name === '' ? { ok: false, problem: l10n.t('Name the exchange to tail: the default exchange takes no bindings.') } : checked(shortString('The exchange name'), name);
      },
    });
    const pattern = text(l10n.t('e.g. orders.* or #'));
    this.pattern = new Field(l10n.t('Routing pattern'), pattern, {
      read: () => checked(shortString('The routing pattern'), pattern.value),
      advise: (value) => ({ severity: 'info', text: value === '' ? l10n.t('An empty pattern matches only messages published with an empty routing key; # matches all of them.') : l10n.t('On a topic exchange * matches one word and # any number.') }),
    });
    const headers = el('textarea', { attrs: { rows: '1', spellcheck: 'false', placeholder: '{"x-match": "all"}' } });
    this.headers = new Field(l10n.t('Header arguments (headers exchanges)'), headers, { read: () => readTable(headers.value, 'headerArguments') });
    headers.setAttribute('aria-label', l10n.t('Header arguments'));
    this.fields = [this.exchange, this.pattern, this.headers];
  }
}
