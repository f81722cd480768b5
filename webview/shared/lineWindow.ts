/**
 * The lines of a long list that the host keeps, held in the webview a window at a time: the lines in view and a
 * margin around them, fetched as the view moves. Memory stays that of a few windows however long the list is.
 * When the host's lines move (a folder opened, keys arrived above), the window is marked stale: its lines are
 * still drawn until the fresh ones arrive, so the view does not blink.
 */
export interface LineWindowOptions<L> {
  /** Asks the host for lines [start, start + count); undefined when the answer belongs to an older list. */
  readonly fetch: (start: number, count: number) => Promise<readonly L[] | undefined>;
  /** Lines arrived: redraw. */
  readonly loaded: () => void;
  /** Reports a failed fetch. */
  readonly failed: (error: unknown) => void;
  /** Lines fetched beyond the view on each side. */
  readonly margin?: number;
}

export class LineWindow<L> {
  private start = 0;
  private lines: readonly L[] = [];
  private stale = true;
  private busy = false;
  private wanted: [number, number] | undefined;
  /** Bumped by `invalidate`: an answer to a request made before it is stale as it arrives. */
  private version = 0;

  constructor(private readonly options: LineWindowOptions<L>) {}

  /** The line at `index`, fresh or stale; undefined when it has not been fetched. */
  get(index: number): L | undefined {
    return index >= this.start && index < this.start + this.lines.length ? this.lines[index - this.start] : undefined;
  }

  /** The line at `index` if it is here and fresh: what is known to be drawn there now. */
  fresh(index: number): L | undefined {
    return this.stale ? undefined : this.get(index);
  }

  /** Whether lines [first, last) are all here and fresh. */
  covers(first: number, last: number): boolean {
    return !this.stale && first >= this.start && last <= this.start + this.lines.length;
  }

  /** The view shows lines [first, last) of `total`: fetches them (with a margin) unless they are here and fresh. */
  want(first: number, last: number, total: number): void {
    const end = Math.min(last, total);
    if (end <= first ? !this.stale : this.covers(first, end)) return;
    const margin = this.options.margin ?? 200;
    this.wanted = [Math.max(0, first - margin), Math.min(total, end + margin)];
    void this.pump();
  }

  /** The host's lines moved: what is held is drawn until the lines in view are fetched again. */
  invalidate(): void {
    this.stale = true;
    this.version++;
  }

  /** Forgets every line (a new list). */
  clear(): void {
    this.lines = [];
    this.start = 0;
    this.invalidate();
  }

  /** Changes the lines held in place (what the host said about them since). */
  update(change: (line: L) => L): void {
    this.lines = this.lines.map(change);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.wanted) {
        const [start, end] = this.wanted;
        this.wanted = undefined;
        const version = this.version;
        const lines = await this.options.fetch(start, end - start);
        if (lines === undefined) continue;
        // An answer to a request from before the lines moved is drawn only if nothing fresher is here.
        if (version !== this.version && !this.stale) continue;
        this.start = start;
        this.lines = lines;
        this.stale = version !== this.version;
        this.options.loaded();
      }
    } catch (error) {
      this.options.failed(error);
    } finally {
      this.busy = false;
    }
  }
}
