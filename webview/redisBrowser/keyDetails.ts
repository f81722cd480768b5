import * as l10n from '@vscode/l10n';
import type { KeyRef, MemberEdit } from '../../src/drivers/redis/shapes';
import type { CodecChoice } from '../../src/drivers/codecs/shapes';
import { browserProtocol, KEY_TYPES } from '../../src/panels/redisBrowser/protocol';
import type { PanelClient } from '../shared/ipc';
import { button, el, shownText } from '../shared/dom';
import { bytesText, ttlText } from './format';
import { showProblem, showStatus } from '../shared/problem';
import { problemOf } from '../shared/problemOf';
import { StringDraft, ValuePane } from './valuePane';
import { askedFirst } from '../shared/confirm';

/** A key the pane shows: its exact name, and the row of the scan it is on (null when not known). */
export interface Target {
  readonly key: KeyRef;
  readonly row: number | null;
}

/** What was typed in the pane and not saved yet: fields by their label, and the edit of a string value. */
export interface Draft {
  readonly key: KeyRef;
  readonly inputs: Readonly<Record<string, string>>;
  readonly value?: StringDraft;
  /** The decoder the user picked for this key (not Auto-detect): kept when the key is read again after a save. */
  readonly decodeAs?: CodecChoice;
}

export interface DetailsEvents {
  /** The pane now shows this key (or none). */
  opened(target: Target | null): void;
  /** A write went through: what the list shows of keys may have changed. */
  written(): void;
  /** What is typed and not saved changed (null: nothing is). */
  drafted(draft: Draft | null): void;
}

const sameKey = (a: KeyRef, b: KeyRef): boolean => a.text === b.text && a.base64 === b.base64;

/**
 * The lower pane of the key browser: one key's type, TTL and memory, its value a page at a time, and what can be
 * done to it. After every write the key is read again, so the pane shows what the server holds, not what was sent.
 */
export class KeyDetails {
  readonly element = el('section', { className: 'details', attrs: { 'aria-label': l10n.t('Value') } });
  private current: Target | null = null;
  /** Bumped on each open: an answer for a key no longer shown is dropped. */
  private reading = 0;

  /** The value shown now, for its unsaved edit. */
  private pane: ValuePane | undefined;

  constructor(private readonly client: PanelClient<typeof browserProtocol>, private readonly readOnly: boolean, private readonly events: DetailsEvents) {
    this.element.addEventListener('input', () => this.events.drafted(this.draft()));
  }

  /** What is typed in the pane and not saved, or null. */
  private draft(): Draft | null {
    if (!this.current || !this.pane) return null;
    const inputs: Record<string, string> = {};
    for (const input of this.element.querySelectorAll('input')) {
      const label = input.getAttribute('aria-label');
      if (label && input.value) inputs[label] = input.value;
    }
    const value = this.pane.draft;
    const decodeAs = this.pane.decodeAs;
    const picked = decodeAs !== undefined && decodeAs !== 'auto' ? decodeAs : undefined;
    return Object.keys(inputs).length || value || picked ? { key: this.current.key, inputs, ...(value ? { value } : {}), ...(picked ? { decodeAs: picked } : {}) } : null;
  }

  /** Puts back what was typed and not saved when the pane was last shown (for the same key only). */
  private restore(draft: Draft): void {
    for (const input of this.element.querySelectorAll('input')) {
      const typed = draft.inputs[input.getAttribute('aria-label') ?? ''];
      if (typed !== undefined) input.value = typed;
    }
    if (draft.value) this.pane?.restoreDraft(draft.value);
  }

  get shown(): Target | null {
    return this.current;
  }

  /**
   * Reads and shows a key; `note` stays shown above its actions (the outcome of the write that led here), `draft`
   * is what was typed for this key and not saved before the panel was hidden.
   */
  async open(target: Target, note?: HTMLElement, draft?: Draft): Promise<void> {
    const reading = ++this.reading;
    // Busy until what the server holds now is shown (after a write too, while the old view is still drawn).
    this.element.setAttribute('aria-busy', 'true');
    try {
      await this.read(reading, target, note, draft);
    } finally {
      if (reading === this.reading) this.element.removeAttribute('aria-busy');
    }
  }

