/** Failures and outcomes as the key browsers show them in a line of their own. */
import * as l10n from '@vscode/l10n';
import { el } from './dom';
import { Problem } from './problemOf';

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
