import * as l10n from '@vscode/l10n';
import type { MemberEdit, ValuePage } from '../../src/drivers/redis/shapes';
import type { CodecChoice, Decoded } from '../../src/drivers/codecs/shapes';
import { button, el } from '../shared/dom';
import { DecoderPane } from '../shared/decoderPane';
import { showProblem, showStatus } from '../shared/problem';
import { problemOf } from '../shared/problemOf';
import { indentJson } from '../shared/viewFormat';
import { boxed } from '../../src/drivers/lineBreaks';

/** What the pane does to its key, through the host; each write is followed by `written`. */
export interface ValueActions {
  page(at: { cursor?: string; offset?: number }): Promise<ValuePage>;
  /** Undefined when the user said no to the question the host asked first (a removal). */
  edit(edit: MemberEdit): Promise<{ changed: number; moved: boolean } | undefined>;
  saveString(text: string, expected: string): Promise<'saved' | 'conflict'>;
  /** The string decoded: detected ('auto'), as stored ('none'), or starting with a codec. */
  decode(choice: CodecChoice): Promise<Decoded>;
  saveDecoded(choice: CodecChoice, text: string, expected: string): Promise<'saved' | 'conflict'>;
  /** Reads the key again, as after a write. */
  reload(): void;
  openInEditor(): Promise<void>;
  /** Opens the consumer groups of the stream in a panel of their own. */
  streamGroups(): Promise<void>;
  /** A write went through: read the key again, so the pane shows what the server holds. */
  written(): void;
}

export interface StringDraft {
  readonly text: string;
  readonly expected: string;
}

/** The value of one key in the browser's lower pane: pages of it, member edits, the string editor. */
export class ValuePane {
  constructor(private readonly actions: ValueActions, private readonly readOnly: boolean, private readonly message: HTMLElement) {}

  /** Rows of a list or sorted set shown so far, each with its index now; a removal moves the ones after it up. */
  private ranked: { index: number; cell: HTMLElement }[] = [];
  /** Members removed since the value was read: the next page of an index-paged value starts that much earlier. */
  private removed = 0;
  /** The decoder of a string value. */
  private decoder: DecoderPane | undefined;
  /** The string being edited, when the value is an editable string. */
  private stringDraft: { read(): StringDraft | undefined; restore(draft: StringDraft): void } | undefined;

  /** The unsaved edit of a string value: the text typed, and the value it was typed over. */
  get draft(): StringDraft | undefined {
    return this.stringDraft?.read();
  }

  /** What the decoder of a string value decodes it as. */
  get decodeAs(): CodecChoice | undefined {
    return this.decoder?.choice;
  }

  /** Puts an unsaved edit back; Save then still checks the server holds what the edit started from. */
  restoreDraft(draft: StringDraft): void {
    this.stringDraft?.restore(draft);
  }

