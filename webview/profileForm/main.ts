import './main.css';
import * as v from 'valibot';
import { formProtocol, KindForm } from '../../src/panels/profileForm/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import type { FieldSpec, FormValues } from '../../src/drivers/form';
import { KINDS, SECRET_NAMES, type Kind, type SecretName } from '../../src/drivers/types';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import '../shared/l10n';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';

/** What the webview remembers while hidden: non-secret values only, passwords never go into webview state. */
const viewState = new ViewState(v.object({ kind: v.picklist(KINDS), values: v.record(v.string(), v.union([v.string(), v.boolean()])) }));

const SECRET_KEYS: ReadonlySet<string> = new Set(SECRET_NAMES);
const isSecret = (key: string): key is SecretName => SECRET_KEYS.has(key);
/** Fields that are not part of an address: a pasted one leaves them as they are and replaces all the others. */
const KEPT_ON_PASTE = ['name', 'group', 'viaSsh', 'readOnly'];
const app = document.getElementById('app')!;
let init: Init<typeof formProtocol> | undefined;
let kind: Kind = 'redis';
let values: FormValues = {};
const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
const errorLines = new Map<string, HTMLElement>();
/** Which secrets the host keeps as typed (their fields may be empty after the form was hidden and shown again). */
const typedKept: Partial<Record<SecretName, boolean>> = {};

const client = new PanelClient(formProtocol, vscodeTransport(), {});
void client.ready().then(
  (state) => {
    init = state;
    for (const name of SECRET_NAMES) typedKept[name] = state.typedSecrets[name];
    const restored = viewState.read();
    kind = restored?.kind ?? init.kind;
    values = { ...init.values, ...(restored?.values ?? {}) };
    render();
  },
  (error: unknown) => notOpened(app, error, (why) => l10n.t('The form could not be opened: {0}', why)),
);

/** A kind as the form names it (the host words the titles). */
function titleOf(k: Kind): string {
  return init?.kinds.find((form) => form.kind === k)?.title ?? k;
}

/** Tells the host what secret fields hold now, so that a secret typed survives the form being hidden (it keeps them). */
function keepTyped(secrets: Partial<Record<SecretName, string>>): void {
  for (const name of SECRET_NAMES) if (secrets[name] !== undefined) typedKept[name] = secrets[name] !== '';
  client.command('typedSecrets', secrets);
}

function saveState(): void {
  const safe: FormValues = {};
  for (const [key, value] of Object.entries(values)) if (!SECRET_KEYS.has(key)) safe[key] = value;
  viewState.write({ kind, values: safe });
}

function readInputs(): FormValues {
  for (const [key, input] of inputs) values[key] = input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
  return values;
}

function filled(value: string | boolean | undefined): boolean {
  return value === true || (typeof value === 'string' && value.trim() !== '');
}

function currentForm(): KindForm {
  return init!.kinds.find((k) => k.kind === kind)!;
}

