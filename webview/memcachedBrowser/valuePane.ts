import type { ItemDetails } from '../../src/panels/memcachedBrowser/protocol';
import type { CodecChoice, Decoded } from '../../src/drivers/codecs/shapes';
import { DecoderPane } from '../shared/decoderPane';
import { ttlSeconds } from '../../src/panels/memcachedBrowser/protocol';
import { el, iconButton, shownText } from '../shared/dom';
import { checked, errorNote, Field, Note, NoteLine } from '../shared/fieldNotes';
import { countOf, humanDuration, indentJson } from '../shared/viewFormat';
import * as l10n from '@vscode/l10n';
import { submitOnEnter } from '../shared/submitOnEnter';
import { boxed, BoxedText } from '../../src/drivers/lineBreaks';
import { readAsText } from './readAs';

/** What the value pane hands the host: each returns the item as the server holds it afterwards (undefined: gone). */
export interface ValueActions {
  save(item: ItemDetails, text: string): Promise<{ result: 'saved' | 'conflict' | 'gone'; item?: ItemDetails }>;
  counter(item: ItemDetails, op: 'incr' | 'decr'): Promise<ItemDetails | undefined>;
  touch(item: ItemDetails, ttl: number): Promise<ItemDetails | undefined>;
  delete(item: ItemDetails): Promise<{ deleted: number; cancelled: boolean }>;
  /** The item decoded by the shared codecs (undefined: its flags read it). */
  decode(item: ItemDetails, choice: CodecChoice): Promise<Decoded | undefined>;
  /** An edited decoded text written back through the same layers, only if the item is still the one at its cas. */
  saveDecoded(item: ItemDetails, choice: CodecChoice, text: string, expected: string): Promise<'saved' | 'conflict' | 'gone'>;
  /** The item as the server holds it now (undefined: gone). */
  reread(item: ItemDetails): Promise<ItemDetails | undefined>;
  /** The draft changed (what the webview remembers while hidden). */
  edited(): void;
}

export function ttlText(ttl: number | undefined): string {
  if (ttl === undefined) return l10n.t('unknown (this server cannot say; memcached 1.6 can)');
  return ttl < 0 ? l10n.t('never expires') : l10n.t('{0} left', humanDuration(ttl));
}

/** Why an item is no longer shown. */
export type Gone = 'sinceListing' | 'deletedMeanwhile' | 'gone' | 'deleted' | 'alreadyGone';

function goneText(key: string, why: Gone): string {
  const words: Record<Gone, () => string> = {
    sinceListing: () => l10n.t('{0} expired, was evicted or deleted since the listing: the server no longer holds it.', key),
    deletedMeanwhile: () => l10n.t('{0} was deleted meanwhile, so nothing was saved: the server no longer holds it.', key),
    gone: () => l10n.t('{0} is gone: the server no longer holds it.', key),
    deleted: () => l10n.t('{0} was deleted: the server no longer holds it.', key),
    alreadyGone: () => l10n.t('{0} was already gone: the server no longer holds it.', key),
  };
  return words[why]();
}

const row = (label: string, value: string): HTMLElement => el('div', { className: 'field-row' }, el('span', { className: 'label', text: label }), el('span', { className: 'value', text: value }));

/**
 * One item: where it lives, its flags, size, TTL and cas, its value exactly as stored in an editor (and JSON laid
 * out for reading beside it, never saved from), a decoder for what its flags leave as bytes (or any codec chosen),
 * and what can be done to it. After each action it shows the item as the server then holds it; once the item is gone
 * it says so and offers nothing more.
 */
export class ValuePane {
  readonly element = el('section', { className: 'details', attrs: { 'aria-label': l10n.t('Value') } });
  private current: ItemDetails | undefined;
  private editor: { readonly box: HTMLTextAreaElement; readonly text: BoxedText } | undefined;
  private formatted = true;
  /** The decoder of the item shown: its pick is kept when the same item is shown again (after a save). */
  private decoding: { readonly key: string; readonly server: string; readonly pane: DecoderPane } | undefined;
  /** Known once the panel's state has arrived: a read-only connection's values are shown, never editable. */
  readOnly = true;

  constructor(private readonly actions: ValueActions) {
    this.empty(l10n.t('Select a key to see its value.'));
  }

  get item(): ItemDetails | undefined {
    return this.current;
  }

  /** The text in the editor when it differs from the stored value. */
  get draft(): string | undefined {
    const typed = this.editor?.text.typed(this.editor.box.value);
    return typed !== undefined && typed !== this.current?.display ? typed : undefined;
  }

  get showsFormatted(): boolean {
    return this.formatted;
  }

  empty(text: string, severity?: Note['severity']): void {
    this.current = undefined;
    this.editor = undefined;
    const line = new NoteLine();
    if (severity) line.show({ severity, text });
    this.element.replaceChildren(severity ? line.element : el('p', { className: 'help', text }));
  }

