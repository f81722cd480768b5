/** Failures and outcomes as the key browsers show them in a line of their own. */
import * as l10n from '@vscode/l10n';
import { el } from './dom';
import { RequestError } from './ipc';

/** What failed, as the host said it: its message, the driver's code and hint when there are any. */
export interface Problem {
  readonly message: string;
  readonly code?: string | undefined;
  readonly hint?: string | undefined;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof RequestError) return { message: error.message, code: error.code, hint: error.hint };
  return { message: error instanceof Error ? error.message : String(error) };
}

/** Shows a failure in `into`: what failed, the message, the code, and what to do. */
export function showProblem(into: HTMLElement, what: string, problem: Problem): void {
  into.className = 'problem';
  into.setAttribute('role', 'alert');
  const parts = [el('span', { text: l10n.t('{0}: {1}', what, problem.message) })];
  if (problem.code) parts.push(el('code', { className: 'code', text: problem.code, attrs: { title: l10n.t('Error code') } }));
  if (problem.hint) parts.push(el('span', { className: 'hint', text: problem.hint }));
  into.replaceChildren(...parts);
}

/** Shows an outcome in `into` as a status line (ok or plain). */
export function showStatus(into: HTMLElement, text: string, ok = false): void {
  into.className = `status${ok ? ' ok-text' : ''}`;
  into.setAttribute('role', 'status');
  into.textContent = text;
}
