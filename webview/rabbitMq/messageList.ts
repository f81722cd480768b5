import * as v from 'valibot';
import type { ListName, MessageRow, RowState } from '../../src/panels/rabbitMq/protocol';
import { el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { countOf } from '../shared/viewFormat';
import { messageDetails } from './messageDetails';
import * as l10n from '@vscode/l10n';

/** What a list remembers across being hidden: which messages were selected (by id) and where it was scrolled to. */
export const listView = v.object({ ids: v.array(v.number()), focused: v.number(), position: v.number(), following: v.boolean() });
export type ListView = v.InferOutput<typeof listView>;

/** The marker each state shows, and the colour class it takes. */
const STATE_TEXT: Record<RowState, string> = {
  peeked: l10n.t('peeked'), acked: l10n.t('acked'), rejected: l10n.t('rejected'), removed: l10n.t('removed'), unacked: l10n.t('unacked'),
  requeued: l10n.t('requeued'), returned: l10n.t('back in queue'), copy: l10n.t('copy'), reply: l10n.t('reply'),
};
const STATE_TITLE: Record<RowState, string> = {
  peeked: l10n.t('Handed back to the queue (it comes back marked redelivered)'),
  acked: l10n.t('Acked: removed from the queue'),
  rejected: l10n.t('Rejected: removed from the queue (dead-lettered where the queue says so)'),
  removed: l10n.t('Removed from the queue as it was delivered'),
  unacked: l10n.t('Held by the consumer: waits for Ack, Requeue or Reject'),
  requeued: l10n.t('Requeued: back in the queue'),
  returned: l10n.t('Back in the queue: its consumer stopped before it was settled'),
  copy: l10n.t('A copy routed to the tail; the message itself went on to its queues'),
  reply: l10n.t('The reply to an RPC request'),
};
const COLUMNS = ['#', l10n.t('Time'), l10n.t('Exchange'), l10n.t('Routing key'), l10n.t('State'), l10n.t('Bytes'), l10n.t('Body')];

/** One tab's messages: a virtual list of rows with their state, and the selected message in full below it. */
export class MessageListPane {
  readonly element: HTMLElement;
  readonly list: VirtualList;
  private rows: MessageRow[] = [];
  private received = 0;
  private cap = 10_000;
  private selected = new Set<number>();
  private focusedId = -1;
  private readonly counts = el('span', { className: 'status counts' });
  private readonly details = el('div', { className: 'details', attrs: { 'aria-label': l10n.t('Message details') } });

  constructor(readonly name: ListName, label: string, toolbar: readonly HTMLElement[], private readonly changed: () => void) {
    this.list = new VirtualList({
      rowHeight: 22,
      label,
      render: (row, index) => this.render(row, index),
      onSelectionChange: (indices, focused) => {
        this.selected = new Set([...indices].map((i) => this.rows[i]?.message.id).filter((id): id is number => id !== undefined));
        this.focusedId = this.rows[focused]?.message.id ?? -1;
        this.showDetails();
        this.changed();
      },
    });
    this.list.element.addEventListener('scroll', () => this.changed());
    const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...COLUMNS.map((t, i) => el('span', { className: `cell c${i}`, text: t })));
    this.element = el('div', { className: 'messages' },
      el('div', { className: 'toolbar list-toolbar' }, ...toolbar, this.counts),
      el('div', { className: 'table' }, header, this.list.element),
      this.details);
    this.showDetails();
    this.showCounts();
  }

  /** The list as the host holds it (after a reload), with what this webview remembered of its view. */
  load(items: readonly MessageRow[], received: number, cap: number, view: ListView | undefined): void {
    this.cap = cap;
    this.rows = [...items];
    this.received = received;
    this.list.setCount(this.rows.length, true);
    if (view) {
      this.selected = new Set(view.ids);
      this.focusedId = view.focused;
      this.reselect();
      if (view.following) this.list.follow();
      else this.list.moveTo(view.position);
    } else {
      this.list.follow();
    }
    this.showDetails();
    this.showCounts();
  }

  append(items: readonly MessageRow[], received: number): void {
    this.received = received;
    this.rows.push(...items);
    const trimmed = this.rows.length > this.cap ? this.rows.length - this.cap : 0;
    if (trimmed) this.rows.splice(0, trimmed);
    this.list.setCount(this.rows.length);
    if (trimmed) this.reselect();
    this.showCounts();
    this.changed();
  }

  /** Messages whose fate changed. */
  mark(ids: readonly number[], state: RowState): void {
    const changed = new Set(ids);
    for (const row of this.rows) if (changed.has(row.message.id)) row.state = state;
    this.list.refresh();
    if (changed.has(this.focusedId)) this.showDetails();
    this.showCounts();
    this.changed();
  }

  /** Keeps only the rows `keep` says yes to (Clear keeps the messages that still wait for an ack). */
  clear(keep: (row: MessageRow) => boolean = () => false): void {
    this.rows = this.rows.filter(keep);
    this.list.setCount(this.rows.length, true);
    this.selected.clear();
    this.focusedId = -1;
    this.showDetails();
    this.showCounts();
    this.changed();
  }

  /** Shows one message as selected (an RPC reply that just arrived). */
  select(id: number): void {
    this.selected = new Set([id]);
    this.focusedId = id;
    this.reselect();
    this.showDetails();
    this.changed();
  }

  get selection(): MessageRow[] {
    return this.rows.filter((row) => this.selected.has(row.message.id));
  }

  get length(): number {
    return this.rows.length;
  }

  count(state: RowState): number {
    return this.rows.reduce((n, row) => n + (row.state === state ? 1 : 0), 0);
  }

  get view(): ListView {
    return { ids: [...this.selected], focused: this.focusedId, position: this.list.position, following: this.list.isFollowing };
  }

  /** The selection by id, placed at the rows' current indices. */
  private reselect(): void {
    const indices: number[] = [];
    let focused = -1;
    this.rows.forEach((row, i) => {
      if (this.selected.has(row.message.id)) indices.push(i);
      if (row.message.id === this.focusedId) focused = i;
    });
    this.list.restoreSelection(indices, focused);
  }

  private render(element: HTMLElement, index: number): void {
    const { message: m, state } = this.rows[index]!;
    fillRow(element, [String(m.id), new Date(m.receivedAt).toISOString().slice(11, 23), m.exchange || l10n.t('(default)'), m.routingKey, STATE_TEXT[state], m.size.toLocaleString('en-US'), m.body.replace(/\s+/g, ' ').slice(0, 300)]);
    const marker = element.children[4];
    if (!(marker instanceof HTMLElement)) return;
    marker.className = `cell c4 state state-${state}`;
    marker.title = m.redelivered ? l10n.t('{0}. Delivered before (redelivered).', STATE_TITLE[state]) : STATE_TITLE[state];
    if (m.redelivered) marker.append(el('span', { className: 'codicon codicon-history redelivered', attrs: { 'aria-label': l10n.t('redelivered') } }));
  }

  private showDetails(): void {
    const row = this.rows.find((r) => r.message.id === this.focusedId);
    this.details.replaceChildren(row
      ? messageDetails(row.message, `${STATE_TEXT[row.state]}: ${STATE_TITLE[row.state]}`)
      : el('p', { className: 'help', text: this.rows.length ? l10n.t('Select a message to see its properties, headers and body.') : l10n.t('No messages yet.') }));
  }

  private showCounts(): void {
    const unacked = this.count('unacked');
    this.counts.textContent = [
      countOf(this.received, l10n.t('{0} message'), l10n.t('{0} messages')),
      this.rows.length < this.received ? l10n.t('the newest {0} shown', this.rows.length.toLocaleString('en-US')) : '',
      unacked ? l10n.t('{0} unacked', unacked.toLocaleString('en-US')) : '',
    ].filter((part) => part !== '').join(' · ');
  }
}
