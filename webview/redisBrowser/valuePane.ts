import type { BrowserRequest, BrowserResponses, KeyRef, MemberEdit, ValuePage } from '../../src/panels/redisBrowser/protocol';
import { el } from '../shared/dom';

type Ask = <T extends BrowserRequest['type']>(request: Extract<BrowserRequest, { type: T }>) => Promise<BrowserResponses[T]>;

/** The value of one key in the browser's lower pane: pages of it, member edits, the string editor. */
export class ValuePane {
  constructor(private readonly ask: Ask, private readonly readOnly: boolean, private readonly key: KeyRef, private readonly message: HTMLElement) {}

  /** A table of text cells; with `remove`, each row gets a button that removes that member. */
  private table(headers: string[], body: string[][], remove?: (row: number) => MemberEdit): HTMLElement {
    const rowsOut = body.map((cells, i) => {
      const tr = el('tr', {}, ...cells.map((c) => el('td', { text: c })));
      if (remove && !this.readOnly) {
        const button = el('button', { className: 'secondary icon', text: '✕', attrs: { type: 'button', title: 'Remove', 'aria-label': `Remove ${cells[0] ?? ''}` } });
        button.addEventListener('click', () => this.edit(remove(i), () => tr.remove()));
        tr.append(el('td', {}, button));
      }
      return tr;
    });
    return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { text: h })))), el('tbody', {}, ...rowsOut));
  }

  private edit(edit: MemberEdit, done?: () => void): void {
    void this.ask({ type: 'edit', key: this.key, edit }).then(({ changed, error }) => {
      this.message.textContent = error ?? (changed ? 'Changed.' : 'Nothing changed.');
      if (!error) done?.();
    });
  }

  /** Inputs to add a member to a collection of this type. */
  addForm(type: string): HTMLElement | undefined {
    if (this.readOnly) return undefined;
    const input = (placeholder: string): HTMLInputElement => el('input', { attrs: { type: 'text', placeholder, 'aria-label': placeholder, spellcheck: 'false' } });
    const [a, b] = type === 'hash' ? [input('field'), input('value')] : type === 'zset' ? [input('member'), input('score')] : type === 'stream' ? [input('field'), input('value')] : [input(type === 'list' ? 'value (pushed at the end)' : 'member'), undefined];
    if (type === 'string' || type === 'none') return undefined;
    const add = el('button', { className: 'secondary', text: 'Add', attrs: { type: 'button' } });
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

  /** Renders one page of the value; collections offer the next page. */
  show(page: ValuePage, container: HTMLElement): void {
    const { key, message } = this;
    const more = (next: { cursor?: string; offset?: number }): HTMLButtonElement => {
      const button = el('button', { className: 'secondary', text: 'Load more', attrs: { type: 'button' } });
      button.addEventListener('click', () => {
        button.remove();
        void this.ask({ type: 'value', key, ...next }).then(({ page: nextPage, error }) => (nextPage ? this.show(nextPage, container) : (message.textContent = error ?? '')));
      });
      return button;
    };
    switch (page.type) {
      case 'string': {
        const editable = !this.readOnly && page.value.exact && !page.truncated;
        const value = el('textarea', { attrs: { 'aria-label': 'Value', spellcheck: 'false' } });
        value.value = page.value.text;
        value.readOnly = !editable;
        const notes = [`${page.length} bytes`, page.json ? 'JSON' : '', page.value.exact ? '' : 'not UTF-8: bytes shown as \\x escapes', page.truncated ? `showing the first ${page.value.text.length} bytes` : ''].filter(Boolean);
        container.append(el('p', { className: 'help', text: notes.join(' · ') }), value);
        if (page.value.exact) {
          const edit = el('button', { className: 'secondary', text: 'Open in Editor', attrs: { type: 'button', title: 'Edit as a document (JSON is detected); saving checks nobody changed it meanwhile' } });
          edit.addEventListener('click', () => void this.ask({ type: 'openInEditor', key }).then(({ error }) => (message.textContent = error ?? '')));
          container.append(el('div', { className: 'actions' }, edit));
        }
        if (editable) {
          const original = page.value.text;
          const save = el('button', { text: 'Save', attrs: { type: 'button' } });
          save.addEventListener('click', () => {
            void this.ask({ type: 'saveString', key, text: value.value, expected: original }).then(({ result, error }) => {
              message.className = `status ${result === 'saved' ? 'ok-text' : 'error-text'}`;
              message.textContent = error ?? (result === 'saved' ? 'Saved.' : 'Not saved: someone changed this value since you opened it. Reopen it to see their version.');
            });
          });
          container.append(el('div', { className: 'actions' }, save));
        }
        return;
      }
      case 'hash':
        container.append(el('p', { className: 'help', text: `${page.total} fields` }), this.table(['Field', 'Value'], page.entries.map(([f, v]) => [f.text, v.text]), (i) => ({ type: 'hash', op: 'delete', field: page.entries[i]![0].text })));
        if (page.cursor !== '0') container.append(more({ cursor: page.cursor }));
        return;
      case 'set':
        container.append(el('p', { className: 'help', text: `${page.total} members` }), this.table(['Member'], page.members.map((m) => [m.text]), (i) => ({ type: 'set', op: 'delete', member: page.members[i]!.text })));
        if (page.cursor !== '0') container.append(more({ cursor: page.cursor }));
        return;
      case 'zset':
        container.append(el('p', { className: 'help', text: `${page.total} members, by score` }), this.table(['#', 'Member', 'Score'], page.entries.map(([m, s], i) => [String(page.offset + i), m.text, s]), (i) => ({ type: 'zset', op: 'delete', member: page.entries[i]![0].text })));
        if (page.offset + page.entries.length < page.total) container.append(more({ offset: page.offset + page.entries.length }));
        return;
      case 'list':
        container.append(el('p', { className: 'help', text: `${page.total} items` }), this.table(['Index', 'Item'], page.items.map((item, i) => [String(page.offset + i), item.text]), (i) => ({ type: 'list', op: 'delete', index: page.offset + i })));
        if (page.offset + page.items.length < page.total) container.append(more({ offset: page.offset + page.items.length }));
        return;
      case 'stream':
        container.append(
          el('p', { className: 'help', text: `${page.total} entries · consumer groups: ${page.groups.map((g) => `${g.name} (${g.consumers} consumers, ${g.pending} pending, last ${g.lastId})`).join(', ') || 'none'}` }),
          this.table(['ID', 'Fields'], page.entries.map((e) => [e.id, e.fields.map(([f, v]) => `${f.text}=${v.text}`).join('  ')]), (i) => ({ type: 'stream', op: 'delete', id: page.entries[i]!.id })),
        );
        if (page.next) container.append(more({ cursor: page.next }));
        return;
      case 'none':
        container.append(el('p', { className: 'help', text: 'This key no longer exists: it expired or was deleted since the scan.' }));
    }
  }
}
