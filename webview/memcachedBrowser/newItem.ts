import { flags as flagsSchema, memcachedKey, ttlSeconds } from '../../src/panels/memcachedBrowser/protocol';
import { el, iconButton } from '../shared/dom';
import { allValid, checked, errorNote, Field, NoteLine } from '../shared/fieldNotes';
import { humanDuration } from '../shared/viewFormat';
import * as l10n from '@vscode/l10n';
import { submitOnEnter } from '../shared/submitOnEnter';

export interface NewItem {
  readonly key: string;
  readonly text: string;
  readonly flags: number;
  readonly ttl: number;
  readonly mode: 'set' | 'add';
}

/** The New Item form: each field checked as typed; Enter in a one-line field stores. */
export function newItemForm(store: (item: NewItem) => Promise<{ stored: boolean; server: string }>): HTMLElement {
  const keyInput = el('input', { attrs: { type: 'text', placeholder: l10n.t('key'), spellcheck: 'false' } });
  const key = new Field(l10n.t('Key'), keyInput, { read: () => checked(memcachedKey, keyInput.value) });
  const valueInput = el('textarea', { attrs: { placeholder: l10n.t('value'), spellcheck: 'false' } });
  const value = new Field<string>(l10n.t('Value'), valueInput, { read: () => ({ ok: true, value: valueInput.value }), wide: true });
  const flagsInput = el('input', { attrs: { type: 'number', min: '0', value: '0' } });
  const flags = new Field(l10n.t('Flags'), flagsInput, { read: () => checked(flagsSchema, Number(flagsInput.value)) });
  const ttlInput = el('input', { attrs: { type: 'number', min: '0', value: '0' } });
  const ttl = new Field(l10n.t('TTL (seconds, 0 = never)'), ttlInput, {
    read: () => checked(ttlSeconds, Number(ttlInput.value)),
    advise: (seconds) => ({ severity: 'info', text: seconds === 0 ? l10n.t('Never expires.') : l10n.t('Expires {0} after it is stored.', humanDuration(seconds)) }),
  });
  ttlInput.setAttribute('aria-label', l10n.t('TTL in seconds (0 = never)'));
  const modeSelect = el('select', {}, el('option', { text: l10n.t('set: create or overwrite'), attrs: { value: 'set' } }), el('option', { text: l10n.t('add: only if absent'), attrs: { value: 'add' } }));
  const mode = new Field<'set' | 'add'>(l10n.t('Mode'), modeSelect, {
    read: () => ({ ok: true, value: modeSelect.value === 'add' ? 'add' : 'set' }),
    advise: (m) => (m === 'set' ? { severity: 'warning', text: l10n.t('Overwrites the key if it exists.') } : undefined),
  });
  const status = new NoteLine();
  const save = iconButton('save', l10n.t('Store'), { title: false });
  const run = (): void => {
    if (!allValid([key, value, flags, ttl, mode])) return;
    save.disabled = true;
    void store({ key: key.value, text: value.value, flags: flags.value, ttl: ttl.value, mode: mode.value }).then(
      ({ stored, server }) => {
        if (stored) status.show({ severity: 'ok', text: l10n.t('Stored on {0}.', server) });
        else key.report({ severity: 'error', text: l10n.t('Not stored: the key exists (add stores only absent keys).') });
      },
      (error: unknown) => {
        const note = errorNote(error, l10n.t('Not stored: '));
        if (note.code === 'config') key.report(note);
        else status.show(note);
      },
    ).finally(() => (save.disabled = false));
  };
  save.addEventListener('click', run);
  const form = el('div', { className: 'new-item' }, el('h2', { text: l10n.t('New item') }), el('div', { className: 'grid' }, key.element, flags.element, ttl.element, mode.element, value.element), el('div', { className: 'actions' }, save, status.element));
  submitOnEnter(form, run);
  return form;
}
