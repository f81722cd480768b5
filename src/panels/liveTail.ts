/** A snapshot of a live tail: the newest items kept, and how many arrived in all. */
export interface TailSnapshot<T> {
  readonly items: readonly T[];
  readonly received: number;
}

/**
 * What a live panel (Pub/Sub messages, a tailed exchange) has received, kept on the host: the newest `cap` items,
 * and a batch of what is new at most every `intervalMs`, however fast items arrive. The host keeps all of it, so a
 * webview that was hidden (and so destroyed) gets the whole tail on its return; a snapshot takes what is pending with
 * it, so nothing reaches the webview twice.
 */
export class LiveTail<T> {
  private kept: T[] = [];
  private pending: T[] = [];
  private received = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly cap: number,
    private readonly onBatch: (batch: TailSnapshot<T>) => void,
    private readonly intervalMs = 100,
  ) {}

  push(item: T): void {
    this.received++;
    this.kept.push(item);
    this.pending.push(item);
    // Trimmed in chunks, so that a fast stream does not shift the array on every item.
    if (this.kept.length > this.cap * 1.25) this.kept = this.kept.slice(-this.cap);
    if (this.pending.length > this.cap) this.pending = this.pending.slice(-this.cap);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  snapshot(): TailSnapshot<T> {
    this.pending = [];
    if (this.kept.length > this.cap) this.kept = this.kept.slice(-this.cap);
    return { items: [...this.kept], received: this.received };
  }

  clear(): void {
    this.kept = [];
    this.pending = [];
  }

  /** Drops every item `keep` says no to, from what is kept and from what has not been sent yet. */
  retain(keep: (item: T) => boolean): void {
    this.kept = this.kept.filter(keep);
    this.pending = this.pending.filter(keep);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.onBatch({ items, received: this.received });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
