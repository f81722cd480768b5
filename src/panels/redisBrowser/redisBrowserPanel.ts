import * as vscode from 'vscode';
import type { RedisSession } from '../../drivers/redis';
import { RedisProfile } from '../../drivers/types';
import { messageOf } from '../../drivers/errors';
import { notJsonObject } from '../../drivers/format';
import { SessionManager } from '../../core/sessionManager';
import { RequestPanel } from '../requestPanel';
import { redisValueUri } from '../../fs/redisValueFileSystem';
import { BrowserRequest, BrowserResponses, KeyRow, ToBrowser } from './protocol';

const PAGE_SIZE = 200;


/** A pause/resume gate the scan loop awaits between SCAN calls. */
class Gate {
  private waiting: Promise<void> | undefined;
  private open: (() => void) | undefined;

  get paused(): boolean {
    return this.waiting !== undefined;
  }

  pause(): void {
    this.waiting ??= new Promise((resolve) => (this.open = resolve));
  }

  resume(): void {
    this.open?.();
    this.waiting = undefined;
  }

  wait = (): Promise<void> => this.waiting ?? Promise.resolve();
}

/** The keys of one Redis database, streamed with SCAN into a virtualized list, with a paged value viewer. */
export class RedisBrowserPanel extends RequestPanel<BrowserRequest, BrowserResponses[BrowserRequest['type']], ToBrowser> {
  private static readonly open = new Map<string, RedisBrowserPanel>();
  private scanning: AbortController | undefined;
  private readonly gate = new Gate();

