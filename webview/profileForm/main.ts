import './main.css';
import type { FormInit, FormRequest, FormResponses, KindForm, ToForm, ToHost } from '../../src/panels/profileForm/protocol';
import type { FieldSpec, FormValues } from '../../src/drivers/form';
import type { Kind } from '../../src/drivers/types';
import { Messenger } from '../shared/messenger';
import { el } from '../shared/dom';

interface State {
  kind: Kind;
  /** Non-secret values only: passwords never go into webview state. */
  values: FormValues;
}

const SECRET_KEYS = new Set(['password', 'passphrase']);
const app = document.getElementById('app')!;
let init: FormInit | undefined;
let kind: Kind = 'redis';
let values: FormValues = {};
const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
const errorLines = new Map<string, HTMLElement>();

const messenger = new Messenger<ToHost, ToForm, State>((message) => {
  if (message.type === 'init') {
    init = message.init;
    const restored = messenger.state;
    kind = restored?.kind ?? init.kind;
    values = { ...init.values, ...(restored?.values ?? {}) };
    render();
  }
});

function ask<T extends FormRequest['type']>(request: Extract<FormRequest, { type: T }>): Promise<FormResponses[T]> {
  return messenger.request<FormResponses[T]>((id) => ({ type: 'request', id, request }));
}

function saveState(): void {
  const safe: FormValues = {};
  for (const [key, value] of Object.entries(values)) if (!SECRET_KEYS.has(key)) safe[key] = value;
  messenger.state = { kind, values: safe };
}

function readInputs(): FormValues {
  for (const [key, input] of inputs) values[key] = input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
  return values;
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
    input = el('select', { attrs: { id } }, el('option', { text: '(none)', attrs: { value: '' } }));
    for (const ssh of init!.sshProfiles) input.append(el('option', { text: ssh.name, attrs: { value: ssh.id } }));
    input.value = typeof value === 'string' ? value : '';
  } else {
    const type = spec.type === 'password' ? 'password' : spec.type === 'number' ? 'number' : 'text';
    input = el('input', { attrs: { id, type, spellcheck: 'false', autocomplete: 'off' } });
    input.value = typeof value === 'string' ? value : '';
    const saved = spec.key === 'password' ? init!.savedSecrets.password : spec.key === 'passphrase' ? init!.savedSecrets.passphrase : false;
    if (spec.type === 'password' && saved) input.placeholder = 'saved in SecretStorage; type to replace';
    else if (spec.placeholder) input.placeholder = spec.placeholder;
    if (spec.type === 'file') {
      const browse = el('button', { className: 'secondary', text: 'Browse…', attrs: { type: 'button' } });
      browse.addEventListener('click', () => {
        void ask({ type: 'pickFile' }).then((picked) => {
          if (picked.path) input.value = picked.path;
        });
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

function showErrors(errors: Record<string, string>): void {
  for (const [key, line] of errorLines) {
    line.textContent = errors[key] ?? '';
    inputs.get(key)?.setAttribute('aria-invalid', errors[key] ? 'true' : 'false');
  }
  const first = Object.keys(errors)[0];
  if (first) inputs.get(first)?.focus();
}

function render(): void {
  if (!init) return;
  saveState();
  inputs.clear();
  errorLines.clear();
  const status = el('div', { className: 'status', attrs: { role: 'status' } });
  const heading = el('h1', { text: init.mode === 'edit' ? `Edit ${String(values['name'] ?? '')}` : 'Add Connection' });

  const url = el('input', { attrs: { id: 'paste-url', type: 'text', spellcheck: 'false', placeholder: 'redis://…  amqp://…  mysql://…  user@host:port  host:11211,host:11212' } });
  const urlHint = el('div', { className: 'help', attrs: { id: 'paste-url-help' } });
  url.setAttribute('aria-describedby', 'paste-url-help');
  url.addEventListener('input', () => {
    const text = url.value;
    void ask({ type: 'parseUrl', text }).then(({ parsed }) => {
      if (url.value !== text) return;
      if (!parsed) {
        urlHint.textContent = text.trim() ? 'Not a connection address this form knows.' : '';
        return;
      }
      if (init!.mode === 'edit' && parsed.kind !== kind) {
        urlHint.textContent = `That is a ${parsed.kind} address; this connection is ${kind}.`;
        return;
      }
      readInputs();
      kind = parsed.kind;
      values = { ...values, ...parsed.values };
      render();
      const again = document.getElementById('paste-url') as HTMLInputElement;
      again.value = text;
      document.getElementById('paste-url-help')!.textContent = `Filled from the ${currentForm().title} address.`;
      again.focus();
    });
  });

  const kindSelect = el('select', { attrs: { id: 'kind' } });
  for (const k of init.kinds) kindSelect.append(el('option', { text: k.title, attrs: { value: k.kind } }));
  kindSelect.value = kind;
  kindSelect.disabled = init.mode === 'edit';
  kindSelect.addEventListener('change', () => {
    readInputs();
    kind = kindSelect.value as Kind;
    render();
    document.getElementById('kind')?.focus();
  });

  const form = el('form', { attrs: { novalidate: '' } });
  for (const spec of currentForm().fields) form.append(field(spec));

  const save = el('button', { text: 'Save', attrs: { type: 'submit' } });
  const test = el('button', { className: 'secondary', text: 'Test Connection', attrs: { type: 'button' } });
  const cancel = el('button', { className: 'secondary', text: 'Cancel', attrs: { type: 'button' } });
  form.append(el('div', { className: 'actions' }, save, test, cancel), status);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save.disabled = true;
    status.textContent = 'Saving…';
    void ask({ type: 'save', kind, values: readInputs() }).then(({ errors }) => {
      save.disabled = false;
      status.textContent = Object.keys(errors).length ? 'Fix the marked fields.' : 'Saved.';
      showErrors(errors);
    });
  });
  test.addEventListener('click', () => {
    test.disabled = true;
    status.className = 'status';
    status.textContent = 'Connecting…';
    void ask({ type: 'test', kind, values: readInputs() }).then((result) => {
      test.disabled = false;
      status.className = `status ${result.ok ? 'ok-text' : 'error-text'}`;
      status.textContent = result.message;
      showErrors(result.errors);
    });
  });
  cancel.addEventListener('click', () => messenger.post({ type: 'cancel' }));
  form.addEventListener('input', () => {
    readInputs();
    saveState();
  });

  app.replaceChildren(
    heading,
    el('div', { className: 'row' }, el('label', { text: 'Paste a connection URL to fill the form', attrs: { for: 'paste-url' } }), url, urlHint),
    el('div', { className: 'row' }, el('label', { text: 'Kind', attrs: { for: 'kind' } }), kindSelect),
    form,
  );
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') messenger.post({ type: 'cancel' });
});
messenger.post({ type: 'ready' });
