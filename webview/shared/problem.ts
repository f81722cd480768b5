/** Failures and outcomes as the key browsers show them in a line of their own. */
import * as l10n from '@vscode/l10n';
import { el } from './dom';
import { Problem, problemText } from './problemOf';

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

/** What a panel shows when its channel could not be opened: `say` words the sentence, with the reason as its {0}. */
export function notOpened(app: HTMLElement, error: unknown, say: (why: string) => string = (why) => l10n.t('The panel could not be opened: {0}', why)): void {
  app.replaceChildren(el('p', { className: 'error-text', attrs: { role: 'alert' }, text: say(problemText(error)) }));
}