  static show(extensionUri: vscode.Uri, profile: RedisProfile, db: number, sessions: SessionManager): RedisBrowserPanel {
    const id = `${profile.id}/${db}`;
    const existing = RedisBrowserPanel.open.get(id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const created = new RedisBrowserPanel(extensionUri, profile, db, sessions);
    RedisBrowserPanel.open.set(id, created);
    created.register({ dispose: () => RedisBrowserPanel.open.delete(id) });
    return created;
  }

  private constructor(extensionUri: vscode.Uri, private readonly profile: RedisProfile, private readonly db: number, private readonly sessions: SessionManager) {
    super(extensionUri, 'switchboard.redisBrowser', 'redisBrowser', `${profile.name}: db${db}`, 'database');
    this.register({ dispose: () => this.stopScan() });
  }

  private async session(): Promise<RedisSession> {
    return (await this.sessions.session(this.profile)) as RedisSession;
  }

  private stopScan(): void {
    this.scanning?.abort();
    this.gate.resume();
  }

  protected async init(): Promise<void> {
    const delimiter = vscode.workspace.getConfiguration('switchboard').get<string>('redis.keyDelimiter', ':') || ':';
    await this.post({ type: 'init', name: this.profile.name, db: this.db, readOnly: this.profile.readOnly, pageSize: PAGE_SIZE, delimiter });
  }

  protected async answer(request: BrowserRequest): Promise<BrowserResponses[BrowserRequest['type']]> {
    const session = await this.session();
    switch (request.type) {
      case 'scan':
        void this.scan(session, request.match, request.keyType);
        return { started: true };
      case 'metadata':
        return { rows: await session.metadata(this.db, request.keys.slice(0, 500)) };
      case 'pause':
        this.gate.pause();
        return { paused: true };
      case 'resume':
        this.gate.resume();
        return { paused: false };
      case 'cancel':
        this.stopScan();
        return { cancelled: true };
      case 'value':
        return { page: await session.value(this.db, request.key, { limit: PAGE_SIZE, ...(request.cursor !== undefined ? { cursor: request.cursor } : {}), ...(request.offset !== undefined ? { offset: request.offset } : {}) }) };
      case 'saveString':
        return { result: await session.saveString(this.db, request.key, Buffer.from(request.text, 'utf8'), Buffer.from(request.expected, 'utf8')) };
      case 'delete': {
        const what = request.keys.length === 1 ? `"${request.keys[0]!.text}"` : `${request.keys.length} keys`;
        const choice = await vscode.window.showWarningMessage(`Delete ${what} from ${this.profile.name} db${this.db}?`, { modal: true, detail: 'Redis has no undo.' }, 'Delete');
        if (choice !== 'Delete') return { cancelled: true };
        return { deleted: await session.deleteKeys(this.db, request.keys) };
      }
      case 'rename': {
        const to = { text: request.to };
        if (await session.rename(this.db, request.key, to, false)) return { renamed: true };
        const choice = await vscode.window.showWarningMessage(`"${request.to}" already exists in db${this.db}. Replace it with "${request.key.text}"?`, { modal: true, detail: 'Its current value is lost.' }, 'Replace');
        if (choice !== 'Replace') return { cancelled: true };
        return { renamed: await session.rename(this.db, request.key, to, true) };
      }
      case 'expire':
        return { done: await session.expire(this.db, request.key, request.seconds) };
      case 'edit':
        return { changed: await session.edit(this.db, request.key, request.edit) };
      case 'create':
        await session.create(this.db, { text: request.key }, request.first);
        return { created: true };
      case 'deleteMatching':
        return this.deleteMatching(session, request.pattern);
      case 'openInEditor': {
        const document = await vscode.workspace.openTextDocument(redisValueUri(this.profile.id, this.db, request.key, request.field));
        if (notJsonObject(document.getText()) === undefined) await vscode.languages.setTextDocumentLanguage(document, 'json');
        await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
        return { opened: true };
      }
    }
  }

  /** Counts first, confirms with the count, then UNLINKs in batches under a cancellable progress notification. */
  private async deleteMatching(session: RedisSession, pattern: string): Promise<BrowserResponses['deleteMatching']> {
    const count = await session.deleteMatching(this.db, pattern, { dryRun: true });
    if (count === 0) return { deleted: 0 };
    const choice = await vscode.window.showWarningMessage(`Delete ${count.toLocaleString()} keys matching "${pattern}" from ${this.profile.name} db${this.db}?`, { modal: true, detail: 'They are unlinked in batches; cancelling stops between batches. Redis has no undo.' }, 'Delete');
    if (choice !== 'Delete') return { cancelled: true };
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting keys matching ${pattern}`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let last = 0;
      const deleted = await session.deleteMatching(this.db, pattern, {
        dryRun: false,
        signal: controller.signal,
        onProgress: (done) => {
          progress.report({ message: `${done.toLocaleString()} of about ${count.toLocaleString()}`, increment: ((done - last) / count) * 100 });
          last = done;
        },
      });
      return { deleted, ...(controller.signal.aborted ? { cancelled: true } : {}) };
    });
  }

  /** Streams the scan to the webview in batches; the extension host keeps no keys. */
  private async scan(session: RedisSession, match: string, keyType: string): Promise<void> {
    this.stopScan();
    const controller = new AbortController();
    this.scanning = controller;
    const started = Date.now();
    let pending: KeyRow[] = [];
    let lastPost = 0;
    const flush = (): void => {
      if (pending.length) void this.post({ type: 'keys', rows: pending });
      pending = [];
      lastPost = Date.now();
    };
    try {
      const { found } = await session.scan(this.db, {
        match,
        ...(keyType ? { type: keyType } : {}),
        signal: controller.signal,
        gate: this.gate.wait,
        onBatch: (rows) => {
          pending.push(...rows);
          // Batched updates: at most every 100 ms or 5,000 rows, so the webview is never flooded.
          if (pending.length >= 5000 || Date.now() - lastPost > 100) flush();
        },
        onProgress: (p) => void this.post({ type: 'progress', scanned: p.scanned, total: p.total, paused: this.gate.paused }),
      });
      flush();
      await this.post({ type: 'scanDone', found, elapsedMs: Date.now() - started, ...(controller.signal.aborted ? { cancelled: true } : {}) });
    } catch (error) {
      flush();
      await this.post({ type: 'scanDone', found: 0, elapsedMs: Date.now() - started, error: messageOf(error) });
    }
  }
}