  loading(key: string): void {
    this.element.replaceChildren(el('p', { className: 'help', text: l10n.t('Reading {0}…', shownText(key)) }));
  }

  failed(error: unknown): void {
    this.current = undefined;
    const line = new NoteLine();
    line.show(errorNote(error, l10n.t('Not read: ')));
    this.element.replaceChildren(line.element);
  }

  gone(key: string, why: Gone): void {
    this.empty(goneText(key, why), 'info');
  }

  show(item: ItemDetails, options: { note?: Note; draft?: string; formatted?: boolean } = {}): void {
    this.current = item;
    if (options.formatted !== undefined) this.formatted = options.formatted;
    const status = new NoteLine();
    if (options.note) status.show(options.note);
    const editor = el('textarea', { attrs: { 'aria-label': l10n.t('Value'), spellcheck: 'false' } });
    const text = boxed(item.display);
    this.editor = { box: editor, text };
    editor.value = options.draft ?? item.display;
    editor.readOnly = this.readOnly || !item.editable || !text.editable;
    editor.addEventListener('input', () => this.actions.edited());
    const pretty = item.format === 'json' ? indentJson(item.display) : undefined;
    const reading = pretty !== undefined ? el('pre', { className: 'formatted', attrs: { 'aria-label': l10n.t('Value, laid out for reading'), tabindex: '0' }, text: pretty }) : undefined;
    const views = reading ? this.viewSwitch(editor, reading) : undefined;
    const actions = el('div', { className: 'actions' });
    // The value as its flags read it, with its Save: hidden while the decoder shows the value decoded.
    const saving = el('div', { className: 'actions' });
    const buttons = (): HTMLButtonElement[] => [...actions.querySelectorAll('button'), ...saving.querySelectorAll('button')];
    const busy = (b: HTMLButtonElement, work: () => Promise<void>, into = actions): void => {
      b.addEventListener('click', () => {
        for (const button of buttons()) button.disabled = true;
        void work().catch((error: unknown) => status.show(errorNote(error))).finally(() => {
          for (const button of buttons()) button.disabled = false;
        });
      });
      into.append(b);
    };
    if (text.mixed && !options.note) status.show({ severity: 'info', text: l10n.t('This value mixes line breaks (CRLF, LF, CR): it is shown, not edited here, so that none changes.') });
    if (!this.readOnly && item.editable && text.editable) {
      busy(iconButton('save', l10n.t('Save')), async () => {
        const typed = text.typed(editor.value);
        if (item.format === 'json' && !validJson(typed, status)) return;
        const { result, item: after } = await this.actions.save(item, typed);
        if (!after) return this.gone(item.key, result === 'gone' ? 'deletedMeanwhile' : 'gone');
        if (result === 'saved') return this.show(after, { note: { severity: 'ok', text: l10n.t('Saved (cas matched).') } });
        // Someone else's value is what the server holds now; the text typed here stays in the editor, unsaved.
        this.show(after, { draft: typed, formatted: false, note: { severity: 'error', text: l10n.t('Not saved: someone changed this value since you opened it.'), hint: l10n.t('Their value is shown above under "Stored now"; your text is still in the editor. Save again to replace theirs.') } });
      }, saving);
    }
    if (!this.readOnly && item.format === 'integer') {
      for (const op of ['incr', 'decr'] as const) {
        busy(iconButton(op === 'incr' ? 'add' : 'remove', op === 'incr' ? l10n.t('Increment') : l10n.t('Decrement'), { secondary: true }), async () => {
          const after = await this.actions.counter(item, op);
          if (!after) return this.gone(item.key, 'gone');
          this.show(after, { note: { severity: 'ok', text: op === 'incr' ? l10n.t('Incremented to {0}.', after.display) : l10n.t('Decremented to {0}.', after.display) } });
        });
      }
    }
    let ttlField: Field<number> | undefined;
    if (!this.readOnly) {
      const ttlInput = el('input', { attrs: { type: 'number', min: '0', placeholder: l10n.t('seconds'), value: item.ttl !== undefined && item.ttl > 0 ? String(item.ttl) : '0' } });
      ttlField = new Field(l10n.t('New TTL (seconds, 0 = never)'), ttlInput, {
        read: () => checked(ttlSeconds, Number(ttlInput.value)),
        advise: (seconds) => ({ severity: 'info', text: seconds === 0 ? l10n.t('Never expires.') : seconds > 2_592_000 ? l10n.t('Read by memcached as a Unix time (past 30 days).') : l10n.t('Expires {0} after Touch.', humanDuration(seconds)) }),
      });
      ttlInput.setAttribute('aria-label', l10n.t('New TTL in seconds'));
      const field = ttlField;
      const touch = iconButton('history', l10n.t('Touch'), { secondary: true });
      busy(touch, async () => {
        const read = field.read();
        if (!read.ok) return field.control.focus();
        const after = await this.actions.touch(item, read.value);
        if (!after) return this.gone(item.key, 'gone');
        this.show(after, { note: { severity: 'ok', text: l10n.t('TTL set: {0}.', ttlText(after.ttl)) } });
      });
      submitOnEnter(ttlInput, () => touch.click());
      busy(iconButton('trash', l10n.t('Delete'), { secondary: true }), async () => {
        const { deleted, cancelled } = await this.actions.delete(item);
        if (!cancelled) this.gone(item.key, deleted ? 'deleted' : 'alreadyGone');
      });
    }
    const stored = options.draft !== undefined && options.draft !== item.display ? el('details', { className: 'stored-now', attrs: { open: '' } }, el('summary', { text: l10n.t('Stored now') }), el('pre', { text: item.display })) : undefined;
    const asRead = el('div', { className: 'stored' }, ...[stored, views, reading, editor, saving].filter((node) => node !== undefined));
    const decoderMessage = el('div');
    const decoder = this.decoder(item, asRead, decoderMessage, options.draft !== undefined && options.draft !== item.display);
    this.decoding = { key: item.key, server: item.server, pane: decoder };
    this.element.replaceChildren(...[
      el('h2', { className: 'key-name', text: item.key, attrs: { title: shownText(item.key) } }),
      el('div', { className: 'fields' },
        row(l10n.t('Server'), item.server),
        item.mappedServer !== item.server ? row(l10n.t('Mapped server'), l10n.t('{0} (this key was placed by another mapping)', item.mappedServer)) : undefined,
        row(l10n.t('Flags'), String(item.flags)),
        row(l10n.t('Size'), countOf(item.size, l10n.t('{0} byte'), l10n.t('{0} bytes'))),
        row('TTL', ttlText(item.ttl)),
        row('CAS', item.cas),
        row(l10n.t('Read as'), readAsText(item.notes))),
      decoder.element,
      asRead,
      decoderMessage,
      ttlField ? el('div', { className: 'ttl' }, ttlField.element) : undefined,
      actions,
      status.element,
    ].filter((node) => node !== undefined));
    if (reading) this.switchTo(this.formatted, editor, reading);
  }

