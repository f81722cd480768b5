import * as vscode from 'vscode';
import type { ItemView, MemcachedSession } from '../../drivers/memcached';
import { MemcachedProfile } from '../../drivers/types';
import { DriverError } from '../../drivers/errors';
import { config } from '../../core/config';
import { Disposable, toDisposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { withCancellableProgress } from '../../core/progress';
import { SessionManager } from '../../core/sessionManager';
import { Init, ResultOf } from '../ipc/protocol';
import { Questions } from '../ipc/questions';
import { listed } from '../ipc/question';
import { PanelView, wiredError } from '../panelView';
import { KeyListing } from './keyListing';
import { browserProtocol, ItemDetails } from './protocol';
import { OpenPanels } from '../openPanels';

export interface MemcachedBrowserOptions {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly sessions: SessionManager;
  /** The panel changed what the servers hold: the tree shows their item counts again. */
  readonly wrote: (profile: MemcachedProfile) => void;
}

/** Keys deleted per round of a big delete, so that Cancel is heard between rounds. */
const DELETE_ROUND = 500;
/** Keys named when the panel asks before deleting. */
const NAMED = 8;

type Requests = (typeof browserProtocol)['requests'];
/** A key to delete, with where the listing has it (-1: not listed). */
type DeleteKey = { readonly key: string; readonly server: string; readonly index: number };

/**
 * Keys of a Memcached pool, listed from every server into a packed store on the host, shown in a virtual list
 * that asks for the rows it draws; a cas-safe value editor. After each write the panel shows what the server holds:
 * the item is read again, and the listing follows (a deleted key leaves it, a stored one joins it).
 */
export class MemcachedBrowserPanel extends Disposable {
  private static readonly open = new OpenPanels<MemcachedBrowserPanel>();
  readonly panel: vscode.WebviewPanel;
  private readonly listing: KeyListing;
  /** Deletes are asked about in the panel; each ticket keeps the keys its question named and counted. */
  private readonly deletes = new Questions<readonly DeleteKey[]>();

  static show(options: MemcachedBrowserOptions, profile: MemcachedProfile): MemcachedBrowserPanel {
    return MemcachedBrowserPanel.open.show(profile.id, () => new MemcachedBrowserPanel(options, profile));
  }

  private constructor(private readonly options: MemcachedBrowserOptions, private readonly profile: MemcachedProfile) {
    super();
    const servers = profile.servers.map((s) => `${s.host}:${s.port}`);
    const view = this.register(new PanelView(this, options.extensionUri, options.log, { viewType: 'switchboard.memcachedBrowser', entry: 'memcachedBrowser', title: vscode.l10n.t('{0}: keys', profile.name), icon: 'layers' }, browserProtocol, {
      ready: async (): Promise<Init<typeof browserProtocol>> => ({
        name: profile.name, readOnly: profile.readOnly, servers, cap: config.memcachedListCap(),
        listing: this.listing.state(), view: this.listing.viewState(), groups: this.listing.groups(),
      }),
      requests: {
        window: async ({ view: viewId, start, count }) => {
          const rows = this.listing.window(viewId, start, count);
          if (!rows) throw new DriverError('conflict', vscode.l10n.t('The list changed since these rows were asked for.'), { worded: vscode.l10n.t('They are asked for again.') });
          return { rows };
        },
        filter: async (filter) => this.listing.filter(filter),
        locate: async (target) => ({ view: this.listing.viewState().id, position: this.listing.locate(target.key, target.server, target.index) }),
        get: async (target) => {
          const item = await (await this.session()).get(target.key, target.server);
          this.follow(target, item);
          return item ? { item: details(item) } : {};
        },
        save: async ({ target, cas, flags, text }) => {
          const session = await this.session();
          const result = await session.compareAndSet({ key: target.key, server: target.server, cas, flags }, Buffer.from(text, 'utf8'));
          const item = await session.get(target.key, target.server);
          this.follow(target, item);
          this.wrote();
          return { result, ...(item ? { item: details(item) } : {}) };
        },
        decoded: async ({ target, choice }) => {
          const found = await (await this.session()).decoded(target.key, target.server, choice);
          if (!found) throw new DriverError('config', vscode.l10n.t('{0} is gone: the server no longer holds it.', target.key));
          return found;
        },
        saveDecoded: async ({ target, cas, choice, text, expected }) => {
          const session = await this.session();
          const result = await session.saveDecoded({ key: target.key, server: target.server, cas }, choice, expected, text);
          this.follow(target, await session.get(target.key, target.server));
          if (result === 'saved') this.wrote();
          return { result };
        },
        delete: async ({ view: viewId, ranges, confirmed }) => {
          const request = ['delete', viewId, ranges];
          if (confirmed !== undefined) return this.delete(this.deletes.agreed(request, confirmed));
          return this.deleteQuestion(request, this.selected(viewId, ranges).keys);
        },
        deleteItem: async ({ confirmed, ...target }) => {
          const request = ['deleteItem', target.key, target.server, target.index ?? null];
          if (confirmed !== undefined) return this.delete(this.deletes.agreed(request, confirmed));
          return this.deleteQuestion(request, [{ ...target, index: this.listing.indexOf(target.key, target.server, target.index) }]);
        },
        create: async ({ key, text, flags, ttl, mode }) => {
          const session = await this.session();
          const stored = await session.store(mode, key, Buffer.from(text, 'utf8'), { flags, ttl });
          const server = session.serverOf(key);
          const item = await session.get(key, server);
          if (item) this.listing.stored(key, server, found(item));
          this.wrote();
          return { stored, server };
        },
        counter: async ({ target, op, delta }) => {
          const session = await this.session();
          await session.counter(op, target.key, BigInt(delta), target.server);
          const item = await session.get(target.key, target.server);
          this.follow(target, item);
          return item ? { item: details(item) } : {};
        },
        touch: async ({ target, ttl }) => {
          const session = await this.session();
          await session.touch(target.key, ttl, target.server);
          const item = await session.get(target.key, target.server);
          this.follow(target, item);
          return item ? { item: details(item) } : {};
        },
      },
      commands: {
        list: () => this.list(),
        cancelList: () => this.listing.cancel(),
      },
    }));
    this.panel = view.panel;
    this.listing = new KeyListing(servers, {
      listing: (state) => view.notify('listing', state),
      view: (state) => view.notify('view', state),
      groups: (groups) => view.notify('groups', groups),
      errorOf: wiredError,
    });
    this.register(toDisposable(() => this.listing.dispose()));
    void this.list();
  }

  private session(): Promise<MemcachedSession> {
    return this.options.sessions.session(this.profile);
  }

  private list(): Promise<void> {
    return this.listing.list(() => this.session(), config.memcachedListCap());
  }

  /** The listing follows what a read found: a key that is gone leaves it; one that is there shows its size and TTL. */
  private follow(target: { key: string; server: string; index?: number }, item: ItemView | undefined): void {
    const index = this.listing.indexOf(target.key, target.server, target.index);
    if (!item) {
      if (index >= 0) this.listing.removed([index]);
      return;
    }
    this.listing.stored(target.key, target.server, found(item));
  }

  /**
   * How many listed keys these positions of a view hold, and the first `most` of them; refused once the view was
   * replaced, as the positions have moved.
   */
  private selected(viewId: number, ranges: readonly (readonly [number, number])[], most = Infinity): { count: number; keys: { key: string; server: string; index: number }[] } {
    const indices = this.listing.at(viewId, ranges);
    if (!indices) throw new DriverError('conflict', vscode.l10n.t('The list changed since these keys were selected: nothing was done.'), { worded: vscode.l10n.t('Select them again.') });
    const keys = indices.slice(0, most).map((i) => this.listing.keys.key(i)).map((k) => ({ key: k.key, server: this.listing.keys.servers[k.server] ?? '', index: k.index }));
    return { count: indices.length, keys };
  }

  /**
   * The question before a delete, naming the keys as the host listed them; its ticket keeps exactly those keys, so
   * the delete takes what was asked about even if the listing moved on meanwhile.
   */
  private deleteQuestion(request: unknown, keys: readonly DeleteKey[]): ResultOf<Requests['delete']> {
    const none = { deleted: 0, asked: 0, removed: 0, cancelled: false };
    if (keys.length === 0) return { ...none, cancelled: true };
    const name = this.profile.name;
    return {
      ...none,
      ask: this.deletes.ask(request, {
        message: keys.length === 1 ? vscode.l10n.t('Delete "{0}" from {1}?', keys[0]!.key, name) : vscode.l10n.t('Delete {0} keys from {1}?', keys.length.toLocaleString('en-US'), name),
        ...(keys.length > 1 ? listed(keys.slice(0, NAMED).map((k) => k.key), keys.length) : {}),
        detail: vscode.l10n.t('Memcached has no undo.'),
        action: vscode.l10n.t('Delete'),
      }, keys),
    };
  }

  /**
   * Deletes keys (index: where the listing has them, -1 if it does not), once the user said yes to the question
   * asked in the panel with Cancel focused (VS Code's modal dialogs focus the action button, which Enter would press).
   */
  private async delete(keys: readonly DeleteKey[]): Promise<ResultOf<Requests['delete']>> {
    if (keys.length === 0) return { deleted: 0, asked: 0, removed: 0, cancelled: true };
    const what = keys.length === 1 ? `"${keys[0]!.key}"` : `${keys.length.toLocaleString('en-US')} keys`;
    const session = await this.session();
    let deleted = 0;
    let removed = 0;
    const gone: number[] = [];
    const run = async (signal?: AbortSignal, report?: (message: string, increment?: number) => void): Promise<void> => {
      for (let at = 0; at < keys.length && !signal?.aborted; at += DELETE_ROUND) {
        const round = keys.slice(at, at + DELETE_ROUND);
        deleted += await session.deleteMulti(round.map((k) => ({ key: k.key, server: k.server })));
        // Deleted, or already gone: either way the server does not hold it.
        removed += round.length;
        gone.push(...round.map((k) => k.index).filter((i) => i >= 0));
        report?.(`${Math.min(at + DELETE_ROUND, keys.length).toLocaleString('en-US')} of ${keys.length.toLocaleString('en-US')}`, (100 * round.length) / keys.length);
      }
    };
    try {
      if (keys.length <= DELETE_ROUND) await run();
      else await withCancellableProgress(`Deleting ${what} from ${this.profile.name}`, (report, signal) => run(signal, report));
    } finally {
      this.listing.removed(gone);
      this.wrote();
    }
    return { deleted, asked: keys.length, removed, cancelled: removed < keys.length };
  }

  private wrote(): void {
    this.options.wrote(this.profile);
  }
}

/** What a read says the listing should show: the item's size as a listing counts it (the value's, if the server cannot say). */
function found(item: ItemView): { size: number; ttl: number | undefined } {
  return { size: item.itemSize ?? item.data.length, ttl: item.ttl };
}

function details(item: ItemView): ItemDetails {
  const { decoded } = item;
  return {
    key: item.key, server: item.server, mappedServer: item.mappedServer, flags: item.flags, cas: item.cas, size: item.data.length,
    ...(item.ttl === undefined ? {} : { ttl: item.ttl }),
    format: decoded.format, display: decoded.display, notes: decoded.notes, editable: decoded.editable,
  };
}