  private async read(reading: number, target: Target, note?: HTMLElement, draft?: Draft): Promise<void> {
    this.current = target;
    this.pane = undefined;
    this.events.opened(target);
    if (!note) this.element.replaceChildren(el('p', { className: 'help', text: l10n.t('Reading {0}…', target.key.text) }));
    const message = note ?? el('div', { className: 'status', attrs: { role: 'status' } });
    const answer = await this.client.request('value', { key: target.key, row: target.row }).catch((error: unknown) => {
      if (reading !== this.reading) return undefined;
      const problem = el('div');
      showProblem(problem, l10n.t('{0} could not be read', target.key.text), problemOf(error));
      this.element.replaceChildren(problem);
      return undefined;
    });
    if (!answer || reading !== this.reading) return;
    const { page, meta } = answer;
    // Read again after a write, keeping what is typed in the other boxes (a box whose write went through is empty).
    const again = (): void => void this.open(this.current ?? target, message, this.draft() ?? undefined);
    const body = el('div', { className: 'value-body' });
    const pane = new ValuePane({
      page: (at) => this.client.request('value', { key: target.key, row: target.row, ...at }).then((next) => next.page),
      edit: (edit) => askedFirst(this.element, (ticket) => this.client.request('edit', { key: target.key, row: target.row, edit, ...ticket })),
      saveString: (text, expected) => this.client.request('saveString', { key: target.key, row: target.row, text, expected }).then((r) => r.result),
      decode: (choice) => this.client.request('decoded', { key: target.key, choice }),
      saveDecoded: (choice, text, expected) => this.client.request('saveDecoded', { key: target.key, row: target.row, choice, text, expected }).then((r) => r.result),
      reload: again,
      openInEditor: () => this.client.request('openInEditor', { key: target.key }).then(() => undefined),
      streamGroups: () => this.client.request('streamGroups', { key: target.key }).then(() => undefined),
      written: () => {
        this.events.written();
        again();
      },
    }, this.readOnly, message);
    this.pane = pane;
    const facts = page.type === 'none' ? l10n.t('gone')
      : [page.type, meta.ttl >= 0 ? l10n.t('expires in {0}', ttlText(meta.ttl)) : l10n.t('no TTL'), meta.memory !== undefined ? l10n.t('{0} in memory', bytesText(meta.memory)) : ''].filter(Boolean).join(' · ');
    this.element.replaceChildren(
      el('h2', { className: 'key-name', text: target.key.text, attrs: { title: shownText(target.key.text) } }),
      el('p', { className: 'help key-facts', text: facts }),
      body,
      pane.addForm(page.type) ?? el('span'),
      !this.readOnly && page.type !== 'none' ? this.actions(target, message, again) : el('span'),
      message,
    );
    const sameDraft = draft && sameKey(draft.key, target.key) ? draft : undefined;
    pane.show(page, body, sameDraft?.decodeAs);
    if (sameDraft) this.restore(sameDraft);
    this.events.drafted(this.draft());
  }

  close(): void {
    this.reading++;
    this.element.removeAttribute('aria-busy');
    this.current = null;
    this.pane = undefined;
    this.events.opened(null);
    this.element.replaceChildren();
  }

