/**
 * What a form says about its fields, next to each field: an error, a warning or a note, coloured by severity. A
 * field's own check runs as the user types (so its problem shows, and clears, as they fix it); what the host said
 * about it after a request stays until the field is changed.
 */
import { check, Schema } from '../../src/panels/ipc/protocol';
import type { InferOutput } from 'valibot';
import { RequestError } from './ipc';
import { el } from './dom';
import * as l10n from '@vscode/l10n';

export type Severity = 'error' | 'warning' | 'info' | 'ok';

export interface Note {
  readonly severity: Severity;
  readonly text: string;
  /** What to do about it. */
  readonly hint?: string;
  /** The driver's error code, when the host sent one. */
  readonly code?: string;
}

/** A failed request as a note: the message, the driver's hint and code. */
export function errorNote(error: unknown, prefix = ''): Note {
  if (error instanceof RequestError) return { severity: 'error', text: `${prefix}${error.message}`, ...(error.hint ? { hint: error.hint } : {}), ...(error.code ? { code: error.code } : {}) };
  return { severity: 'error', text: `${prefix}${error instanceof Error ? error.message : String(error)}` };
}

let nextId = 1;

/** A line that shows one note (or nothing), for a field or for a form's actions. */
export class NoteLine {
  readonly element: HTMLElement;
  private shown: Note | undefined;

  constructor(className = 'note') {
    this.element = el('div', { className, attrs: { id: `note-${nextId++}`, 'aria-live': 'polite' } });
    this.element.hidden = true;
  }

  get note(): Note | undefined {
    return this.shown;
  }

  show(note: Note | undefined): void {
    this.shown = note;
    this.element.hidden = !note;
    this.element.dataset['severity'] = note?.severity ?? '';
    this.element.setAttribute('role', note?.severity === 'error' ? 'alert' : 'status');
    if (!note) return void this.element.replaceChildren();
    this.element.replaceChildren(...[
      el('span', { className: 'note-text', text: note.text }),
      note.hint ? el('span', { className: 'note-hint', text: ` ${note.hint}` }) : undefined,
      note.code ? el('code', { className: 'note-code', text: note.code, attrs: { title: l10n.t('Error code') } }) : undefined,
    ].filter((node) => node !== undefined));
  }
}

/** A control's value, or the sentence that says why it has none. */
export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export interface FieldOptions<T> {
  readonly read: () => Reading<T>;
  /** A note worth showing while the value is fine (what a choice will do). */
  readonly advise?: (value: T) => Note | undefined;
  readonly wide?: boolean;
}

/** A field of any value, as a form's list of fields holds it. */
export interface FormField {
  readonly element: HTMLElement;
  readonly control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  read(): Reading<unknown>;
  report(note: Note): void;
  refresh(): void;
}

/** A labelled control with its note underneath. */
export class Field<T> implements FormField {
  readonly element: HTMLElement;
  private readonly line = new NoteLine();
  private fromHost: Note | undefined;
  /** A field says what is wrong with it only once it was changed or its form was sent, never on first sight. */
  private touched = false;

  constructor(label: string, readonly control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, private readonly options: FieldOptions<T>) {
    this.control.setAttribute('aria-describedby', this.line.element.id);
    if (!this.control.getAttribute('aria-label')) this.control.setAttribute('aria-label', label);
    const caption = el('span', { className: 'field-label', text: label });
    this.element = this.control instanceof HTMLInputElement && this.control.type === 'checkbox'
      ? el('div', { className: 'field checkbox' }, el('label', {}, this.control, caption), this.line.element)
      : el('label', { className: options.wide ? 'field wide' : 'field' }, caption, this.control, this.line.element);
    const changed = (): void => {
      this.fromHost = undefined;
      this.touched = true;
      this.refresh();
    };
    this.control.addEventListener('input', changed);
    this.control.addEventListener('change', changed);
    this.refresh();
  }

  /** The value, or why there is none (which the field then shows). */
  read(): Reading<T> {
    const reading = this.options.read();
    this.touched = true;
    this.refresh();
    return reading;
  }

  /** The value of a field `allValid` passed. */
  get value(): T {
    const reading = this.options.read();
    if (!reading.ok) throw new Error(reading.problem);
    return reading.value;
  }

  /** What the host said about this field after a request; it stays until the field is changed. */
  report(note: Note): void {
    this.fromHost = note;
    this.refresh();
    if (note.severity === 'error') this.control.focus();
  }

  /** Shows the field's check again (another field it depends on changed). */
  refresh(): void {
    const read = this.options.read();
    const own: Note | undefined = read.ok ? this.options.advise?.(read.value) : this.touched ? { severity: 'error', text: read.problem } : undefined;
    const note = own?.severity === 'error' ? own : (this.fromHost ?? own);
    this.line.show(note);
    this.control.setAttribute('aria-invalid', String(note?.severity === 'error'));
    this.element.dataset['severity'] = note?.severity ?? '';
  }
}

/**
 * Checks every field of a form: true when all hold a value; otherwise each field with a problem shows it and the
 * first of them has the focus (opened, if it sits in a closed <details>).
 */
export function allValid(fields: readonly FormField[]): boolean {
  const bad = fields.filter((field) => !field.read().ok);
  const control = bad[0]?.control;
  if (!control) return true;
  const folded = control.closest('details');
  if (folded) folded.open = true;
  control.focus();
  return false;
}

/** Reads a value through a field schema of the protocol: the value, or the schema's sentence about it. */
export function checked<S extends Schema>(schema: S, value: unknown): Reading<InferOutput<S>> {
  return check(schema, value);
}
