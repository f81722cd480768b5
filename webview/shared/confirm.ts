import './confirm.css';
import type { Question } from '../../src/panels/ipc/question';
import { button, el } from './dom';
import * as l10n from '@vscode/l10n';

export interface Confirmation {
  /** What will happen, e.g. "Delete 3 keys from cache?" */
  readonly message: string;
  /** What exactly is concerned, one per line. */
  readonly items?: readonly string[];
  /** How many more are concerned than the items listed. */
  readonly more?: number;
  readonly detail?: string;
  /** The button that does it, e.g. "Delete". */
  readonly action: string;
}

/** The question open in each place, by how it is answered. */
const asking = new WeakMap<HTMLElement, (yes: boolean) => void>();

/**
 * Asks before a destructive action, inside the panel, the keyboard-safe way: Cancel has the focus, so Enter or
 * Space right after the question changes nothing; Escape cancels too. The action needs its own button pressed.
 */
export function confirmInPanel(host: HTMLElement, ask: Confirmation): Promise<boolean> {
  // A newer question in the same place answers the one it replaces with no.
  asking.get(host)?.(false);
  return new Promise((resolve) => {
    const cancel = button(l10n.t('Cancel'), { secondary: true });
    const act = el('button', { className: 'danger', text: ask.action, attrs: { type: 'button' } });
    const bar = el('div', { className: 'confirm', attrs: { role: 'alertdialog', 'aria-modal': 'false', 'aria-label': ask.message } },
      el('p', { className: 'confirm-message', text: ask.message }),
      ask.items?.length ? el('ul', { className: 'confirm-items' }, ...ask.items.map((item) => el('li', { text: item }))) : undefined,
      ask.more ? el('p', { className: 'help', text: l10n.t('… and {0} more.', ask.more.toLocaleString()) }) : undefined,
      ask.detail ? el('p', { className: 'help', text: ask.detail }) : undefined,
      el('div', { className: 'actions' }, cancel, act));
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const done = (yes: boolean): void => {
      if (asking.get(host) !== done) return;
      asking.delete(host);
      bar.remove();
      previous?.focus();
      resolve(yes);
    };
    cancel.addEventListener('click', () => done(false));
    act.addEventListener('click', () => done(true));
    bar.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      done(false);
    });
    asking.set(host, done);
    host.prepend(bar);
    cancel.focus();
  });
}

/** What a request carries: nothing the first time, the ticket of the question once the user said yes. */
export type Ticket = { readonly confirmed?: string };

/**
 * A destructive request the host answers first with its question (src/panels/ipc/questions.ts): asks it in the
 * panel and, when the user says yes, sends the request again with the question's ticket (spread `ticket` into the
 * request's parameters). Undefined when the user said no (nothing was done).
 */
export async function askedFirst<R extends object>(host: HTMLElement, send: (ticket: Ticket) => Promise<R & { readonly ask?: Question }>): Promise<R | undefined> {
  const first = await send({});
  if (!first.ask) return first;
  const { ticket, ...words } = first.ask;
  if (!(await confirmInPanel(host, words))) return undefined;
  return send({ confirmed: ticket });
}