function field(spec: FieldSpec): HTMLElement {
  const id = `field-${spec.key}`;
  const value = values[spec.key];
  const help = spec.help ? el('div', { className: 'help', text: spec.help, attrs: { id: `${id}-help` } }) : undefined;
  const error = el('div', { className: 'error-text', attrs: { id: `${id}-error`, role: 'alert' } });
  errorLines.set(spec.key, error);
  let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  let extra: HTMLElement | undefined;
  if (spec.type === 'checkbox') {
    const box = el('input', { attrs: { type: 'checkbox', id } });
    box.checked = value === true;
    inputs.set(spec.key, box);
    return el('div', { className: 'row checkbox' }, el('label', { attrs: { for: id } }, box, document.createTextNode(` ${spec.label}`)), help, error);
  }
  if (spec.type === 'lines') {
    input = el('textarea', { attrs: { id, rows: '3', spellcheck: 'false' } });
    input.value = typeof value === 'string' ? value : '';
  } else if (spec.type === 'select') {
    input = el('select', { attrs: { id } });
    for (const option of spec.options ?? []) input.append(el('option', { text: option.label, attrs: { value: option.value } }));
    input.value = typeof value === 'string' && value ? value : (spec.options?.[0]?.value ?? '');
  } else if (spec.type === 'sshProfile') {
    input = el('select', { attrs: { id } }, el('option', { text: l10n.t('(none)'), attrs: { value: '' } }));
    for (const ssh of init!.sshProfiles) input.append(el('option', { text: ssh.name, attrs: { value: ssh.id } }));
    input.value = typeof value === 'string' ? value : '';
  } else {
    const type = spec.type === 'password' ? 'password' : spec.type === 'number' ? 'number' : 'text';
    input = el('input', { attrs: { id, type, spellcheck: 'false', autocomplete: 'off' } });
    input.value = typeof value === 'string' ? value : '';
    const secret = isSecret(spec.key) ? spec.key : undefined;
    if (secret) input.addEventListener('input', () => keepTyped({ [secret]: input.value }));
    if (secret && typedKept[secret]) input.placeholder = l10n.t('typed before the form was hidden, and kept; type to replace');
    else if (secret && init!.savedSecrets[secret]) input.placeholder = l10n.t('saved in SecretStorage; type to replace');
    else if (spec.placeholder) input.placeholder = spec.placeholder;
    if (spec.type === 'file') {
      const browse = button(l10n.t('Browse…'), { secondary: true });
      browse.addEventListener('click', () => {
        void client.request('pickFile', {}).then((picked) => {
          if (picked.path) input.value = picked.path;
        }, () => undefined);
      });
      extra = browse;
    }
  }
  if (spec.placeholder && input instanceof HTMLTextAreaElement) input.placeholder = spec.placeholder;
  if (help) input.setAttribute('aria-describedby', `${id}-help ${id}-error`);
  if (spec.required) input.setAttribute('aria-required', 'true');
  inputs.set(spec.key, input);
  const label = el('label', { text: `${spec.label}${spec.required ? ' *' : ''}`, attrs: { for: id } });
  return el('div', { className: 'row' }, label, extra ? el('div', { className: 'with-button' }, input, extra) : input, help, error);
}

/** The reading of the address last pasted or typed, which redraws the form with what it holds. */
let addressRead: Promise<void> = Promise.resolve();
let addressPending = 0;

/**
 * True when no address is being read, so `form` holds what the user sees and may act; otherwise false, and `again`
 * runs once the address is read (on the form it drew), so a Save pressed while typing saves the address's fields.
 */
function afterAddress(form: HTMLFormElement, again: () => void): boolean {
  if (addressPending === 0 && form.isConnected) return true;
  const wait = (): void => {
    const waited = addressRead;
    void waited.then(() => (waited === addressRead ? again() : wait()));
  };
  wait();
  return false;
}

function showErrors(errors: Record<string, string>): void {
  for (const [key, line] of errorLines) {
    line.textContent = errors[key] ?? '';
    inputs.get(key)?.setAttribute('aria-invalid', errors[key] ? 'true' : 'false');
  }
  const first = Object.keys(errors)[0];
  const input = first ? inputs.get(first) : undefined;
  // A field in error is never left folded away or hidden.
  const folded = input?.closest('details');
  if (folded) folded.open = true;
  const row = input?.closest('.row');
  if (row instanceof HTMLElement) row.hidden = false;
  input?.focus();
}

