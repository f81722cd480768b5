import * as vscode from 'vscode';
import type { RedisSession } from '../../drivers/redis';
import { RedisProfile } from '../../drivers/types';
import { DriverError } from '../../drivers/errors';
import { notJsonObject } from '../../drivers/format';
import { Disposable, toDisposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { config } from '../../core/config';
import { withCancellableProgress } from '../../core/progress';
import { SessionManager } from '../../core/sessionManager';
import { PanelView, wiredError } from '../panelView';
import type { ParamsOf, ResultOf } from '../ipc/protocol';
import { redisValueUri } from '../../fs/redisValueFileSystem';
import type { KeyRef, MemberEdit } from '../../drivers/redis/shapes';
import { browserProtocol, KeyMeta } from './protocol';
import { BrowserModel } from './browserModel';
import { named, removalQuestion } from './memberRemoval';
import { Questions } from '../ipc/questions';
import { listed, Question } from '../ipc/question';
import { OpenPanels } from '../openPanels';

const PAGE_SIZE = 200;
type Requests = (typeof browserProtocol)['requests'];
type Result<K extends keyof Requests> = ResultOf<Requests[K]>;
type Target = { readonly key: KeyRef; readonly row: number | null };

/**
 * The keys of one Redis database, scanned into the extension host (see BrowserModel) and drawn a window at a time
 * by the webview, with a paged value viewer. Every write is followed by reading back what the server holds.
 */
export class RedisBrowserPanel extends Disposable {
  private static readonly open = new OpenPanels<RedisBrowserPanel>();
  readonly panel: vscode.WebviewPanel;
  /** What the panel holds and shows, kept while the webview is hidden. */
  readonly model: BrowserModel;
  private readonly view: PanelView<typeof browserProtocol>;
  /** Deletes are asked about in the panel; these are the tickets of the questions it was given. */
  private readonly questions = new Questions();
  /** Delete Matching's questions keep the count they said, for the progress. */
  private readonly matchingQuestions = new Questions<number>();

  /** `match`: the pattern to scan for, in a new browser or instead of what an open one shows (the memory analysis's rows). */
  static show(extensionUri: vscode.Uri, log: Log, profile: RedisProfile, db: number, sessions: SessionManager, match?: string): RedisBrowserPanel {
    const id = `${profile.id}/${db}`;
    return RedisBrowserPanel.open.show(id, () => new RedisBrowserPanel(extensionUri, log, profile, db, sessions, match ?? ''), (open) => {
      open.view.reveal();
      if (match !== undefined) void open.model.start(() => open.session(), match, '').catch(() => undefined);
    });
  }

  private constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly db: number, private readonly sessions: SessionManager, firstMatch: string) {
    super();
    this.model = new BrowserModel(db, config.redisKeyDelimiter(), {
      changed: (scan, lines, groups) => this.view.notify('state', { scan, lines, ...(groups ? { groups: this.model.groups() } : {}) }),
      errorOf: wiredError,
    });
    let started = false;
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.redisBrowser', entry: 'redisBrowser', title: `${profile.name}: db${db}`, icon: 'database' }, browserProtocol, {
      ready: async () => {
        // The first webview starts the first scan; one that comes back after being hidden finds it where it is.
        if (!started) {
          started = true;
          void this.model.start(() => this.session(), firstMatch, '').catch(() => undefined);
        }
        return {
          name: profile.name,
          db,
          readOnly: profile.readOnly,
          delimiter: this.model.delimiter,
          pageSize: PAGE_SIZE,
          scan: this.model.scan,
          view: this.model.currentView,
          lines: this.model.lineCount,
          groups: this.model.groups(),
          restored: this.model.restored(),
        };
      },
      requests: {
        scan: ({ match, keyType }) => this.model.start(() => this.session(), match, keyType),
        pause: async () => this.model.pause(),
        resume: async () => this.model.resume(),
        cancel: async () => this.model.cancel(),
        show: async (view) => ({ lines: await this.model.show(view), groups: this.model.groups() }),
        window: async ({ generation, start, count }) => ({ generation: this.model.generation, lines: this.model.lineCount, items: generation === this.model.generation ? this.model.window(start, count) : [] }),
        toggle: async ({ generation, folder, expanded }) => ({ lines: generation === this.model.generation ? this.model.toggle(folder, expanded) : this.model.lineCount }),
        metadata: async ({ generation, rows }) => (generation === this.model.generation ? this.model.metadata(await this.session(), rows) : []),
        locate: async ({ generation, items }) => (generation === this.model.generation ? this.model.locate(items) : items.map(() => -1)),
        value: async ({ key, row, cursor, offset }) => {
          const session = await this.session();
          const [page, meta] = await Promise.all([
            session.value(db, key, { limit: PAGE_SIZE, ...(cursor !== undefined ? { cursor } : {}), ...(offset !== undefined ? { offset } : {}) }),
            this.reread({ key, row }),
          ]);
          return { page, meta };
        },
        saveString: async ({ key, row, text, expected }) => {
          const result = await (await this.session()).saveString(db, key, Buffer.from(text, 'utf8'), Buffer.from(expected, 'utf8'));
          await this.reread({ key, row });
          return { result };
        },
        decoded: async ({ key, choice }) => (await this.session()).decoded(db, key, choice),
        saveDecoded: async ({ key, row, choice, text, expected }) => {
          const result = await (await this.session()).saveDecoded(db, key, choice, expected, text);
          await this.reread({ key, row });
          return { result };
        },
        deleteRows: async ({ generation, rows, confirmed }) => {
          if (generation !== this.model.generation) throw new DriverError('config', vscode.l10n.t('The list changed since those keys were selected.'), { worded: vscode.l10n.t('Select them again.') });
          return this.deleteKeys(['deleteRows', generation, rows], this.model.keysOf(rows), confirmed);
        },
        delete: ({ key, row, confirmed }) => this.deleteKeys(['delete', key, row], [{ key, row }], confirmed),
        rename: (params) => this.rename(params),
        expire: (params) => this.expire(params),
        persist: async ({ key, row }) => {
          const done = await (await this.session()).persist(db, key);
          await this.reread({ key, row });
          return { done };
        },
        streamGroups: async ({ key }) => {
          await vscode.commands.executeCommand('switchboard.redis.streamGroups', profile.id, db, key);
          return {};
        },
        openInEditor: async ({ key, field }) => {
          const document = await vscode.workspace.openTextDocument(redisValueUri(profile.id, db, key, field));
          if (notJsonObject(document.getText()) === undefined) await vscode.languages.setTextDocumentLanguage(document, 'json');
          await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
          return {};
        },
        edit: ({ key, row, edit, confirmed }) => this.edit({ key, row }, edit, confirmed),
        create: async ({ key, first }) => {
          await (await this.session()).create(db, { text: key }, first);
          return { row: this.model.added({ text: key }) };
        },
        deleteMatching: ({ pattern, confirmed }) => this.deleteMatching(pattern, confirmed),
      },
      commands: { remember: (memory) => this.model.remember(memory) },
    }));
    this.panel = this.view.panel;
    this.register(toDisposable(() => this.model.stop()));
  }

  private session(): Promise<RedisSession> {
    return this.sessions.session(this.profile);
  }

  /**
   * Type, TTL and memory of a key as the server holds them now, learnt for the row it is shown on (checked to hold
   * that key): after every read of a value and every write, so the listing never shows what was there before.
   */
  private async reread(target: Target): Promise<KeyMeta> {
    const [found] = await (await this.session()).metadata(this.db, [target.key]);
    const { type, ttl, memory } = found ?? { type: 'none', ttl: -2 };
    const meta = { type, ttl, ...(memory !== undefined ? { memory } : {}) };
    const row = this.model.rowOf(target.key, target.row);
    if (row !== undefined) this.model.learn(row, meta);
    return meta;
  }

  /**
   * Deletes keys once the user said yes to the question naming them (`confirmed`: its ticket, good for this very
   * request only); without it, answers with that question. A read-only session refuses in the driver.
   */
  private async deleteKeys(request: unknown, targets: readonly Target[], confirmed: string | undefined): Promise<Result<'delete'>> {
    if (targets.length === 0) return { deleted: 0 };
    if (confirmed === undefined) return { deleted: 0, ask: this.deleteQuestion(request, targets) };
    this.questions.agreed(request, confirmed);
    const deleted = await (await this.session()).deleteKeys(this.db, targets.map((t) => t.key));
    for (const target of targets) {
      const row = this.model.rowOf(target.key, target.row);
      if (row !== undefined) this.model.markGone(row);
    }
    return { deleted };
  }

  private deleteQuestion(request: unknown, targets: readonly Target[]): Question {
    const where = `${this.profile.name} db${this.db}`;
    const names = targets.map((t) => named(t.key.text));
    const message = targets.length === 1
      ? vscode.l10n.t('Delete "{0}" from {1}?', names[0] ?? '', where)
      : vscode.l10n.t('Delete {0} keys from {1}?', targets.length.toLocaleString('en-US'), where);
    return this.questions.ask(request, { message, ...(targets.length > 1 ? listed(names) : {}), detail: vscode.l10n.t('Redis has no undo.'), action: vscode.l10n.t('Delete') });
  }

  private async rename({ key, row, to, confirmed }: ParamsOf<Requests['rename']>): Promise<Result<'rename'>> {
    const session = await this.session();
    const target = { text: to };
    const request = ['rename', key, to];
    if (confirmed === undefined) {
      // A new name joins the list; one in use is replaced only once the user said so.
      if (!(await session.rename(this.db, key, target, false))) {
        return {
          renamed: false,
          ask: this.questions.ask(request, {
            message: vscode.l10n.t('"{0}" already exists in db{1}. Replace it with "{2}"?', named(to), this.db, named(key.text)),
            detail: vscode.l10n.t('Its current value is lost. Redis has no undo.'),
            action: vscode.l10n.t('Replace'),
          }, undefined),
        };
      }
      this.renamed(key, row, target, true);
      return { renamed: true };
    }
    this.questions.agreed(request, confirmed);
    const renamed = await session.rename(this.db, key, target, true);
    // The name replaced is in the list already if the scan found it.
    if (renamed) this.renamed(key, row, target, false);
    return { renamed };
  }

  private renamed(key: KeyRef, row: number | null, to: KeyRef, fresh: boolean): void {
    const old = this.model.rowOf(key, row);
    if (old !== undefined) this.model.markGone(old);
    if (fresh) this.model.added(to);
  }

  /** A TTL of 0 or less deletes the key at once: asked as the delete it is. */
  private async expire({ key, row, seconds, confirmed }: ParamsOf<Requests['expire']>): Promise<Result<'expire'>> {
    const session = await this.session();
    if (seconds > 0) {
      const done = await session.expire(this.db, key, seconds);
      await this.reread({ key, row });
      return { done, deleted: false };
    }
    const request = ['expire', key, row, seconds];
    if (confirmed === undefined) {
      return {
        done: false,
        deleted: false,
        ask: this.questions.ask(request, {
          message: vscode.l10n.t('A TTL of {0} deletes "{1}" from {2} db{3} at once. Delete it?', seconds, named(key.text), this.profile.name, this.db),
          detail: vscode.l10n.t('To keep the key without a TTL, use Remove TTL. Redis has no undo.'),
          action: vscode.l10n.t('Delete'),
        }, undefined),
      };
    }
    this.questions.agreed(request, confirmed);
    const deleted = (await session.deleteKeys(this.db, [key])) === 1;
    const at = this.model.rowOf(key, row);
    if (at !== undefined) this.model.markGone(at);
    return { done: false, deleted };
  }

  /** A member removal is asked about first, naming the member (and saying when the key goes with its last one). */
  private async edit(target: Target, edit: MemberEdit, confirmed: string | undefined): Promise<Result<'edit'>> {
    const session = await this.session();
    const question = removalQuestion(edit, target.key.text);
    if (question) {
      const request = ['edit', target.key, target.row, edit];
      if (confirmed === undefined) {
        const last = (await session.size(this.db, target.key)) === 1;
        const detail = [
          edit.type === 'list' ? vscode.l10n.t('Only if that item is still there when it is removed.') : '',
          last ? vscode.l10n.t('It is the last one: the key goes with it.') : '',
          vscode.l10n.t('Redis has no undo.'),
        ].filter(Boolean).join(' ');
        return { changed: 0, moved: false, ask: this.questions.ask(request, { message: question, detail, action: vscode.l10n.t('Remove') }, undefined) };
      }
      this.questions.agreed(request, confirmed);
    }
    const result = await session.edit(this.db, target.key, edit);
    await this.reread(target);
    return 'moved' in result ? { changed: 0, moved: true } : { changed: result.changed, moved: false };
  }

  /**
   * Counts first and answers with the question saying how many; with its ticket, UNLINKs in batches under a
   * cancellable progress notification.
   */
  private async deleteMatching(pattern: string, confirmed: string | undefined): Promise<Result<'deleteMatching'>> {
    const session = await this.session();
    const request = ['deleteMatching', pattern];
    if (confirmed === undefined) {
      const count = await session.deleteMatching(this.db, pattern, { dryRun: true });
      if (count === 0) return { deleted: 0, cancelled: false };
      return {
        deleted: 0,
        cancelled: false,
        ask: this.matchingQuestions.ask(request, {
          message: vscode.l10n.t('Delete {0} keys matching "{1}" from {2} db{3}?', count.toLocaleString('en-US'), named(pattern), this.profile.name, this.db),
          detail: vscode.l10n.t('They are unlinked in batches; cancelling stops between batches. Keys made since the count that match are deleted too. Redis has no undo.'),
          action: vscode.l10n.t('Delete'),
        }, count),
      };
    }
    const count = this.matchingQuestions.agreed(request, confirmed);
    return withCancellableProgress(`Deleting keys matching ${named(pattern)}`, async (report, signal) => {
      let last = 0;
      const deleted = await session.deleteMatching(this.db, pattern, {
        dryRun: false,
        signal,
        onProgress: (done) => {
          report(`${done.toLocaleString()} of about ${count.toLocaleString()}`, ((done - last) / count) * 100);
          last = done;
        },
      });
      return { deleted, cancelled: signal.aborted };
    });
  }
}
