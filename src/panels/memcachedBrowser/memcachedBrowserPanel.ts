import * as vscode from 'vscode';
import type { MemcachedSession } from '../../drivers/memcached';
import { MemcachedProfile } from '../../drivers/types';
import { messageOf } from '../../drivers/errors';
import { SessionManager } from '../../core/sessionManager';
import { Log } from '../../core/log';
import { RequestPanel } from '../requestPanel';
import { BrowserRequest, BrowserResponses, KeyRow, ServerListing, ToBrowser } from './protocol';

/** Keys of a Memcached pool, streamed from every server into a virtualized list, with a cas-safe value editor. */
export class MemcachedBrowserPanel extends RequestPanel<BrowserRequest, BrowserResponses[BrowserRequest['type']], ToBrowser> {
  private static readonly open = new Map<string, MemcachedBrowserPanel>();
  private listing: AbortController | undefined;

  static show(extensionUri: vscode.Uri, profile: MemcachedProfile, sessions: SessionManager, log: Log): MemcachedBrowserPanel {
    const existing = MemcachedBrowserPanel.open.get(profile.id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const created = new MemcachedBrowserPanel(extensionUri, profile, sessions, log);
    MemcachedBrowserPanel.open.set(profile.id, created);
    created.register({ dispose: () => MemcachedBrowserPanel.open.delete(profile.id) });
    return created;
  }

  private constructor(extensionUri: vscode.Uri, private readonly profile: MemcachedProfile, private readonly sessions: SessionManager, private readonly log: Log) {
    super(extensionUri, 'switchboard.memcachedBrowser', 'memcachedBrowser', `${profile.name}: keys`, 'layers');
    this.register({ dispose: () => this.listing?.abort() });
  }

  private session(): Promise<MemcachedSession> {
    return this.sessions.session(this.profile).then((s) => s as MemcachedSession);
  }

  protected async init(): Promise<void> {
    const cap = vscode.workspace.getConfiguration('switchboard').get<number>('memcached.listCap', 1_000_000);
    const session = await this.session().catch((error: unknown) => {
      this.log.report(`Connecting to ${this.profile.name}`, error);
      return undefined;
    });
    await this.post({ type: 'init', name: this.profile.name, readOnly: this.profile.readOnly, servers: session?.servers ?? [], cap });
  }

  protected async answer(request: BrowserRequest): Promise<BrowserResponses[BrowserRequest['type']]> {
    const session = await this.session();
    switch (request.type) {
      case 'list':
        void this.list(session);
        return { started: true };
      case 'cancelList':
        this.listing?.abort();
        return { cancelled: true };
      case 'get': {
        const item = await session.get(request.key, request.server);
        if (!item) return {};
        const { decoded } = item;
        return { item: { key: item.key, server: item.server, mappedServer: item.mappedServer, flags: item.flags, cas: item.cas, size: item.data.length, format: decoded.format, display: decoded.display, note: decoded.note, editable: decoded.editable } };
      }
      case 'save': {
        const data = request.text;
        const result = await session.compareAndSet({ key: request.key, server: request.server, cas: request.cas, flags: request.flags }, Buffer.from(data, 'utf8'));
        return { result };
      }
      case 'delete': {
        const what = request.items.length === 1 ? `"${request.items[0]!.key}"` : `${request.items.length} keys`;
        const choice = await vscode.window.showWarningMessage(`Delete ${what} from ${this.profile.name}?`, { modal: true, detail: 'Memcached has no undo.' }, 'Delete');
        if (choice !== 'Delete') return { cancelled: true };
        return { deleted: await session.deleteMulti(request.items) };
      }
      case 'create': {
        const stored = await session.store(request.mode, request.key, Buffer.from(request.text, 'utf8'), { flags: request.flags, ttl: request.ttl });
        return { stored, server: session.serverOf(request.key) };
      }
      case 'counter': {
        const value = await session.counter(request.op, request.key, BigInt(request.delta), request.server);
        return value === undefined ? { error: `${request.key} no longer exists.` } : { value: value.toString() };
      }
      case 'touch':
        return { touched: await session.touch(request.key, request.ttl, request.server) };
    }
  }

  /** Streams keys to the webview; the extension host keeps none of them. */
  private async list(session: MemcachedSession): Promise<void> {
    this.listing?.abort();
    const controller = new AbortController();
    this.listing = controller;
    const started = Date.now();
    const servers = session.servers;
    const cap = vscode.workspace.getConfiguration('switchboard').get<number>('memcached.listCap', 1_000_000);
    const done: ServerListing[] = [];
    try {
      await session.listKeys(
        (keys) => {
          const rows: KeyRow[] = keys.map((k) => ({
            key: k.key, server: servers.indexOf(k.server), size: k.size, expiry: k.expiry,
            ...(k.lastAccess !== undefined ? { lastAccess: k.lastAccess } : {}), ...(k.slabClass !== undefined ? { slabClass: k.slabClass } : {}),
          }));
          void this.post({ type: 'keys', rows });
        },
        { cap, signal: controller.signal, onServerDone: (server, result) => done.push({ server, ...result }) },
      );
      await this.post({ type: 'listDone', servers: done, elapsedMs: Date.now() - started });
    } catch (error) {
      const cancelled = controller.signal.aborted;
      await this.post({ type: 'listDone', servers: done, elapsedMs: Date.now() - started, ...(cancelled ? { cancelled } : { error: messageOf(error) }) });
    }
  }
}
