import type { MessageView } from '../../drivers/rabbitmq/shapes';
import { LiveTail } from '../liveTail';
import { ListName, LISTS, MessageRow, RowState } from './protocol';

/**
 * The panel's four lists, kept on the host: the newest `cap` rows of each, sent to the webview in batches, and what
 * became of each message. A message a manual consumer holds is `unacked` until the user settles it or the consumer
 * stops; those rows are kept by `clear` (they still wait for the user).
 */
export class MessageLists {
  private readonly tails: Record<ListName, LiveTail<MessageRow>>;
  /** Rows of the consumer's messages that wait for an ack, by message id. */
  private readonly waiting = new Map<number, MessageRow>();

  constructor(readonly cap: number, onBatch: (list: ListName, items: readonly MessageRow[], received: number) => void) {
    const tail = (list: ListName) => new LiveTail<MessageRow>(cap, (batch) => onBatch(list, batch.items, batch.received));
    this.tails = { get: tail('get'), consume: tail('consume'), tail: tail('tail'), rpc: tail('rpc') };
  }

  add(list: ListName, message: MessageView, state: RowState): MessageRow {
    const row: MessageRow = { message, state };
    if (state === 'unacked') this.waiting.set(message.id, row);
    this.tails[list].push(row);
    return row;
  }

  snapshot(): Record<ListName, { items: readonly MessageRow[]; received: number }> {
    const [get, consume, tail, rpc] = LISTS.map((list) => this.tails[list].snapshot());
    return { get: get!, consume: consume!, tail: tail!, rpc: rpc! };
  }

  /** Which of `ids` still wait for an ack. */
  unsettled(ids: readonly number[]): number[] {
    return ids.filter((id) => this.waiting.has(id));
  }

  /** Records that these waiting messages were settled; returns the ids that were waiting. */
  settle(ids: readonly number[], state: RowState): number[] {
    const settled = this.unsettled(ids);
    for (const id of settled) {
      this.waiting.get(id)!.state = state;
      this.waiting.delete(id);
    }
    return settled;
  }

  /** Every waiting message went back to its queue (its consumer stopped); returns their ids. */
  returnAll(): number[] {
    return this.settle([...this.waiting.keys()], 'returned');
  }

  clear(list: ListName): void {
    if (list === 'consume') this.tails.consume.retain((row) => row.state === 'unacked');
    else this.tails[list].clear();
  }

  dispose(): void {
    for (const list of LISTS) this.tails[list].dispose();
  }
}