  /** Rename, TTL and delete: each answered with what happened, then the key read again. */
  private actions(target: Target, message: HTMLElement, again: () => void): HTMLElement {
    const failed = (what: string) => (error: unknown): void => showProblem(message, what, problemOf(error));
    const done = (text: string, ok: boolean): void => {
      showStatus(message, text, ok);
      this.events.written();
      again();
    };
    const newName = el('input', { attrs: { type: 'text', 'aria-label': l10n.t('New name'), placeholder: l10n.t('new name'), spellcheck: 'false' } });
    const rename = button(l10n.t('Rename'), { secondary: true });
    rename.addEventListener('click', () => {
      const to = newName.value;
      if (!to) return void showStatus(message, l10n.t('Give the new name.'));
      // A name in use: the host asks in the panel before replacing it.
      void askedFirst(this.element, (ticket) => this.client.request('rename', { ...target, to, ...ticket })).then((answer) => {
        if (!answer) return;
        if (!answer.renamed) return done(l10n.t('Not renamed.'), false);
        showStatus(message, l10n.t('Renamed to {0}.', to), true);
        this.events.written();
        void this.open({ key: { text: to }, row: null }, message);
      }, failed(l10n.t('Not renamed')));
    });
    const ttl = el('input', { attrs: { type: 'number', min: '1', step: '1', 'aria-label': l10n.t('TTL in seconds'), placeholder: l10n.t('TTL (s)') } });
    const setTtl = button(l10n.t('Set TTL'), { secondary: true });
    setTtl.addEventListener('click', () => {
      if (ttl.value.trim() === '') return void showStatus(message, l10n.t('Give the TTL in seconds.'));
      // A TTL of 0 or less deletes the key at once: the host asks for it as the delete it is.
      const seconds = Number(ttl.value);
      void askedFirst(this.element, (ticket) => this.client.request('expire', { ...target, seconds, ...ticket })).then((answer) => {
        if (!answer) return;
        ttl.value = '';
        done(answer.deleted ? l10n.t('Deleted.') : answer.done ? l10n.t('TTL set to {0}.', ttlText(seconds * 1000)) : l10n.t('Nothing changed: the key is gone.'), answer.done || answer.deleted);
      }, failed(l10n.t('TTL not set')));
    });
    const persist = button(l10n.t('Remove TTL'), { secondary: true });
    persist.addEventListener('click', () => {
      void this.client.request('persist', target).then(({ done: removed }) => done(removed ? l10n.t('TTL removed: the key no longer expires.') : l10n.t('Nothing changed: it had no TTL.'), removed), failed(l10n.t('TTL not removed')));
    });
    const remove = button(l10n.t('Delete'), { secondary: true });
    remove.addEventListener('click', () => {
      void askedFirst(this.element, (ticket) => this.client.request('delete', { ...target, ...ticket })).then((answer) => {
        if (answer) done(answer.deleted ? l10n.t('Deleted.') : l10n.t('It was already gone.'), answer.deleted > 0);
      }, failed(l10n.t('Not deleted')));
    });
    return el('div', { className: 'actions' }, newName, rename, ttl, setTtl, persist, remove);
  }

  /** The form for a new key; once made, the key joins the list and opens here. */
  newKeyForm(): void {
    this.close();
    const name = el('input', { attrs: { type: 'text', placeholder: l10n.t('key name'), 'aria-label': l10n.t('Key name'), spellcheck: 'false' } });
    const type = el('select', { attrs: { 'aria-label': l10n.t('Type') } }, ...KEY_TYPES.slice(1).map((t) => el('option', { text: t, attrs: { value: t } })));
    const a = el('input', { attrs: { type: 'text', placeholder: l10n.t('value'), 'aria-label': l10n.t('First value'), spellcheck: 'false' } });
    const b = el('input', { attrs: { type: 'text', placeholder: '', 'aria-label': l10n.t('Second value'), spellcheck: 'false' } });
    const labels: Readonly<Record<string, readonly [string, string]>> = { string: [l10n.t('value'), ''], hash: [l10n.t('field'), l10n.t('value')], list: [l10n.t('first item'), ''], set: [l10n.t('first member'), ''], zset: [l10n.t('member'), l10n.t('score')], stream: [l10n.t('field'), l10n.t('value')] };
    const relabel = (): void => {
      const [pa, pb] = labels[type.value] ?? [l10n.t('value'), ''];
      a.placeholder = pa;
      b.placeholder = pb;
      b.hidden = !pb;
    };
    type.addEventListener('change', relabel);
    relabel();
    const message = el('div', { className: 'status', attrs: { role: 'status' } });
    const create = button(l10n.t('Create'));
    create.addEventListener('click', () => {
      const t = type.value;
      const first: MemberEdit =
        t === 'hash' ? { type: 'hash', op: 'set', field: a.value, value: b.value }
        : t === 'list' ? { type: 'list', op: 'push', value: a.value }
        : t === 'set' ? { type: 'set', op: 'add', member: a.value }
        : t === 'zset' ? { type: 'zset', op: 'add', member: a.value, score: Number(b.value) }
        : t === 'stream' ? { type: 'stream', op: 'add', fields: [[a.value, b.value]] }
        : { type: 'string', value: a.value };
      const key = name.value;
      void this.client.request('create', { key, first }).then(({ row }) => {
        showStatus(message, l10n.t('Created {0}.', key), true);
        this.events.written();
        void this.open({ key: { text: key }, row }, message);
      }, (error: unknown) => showProblem(message, l10n.t('Not created'), problemOf(error)));
    });
    this.element.replaceChildren(el('h2', { text: l10n.t('New key') }), el('div', { className: 'actions' }, name, type, a, b, create), message);
    name.focus();
  }
}