  /**
   * A table of text cells; with `remove`, each row gets a button that removes that member (the host asks first).
   * `removed` runs after a removal, before the row goes.
   */
  private table(headers: string[], body: string[][], remove?: (row: number) => MemberEdit, removed?: (row: number) => void, nameColumn = 0): HTMLElement {
    const rowsOut = body.map((cells, i) => {
      const tr = el('tr', {}, ...cells.map((c) => el('td', { text: c })));
      if (remove && !this.readOnly) {
        const button = el('button', { className: 'secondary icon', text: '✕', attrs: { type: 'button', title: l10n.t('Remove'), 'aria-label': l10n.t('Remove {0}', cells[nameColumn] ?? '') } });
        button.addEventListener('click', () => this.edit(remove(i), () => {
          removed?.(i);
          tr.remove();
        }));
        tr.append(el('td', {}, button));
      }
      return tr;
    });
    return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { text: h })))), el('tbody', {}, ...rowsOut));
  }

  private edit(edit: MemberEdit, done?: () => void): void {
    void this.actions.edit(edit).then((answer) => {
      if (!answer) return;
      const { changed, moved } = answer;
      showStatus(this.message, moved ? l10n.t('Not changed: that item is no longer the one shown (the list changed since it was read). It is shown below as it is now.') : changed ? l10n.t('Changed.') : l10n.t('Nothing changed: it was already gone.'), changed > 0);
      if (!moved) done?.();
      this.actions.written();
    }, (error: unknown) => showProblem(this.message, l10n.t('Not changed'), problemOf(error)));
  }

  /** A member removed at `index` of a list or sorted set: the ones after it now sit one place earlier. */
  private shiftAfter(index: number): void {
    this.removed++;
    this.ranked = this.ranked.filter((row) => row.index !== index);
    for (const row of this.ranked) {
      if (row.index > index) {
        row.index--;
        row.cell.textContent = String(row.index);
      }
    }
  }

  /** Index rows for a page of a list or sorted set, remembered so removals can renumber them. */
  private rankRows(offset: number, count: number): { index: number; cell: HTMLElement }[] {
    const rows = Array.from({ length: count }, (_, i) => ({ index: offset + i, cell: el('span') }));
    this.ranked.push(...rows);
    return rows;
  }

  /** Points each index row at the table cell that shows its index. */
  private rankCells(table: HTMLElement, rows: { index: number; cell: HTMLElement }[]): void {
    table.querySelectorAll('tbody tr').forEach((tr, i) => {
      const cell = tr.firstElementChild;
      const row = rows[i];
      if (cell instanceof HTMLElement && row) row.cell = cell;
    });
  }

  /** Inputs to add a member to a collection of this type. */
  addForm(type: string): HTMLElement | undefined {
    if (this.readOnly) return undefined;
    const input = (placeholder: string): HTMLInputElement => el('input', { attrs: { type: 'text', placeholder, 'aria-label': placeholder, spellcheck: 'false' } });
    const [a, b] = type === 'hash' ? [input(l10n.t('field')), input(l10n.t('value'))] : type === 'zset' ? [input(l10n.t('member')), input(l10n.t('score'))] : type === 'stream' ? [input(l10n.t('field')), input(l10n.t('value'))] : [input(type === 'list' ? l10n.t('value (pushed at the end)') : l10n.t('member')), undefined];
    if (type === 'string' || type === 'none') return undefined;
    const add = button(l10n.t('Add'), { secondary: true });
    add.addEventListener('click', () => {
      const edit: MemberEdit =
        type === 'hash' ? { type, op: 'set', field: a.value, value: b?.value ?? '' }
        : type === 'list' ? { type, op: 'push', value: a.value }
        : type === 'set' ? { type, op: 'add', member: a.value }
        : type === 'zset' ? { type, op: 'add', member: a.value, score: Number(b?.value) }
        : { type: 'stream', op: 'add', fields: [[a.value, b?.value ?? '']] };
      this.edit(edit, () => {
        a.value = '';
        if (b) b.value = '';
      });
    });
    return el('div', { className: 'actions' }, a, b, add);
  }

  /** Renders one page of the value; collections offer the next page. A string is decoded as `decodeAs` (Auto-detect). */
  show(page: ValuePage, container: HTMLElement, decodeAs: CodecChoice = 'auto'): void {
    const { message } = this;
    const more = (next: () => { cursor?: string; offset?: number }): HTMLButtonElement => {
      const load = button(l10n.t('Load more'), { secondary: true });
      load.addEventListener('click', () => {
        load.remove();
        void this.actions.page(next()).then((nextPage) => this.show(nextPage, container), (error: unknown) => showProblem(message, l10n.t('Not read'), problemOf(error)));
      });
      return load;
    };
    switch (page.type) {
      case 'string': {
        const box = boxed(page.value.text);
        const editable = !this.readOnly && page.value.exact && !page.truncated && box.editable;
        const value = el('textarea', { attrs: { 'aria-label': l10n.t('Value'), spellcheck: 'false' } });
        // JSON is shown indented for reading; editing starts from the exact text the server holds.
        const indented = page.json && !page.truncated ? indentJson(page.value.text) : undefined;
        value.value = indented ?? page.value.text;
        value.readOnly = !editable || indented !== undefined;
        const stored = el('div', { className: 'stored' });
        const decoder = new DecoderPane({
          decode: (choice) => this.actions.decode(choice),
          save: (choice, text, expected) => this.actions.saveDecoded(choice, text, expected),
          written: () => this.actions.written(),
          reload: () => this.actions.reload(),
        }, this.readOnly, message, stored, page.length, () => this.draft !== undefined, decodeAs);
        this.decoder = decoder;
        container.append(decoder.element, stored);
        const notes = [l10n.t('{0} bytes', String(page.length)), page.json ? (indented !== undefined ? l10n.t('JSON, shown indented') : 'JSON') : '', page.value.exact ? '' : l10n.t('not UTF-8: bytes shown as \\x escapes'), page.truncated ? l10n.t('showing the first {0} bytes', String(page.value.text.length)) : '', box.mixed ? l10n.t('mixed line breaks (CRLF, LF, CR): shown, not edited here, so that none changes') : ''].filter(Boolean);
        stored.append(el('p', { className: 'help', text: notes.join(' · ') }), value);
        const buttons = el('div', { className: 'actions' });
        if (page.value.exact) {
          const edit = button(l10n.t('Open in Editor'), { secondary: true, title: l10n.t('Edit as a document (JSON is detected); saving checks nobody changed it meanwhile') });
          edit.addEventListener('click', () => void this.actions.openInEditor().catch((error: unknown) => showProblem(message, l10n.t('Not opened'), problemOf(error))));
          buttons.append(edit);
        }
        if (editable) {
          // What the edit started from: Save writes only if the server still holds it.
          let original = page.value.text;
          const save = button(l10n.t('Save'));
          save.addEventListener('click', () => {
            void this.actions.saveString(box.typed(value.value), original).then((result) => {
              showStatus(message, result === 'saved' ? l10n.t('Saved.') : l10n.t('Not saved: someone changed this value since you opened it. It is shown below as it is now.'), result === 'saved');
              // What was typed was written (or refused over a newer value): the re-read shows the value as it is.
              this.stringDraft = undefined;
              this.actions.written();
            }, (error: unknown) => showProblem(message, l10n.t('Not saved'), problemOf(error)));
          });
          const raw = indented === undefined ? undefined : button(l10n.t('Edit as Stored'), { secondary: true, title: l10n.t('Edit the exact text the server holds (not indented)') });
          const editStored = (): void => {
            if (!value.readOnly) return;
            value.value = original;
            value.readOnly = false;
            raw?.remove();
            save.hidden = false;
          };
          this.stringDraft = {
            read: () => (value.readOnly || box.typed(value.value) === original ? undefined : { text: box.typed(value.value), expected: original }),
            restore: (draft) => {
              editStored();
              value.value = draft.text;
              original = draft.expected;
            },
          };
          if (raw) {
            save.hidden = true;
            raw.addEventListener('click', () => {
              editStored();
              value.focus();
            });
            buttons.append(raw);
          }
          buttons.append(save);
        }
        if (buttons.childElementCount) stored.append(buttons);
        return;
      }
      case 'hash':
        container.append(el('p', { className: 'help', text: l10n.t('{0} fields', String(page.total)) }), this.table([l10n.t('Field'), l10n.t('Value')], page.entries.map(([f, v]) => [f.text, v.text]), (i) => ({ type: 'hash', op: 'delete', field: { base64: page.entries[i]![0].base64 } })));
        if (page.cursor !== '0') container.append(more(() => ({ cursor: page.cursor })));
        return;
      case 'set':
        container.append(el('p', { className: 'help', text: l10n.t('{0} members', String(page.total)) }), this.table([l10n.t('Member')], page.members.map((m) => [m.text]), (i) => ({ type: 'set', op: 'delete', member: { base64: page.members[i]!.base64 } })));
        if (page.cursor !== '0') container.append(more(() => ({ cursor: page.cursor })));
        return;
      case 'zset': {
        const rows = this.rankRows(page.offset, page.entries.length);
        const table = this.table(['#', l10n.t('Member'), l10n.t('Score')], page.entries.map(([m, s], i) => [String(page.offset + i), m.text, s]), (i) => ({ type: 'zset', op: 'delete', member: { base64: page.entries[i]![0].base64 } }), (i) => this.shiftAfter(rows[i]!.index), 1);
        this.rankCells(table, rows);
        container.append(el('p', { className: 'help', text: l10n.t('{0} members, by score', String(page.total)) }), table);
        if (page.offset + page.entries.length < page.total) container.append(more(() => ({ offset: page.offset + page.entries.length - this.removed })));
        return;
      }
      case 'list': {
        // Each row removes the item at the index it holds now, and only if the server still has these bytes there.
        const rows = this.rankRows(page.offset, page.items.length);
        const table = this.table([l10n.t('Index'), l10n.t('Item')], page.items.map((item, i) => [String(page.offset + i), item.text]), (i) => ({ type: 'list', op: 'delete', index: rows[i]!.index, expected: { base64: page.items[i]!.base64 } }), (i) => this.shiftAfter(rows[i]!.index), 1);
        this.rankCells(table, rows);
        container.append(el('p', { className: 'help', text: l10n.t('{0} items', String(page.total)) }), table);
        if (page.offset + page.items.length < page.total) container.append(more(() => ({ offset: page.offset + page.items.length - this.removed })));
        return;
      }
      case 'stream': {
        const groups = button(l10n.t('Consumer Groups…'), { secondary: true, title: l10n.t('Groups, consumers and pending entries: create, acknowledge, claim, trim') });
        groups.addEventListener('click', () => void this.actions.streamGroups().catch((error: unknown) => showProblem(this.message, l10n.t('The consumer groups did not open'), problemOf(error))));
        container.append(
          el('p', { className: 'help', text: l10n.t('{0} entries · consumer groups: {1}', String(page.total), page.groups.map((g) => l10n.t('{0} ({1} consumers, {2} pending, last {3})', g.name, String(g.consumers), String(g.pending), g.lastId)).join(', ') || l10n.t('none')) }),
          el('div', { className: 'actions' }, groups),
          this.table(['ID', l10n.t('Fields')], page.entries.map((e) => [e.id, e.fields.map(([f, v]) => `${f.text}=${v.text}`).join('  ')]), (i) => ({ type: 'stream', op: 'delete', id: page.entries[i]!.id })),
        );
        if (page.next) {
          const next = page.next;
          container.append(more(() => ({ cursor: next })));
        }
        return;
      }
      case 'none':
        container.append(el('p', { className: 'help', text: l10n.t('This key no longer exists: it expired or was deleted since the scan.') }));
    }
  }
}
