import type { MemcachedSession } from '../../drivers/memcached';
import type { ListingResult } from '../../drivers/memcached/listing';
import { KeyFilter, KeyStore, KeyView } from '../../drivers/memcached/keyStore';
import type { WireError } from '../ipc/protocol';
import { GroupCounts, KeyRow, ListingState, ServerListing, ViewFilter, ViewState } from './protocol';

/** How often a running listing tells the webview how far it has come. */
const PROGRESS_MS = 200;
const GROUPS_MS = 1000;
const SHOWN_GROUPS = 500;

export interface ListingEvents {
  readonly listing: (state: ListingState) => void;
  readonly view: (view: ViewState) => void;
  readonly groups: (groups: GroupCounts) => void;
  /** A failure as the panel shows it, worded in the user's language by the VS Code layer. */
  readonly errorOf: (error: unknown) => WireError;
}

/**
 * The keys a Memcached browser shows, on the host: the listing (streamed into a KeyStore), its outcome, and the
 * current view (the filter and the keys it lets through). The webview asks for windows of the view; while a listing
 * runs it hears the counts at most every 200 ms, however fast keys arrive.
 */
export class KeyListing {
  private store: KeyStore;
  private view: KeyView;
  private viewIds = 0;
  private generation = 0;
  private running = false;
  private started = 0;
  private elapsedMs = 0;
  private servers: ServerListing[] = [];
  private cancelled = false;
  private error: ListingState['error'] | undefined;
  private controller: AbortController | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private groupsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly serverNames: readonly string[], private readonly events: ListingEvents) {
    this.store = new KeyStore(serverNames);
    this.view = new KeyView(++this.viewIds, { text: '' });
  }

  get keys(): KeyStore {
    return this.store;
  }

  state(): ListingState {
    return {
      generation: this.generation, running: this.running, keys: this.store.live, elapsedMs: this.running ? Date.now() - this.started : this.elapsedMs,
      servers: this.servers, cancelled: this.cancelled, ...(this.error ? { error: this.error } : {}),
    };
  }

  viewState(): ViewState {
    return { id: this.view.id, count: this.view.length, filter: filterOf(this.view.filter) };
  }

  groups(): GroupCounts {
    return this.store.topGroups(SHOWN_GROUPS);
  }

  /** Lists every key again, into a fresh store; the filter stays. A failure (to connect, too) is the listing's outcome. */
  async list(session: () => Promise<MemcachedSession>, cap: number): Promise<void> {
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    const generation = ++this.generation;
    this.store = new KeyStore(this.serverNames);
    this.view = new KeyView(++this.viewIds, this.view.filter);
    this.running = true;
    this.started = Date.now();
    this.servers = [];
    this.cancelled = false;
    this.error = undefined;
    this.events.view(this.viewState());
    this.events.groups(this.groups());
    this.progress();
    const servers: ServerListing[] = [];
    const current = (): boolean => generation === this.generation;
    try {
      await (await session()).listKeys((batch) => {
        if (!current()) return;
        const first = this.store.add(batch);
        this.store.collect(this.view, this.view.filter, first);
        this.soon();
      }, { cap, signal: controller.signal, onServerDone: (server: string, result: ListingResult) => servers.push({ server, ...result }) });
    } catch (error) {
      if (current()) {
        if (controller.signal.aborted) this.cancelled = true;
        else this.error = this.events.errorOf(error);
      }
    }
    if (!current()) return;
    this.running = false;
    this.elapsedMs = Date.now() - this.started;
    this.servers = servers;
    this.controller = undefined;
    this.flush();
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** Shows the keys `filter` lets through, in a new view. */
  filter(filter: ViewFilter): ViewState {
    const wanted: KeyFilter = filter.group === undefined ? { text: filter.text } : { text: filter.text, group: filter.group };
    this.view = new KeyView(++this.viewIds, wanted);
    this.store.collect(this.view, wanted);
    return this.viewState();
  }

  /** Rows of the current view; a request for a replaced view is refused (the webview has been told of the new one). */
  window(viewId: number, start: number, count: number): KeyRow[] | undefined {
    if (viewId !== this.view.id) return undefined;
    const rows: KeyRow[] = [];
    for (let i = start; i < Math.min(start + count, this.view.length); i++) rows.push(this.store.key(this.view.at(i)));
    return rows;
  }

  /** The listed keys at these positions of view `viewId`, or undefined when that view has been replaced. */
  at(viewId: number, ranges: readonly (readonly [number, number])[]): number[] | undefined {
    if (viewId !== this.view.id) return undefined;
    const indices: number[] = [];
    for (const [start, end] of ranges) for (let i = Math.max(0, start); i < Math.min(end, this.view.length); i++) indices.push(this.view.at(i));
    return indices;
  }

  /** Keys deleted on the server leave the listing and the view. */
  removed(indices: readonly number[]): void {
    for (const index of indices) this.store.remove(index);
    this.view = this.liveCopy();
    this.flush();
  }

  /** A key the server holds, as a read found it: listed (or updated) with its size and expiry. */
  stored(key: string, server: string, found: { size: number; ttl: number | undefined }): void {
    const now = Math.floor(Date.now() / 1000);
    const serverIndex = this.serverNames.indexOf(server);
    const before = this.store.length;
    const expiry = found.ttl === undefined ? undefined : found.ttl < 0 ? -1 : now + found.ttl;
    const index = this.store.upsert(key, Math.max(0, serverIndex), found.size, expiry, now);
    if (index >= before) this.store.collect(this.view, this.view.filter, index);
    this.flush();
  }

  /** Where a listed key is in the current view, or -1. */
  locate(key: string, server: string, hint: number | undefined): number {
    const index = this.indexOf(key, server, hint);
    if (index < 0) return -1;
    for (let i = 0; i < this.view.length; i++) if (this.view.at(i) === index) return i;
    return -1;
  }

  /** The index of a listed key (the webview's hint first, checked), or -1. */
  indexOf(key: string, server: string, hint: number | undefined): number {
    const serverIndex = this.serverNames.indexOf(server);
    if (hint !== undefined && this.store.isLive(hint)) {
      const listed = this.store.key(hint);
      if (listed.key === key && listed.server === serverIndex) return hint;
    }
    return this.store.find(key, serverIndex);
  }

  /** A new view of the keys still listed, so that windows of the old one (whose positions have moved) are refused. */
  private liveCopy(): KeyView {
    const next = new KeyView(++this.viewIds, this.view.filter);
    for (let i = 0; i < this.view.length; i++) if (this.store.isLive(this.view.at(i))) next.push(this.view.at(i));
    return next;
  }

  private soon(): void {
    this.progressTimer ??= setTimeout(() => this.progress(), PROGRESS_MS);
    this.groupsTimer ??= setTimeout(() => {
      this.groupsTimer = undefined;
      this.events.groups(this.groups());
    }, GROUPS_MS);
  }

  private progress(): void {
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    this.events.listing(this.state());
    this.events.view(this.viewState());
  }

  /** Tells everything now: the listing ended, or keys changed. */
  private flush(): void {
    clearTimeout(this.groupsTimer);
    this.groupsTimer = undefined;
    this.progress();
    this.events.groups(this.groups());
  }

  dispose(): void {
    this.controller?.abort();
    clearTimeout(this.progressTimer);
    clearTimeout(this.groupsTimer);
  }
}

function filterOf(filter: KeyFilter): ViewFilter {
  return filter.group === undefined ? { text: filter.text } : { text: filter.text, group: filter.group };
}