function render(): void {
  if (!init) return;
  saveState();
  inputs.clear();
  errorLines.clear();
  const status = el('div', { className: 'status', attrs: { role: 'status' } });
  const heading = el('h1', { text: init.mode === 'edit' ? l10n.t('Edit {0}', String(values['name'] ?? '')) : l10n.t('Add Connection') });

  const url = el('input', { attrs: { id: 'paste-url', type: 'text', spellcheck: 'false', placeholder: 'redis://…  amqp://…  mysql://…  user@host:port  host:11211,host:11212' } });
  const urlHint = el('div', { className: 'help', attrs: { id: 'paste-url-help' } });
  url.setAttribute('aria-describedby', 'paste-url-help');
  url.addEventListener('input', () => {
    const text = url.value;
    addressPending++;
    addressRead = client.request('parseUrl', { text }).then(({ parsed }) => {
      if (url.value !== text) return;
      if (!parsed) {
        urlHint.textContent = text.trim() ? l10n.t('Not a connection address this form knows.') : '';
        return;
      }
      if (init!.mode === 'edit' && parsed.kind !== kind) {
        urlHint.textContent = l10n.t('That is a {0} address; this connection is {1}.', titleOf(parsed.kind), titleOf(kind));
        return;
      }
      readInputs();
      kind = parsed.kind;
      values = { ...Object.fromEntries(KEPT_ON_PASTE.flatMap((key) => (key in values ? [[key, values[key]!]] : []))), ...parsed.values };
      // What the address does not name is no secret of it: one typed for the address before goes.
      keepTyped(Object.fromEntries(SECRET_NAMES.map((name) => [name, String(values[name] ?? '')])));
      render();
      const again = document.getElementById('paste-url') as HTMLInputElement;
      again.value = text;
      document.getElementById('paste-url-help')!.textContent = l10n.t('Filled from the {0} address.', currentForm().title);
      again.focus();
    }, () => undefined).finally(() => addressPending--);
  });

  const kindSelect = el('select', { attrs: { id: 'kind' } });
  for (const k of init.kinds) kindSelect.append(el('option', { text: k.title, attrs: { value: k.kind } }));
  kindSelect.value = kind;
  kindSelect.disabled = init.mode === 'edit';
  kindSelect.addEventListener('change', () => {
    readInputs();
    kind = KINDS.find((k) => k === kindSelect.value) ?? kind;
    render();
    document.getElementById('kind')?.focus();
  });

  const form = el('form', { attrs: { novalidate: '' } });
  const specs = currentForm().fields;
  const rows = new Map(specs.map((spec) => [spec.key, field(spec)]));
  const more = el('details', { className: 'more' }, el('summary', { text: l10n.t('More options') }));
  for (const spec of specs) (spec.more ? more : form).append(rows.get(spec.key)!);
  // Folded away unless one of them already holds something (or is in error after a save).
  more.open = specs.some((spec) => spec.more && filled(values[spec.key]));
  if (specs.some((spec) => spec.more)) form.append(more);
  /** Fields that depend on another one (a CA file on TLS) show while it is ticked or filled. */
  const showDependents = (): void => {
    for (const spec of specs) if (spec.shownWith) rows.get(spec.key)!.hidden = !filled(values[spec.shownWith]);
  };
  showDependents();

  const save = el('button', { text: l10n.t('Save'), attrs: { type: 'submit' } });
  const test = el('button', { className: 'secondary', text: l10n.t('Test Connection'), attrs: { type: 'button', id: 'test-connection' } });
  const cancel = button(l10n.t('Cancel'), { secondary: true });
  // The actions stay in view however long the form is.
  form.append(el('div', { className: 'actions' }, save, test, cancel, status));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // An address still being read fills the form anew when it is: save what it fills, from the form it draws.
    if (!afterAddress(form, () => document.querySelector<HTMLButtonElement>('form button[type="submit"]')?.click())) return;
    save.disabled = true;
    status.textContent = l10n.t('Saving…');
    void client.request('save', { kind, values: readInputs() }).then(
      ({ errors }) => {
        save.disabled = false;
        status.textContent = Object.keys(errors).length ? l10n.t('Fix the marked fields.') : l10n.t('Saved.');
        showErrors(errors);
      },
      (error: unknown) => {
        save.disabled = false;
        status.className = 'status error-text';
        status.textContent = l10n.t('Not saved: {0}', problemText(error));
      },
    );
  });
  test.addEventListener('click', () => {
    if (!afterAddress(form, () => document.getElementById('test-connection')?.click())) return;
    test.disabled = true;
    status.className = 'status';
    status.textContent = l10n.t('Connecting…');
    void client.request('test', { kind, values: readInputs() }).then(
      (result) => {
        test.disabled = false;
        status.className = `status ${result.ok ? 'ok-text' : 'error-text'}`;
        status.textContent = result.message;
        showErrors(result.errors);
      },
      (error: unknown) => {
        test.disabled = false;
        status.className = 'status error-text';
        status.textContent = problemText(error);
      },
    );
  });
  cancel.addEventListener('click', () => client.command('cancel', {}));
  form.addEventListener('input', () => {
    readInputs();
    saveState();
    showDependents();
  });

  app.replaceChildren(
    heading,
    el('div', { className: 'row' }, el('label', { text: l10n.t('Paste a connection URL to fill the form'), attrs: { for: 'paste-url' } }), url, urlHint),
    el('div', { className: 'row' }, el('label', { text: l10n.t('Kind'), attrs: { for: 'kind' } }), kindSelect),
    form,
  );
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') client.command('cancel', {});
});