  /** The decoder: 'auto' leaves the item to its flags where they read it, else decodes it as the Redis pane does. */
  private decoder(item: ItemDetails, asRead: HTMLElement, message: HTMLElement, draft: boolean): DecoderPane {
    const afterwards = (note?: Note): void => {
      void this.actions.reread(item).then((after) => (after ? this.show(after, note ? { note } : {}) : this.gone(item.key, 'gone')), (error: unknown) => this.failed(error));
    };
    return new DecoderPane({
      decode: (choice) => this.actions.decode(item, choice),
      ownReading: l10n.t('read by its flags ({0})', String(item.flags)),
      save: async (choice, text, expected) => {
        const result = await this.actions.saveDecoded(item, choice, text, expected);
        if (result === 'gone') this.gone(item.key, 'deletedMeanwhile');
        return result;
      },
      written: () => afterwards({ severity: 'ok', text: l10n.t('Saved (cas matched).') }),
      reload: () => afterwards(),
    }, this.readOnly, message, asRead, item.size, () => draft, this.decodedAs(item));
  }

  /** What the item was decoded as when it was shown last: kept for the same item, Auto-detect for another. */
  private decodedAs(item: ItemDetails): CodecChoice {
    const before = this.decoding;
    return before && before.key === item.key && before.server === item.server ? before.pane.choice : 'auto';
  }

  private viewSwitch(editor: HTMLTextAreaElement, reading: HTMLElement): HTMLElement {
    const make = (label: string, formatted: boolean): HTMLButtonElement => {
      const b = el('button', { className: 'view-tab', text: label, attrs: { type: 'button', role: 'tab', 'data-formatted': String(formatted) } });
      b.addEventListener('click', () => {
        this.switchTo(formatted, editor, reading);
        this.actions.edited();
      });
      return b;
    };
    return el('div', { className: 'view-tabs', attrs: { role: 'tablist', 'aria-label': l10n.t('Show the value') } }, make(l10n.t('Formatted'), true), make(this.readOnly ? l10n.t('As stored') : l10n.t('Edit as stored'), false));
  }

  private switchTo(formatted: boolean, editor: HTMLTextAreaElement, reading: HTMLElement): void {
    this.formatted = formatted;
    reading.hidden = !formatted;
    editor.hidden = formatted;
    for (const tab of this.element.querySelectorAll<HTMLElement>('.view-tab')) tab.setAttribute('aria-selected', String(tab.dataset['formatted'] === String(formatted)));
  }
}

function validJson(text: string, status: NoteLine): boolean {
  // Checked, never rewritten: the bytes saved are the ones typed (a parse and stringify would change numbers).
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    status.show({ severity: 'error', text: l10n.t('Not saved: this value was JSON and the text is no longer valid JSON ({0}).', error instanceof Error ? error.message : String(error)) });
    return false;
  }
}
