/**
 * The host's side of the questions a panel asks (question.ts). The host decides what is asked and what is done: a
 * request without a ticket is answered with the question, worded here from what the server holds; the same request
 * carrying the ticket of that question does it. A ticket is good once, for exactly the request it was issued for, so
 * a webview cannot do anything the user was not asked about.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DriverError } from '../../drivers/errors';
import type { Question } from './question';

/** Questions are short-lived: an old one left unanswered is forgotten when others are asked. */
const MOST_OPEN = 16;

/** `Kept`: what the host learnt while asking (a count, say) and needs again when it does it. */
export class Questions<Kept = void> {
  /** Open tickets: the request each was issued for, and what was kept with it. */
  private readonly open = new Map<string, { readonly request: string; readonly kept: Kept }>();

  /** The question to put to the user before `request` (anything JSON-serialisable that names it exactly). */
  ask(request: unknown, words: Omit<Question, 'ticket'>, kept: Kept): Question {
    const issued = randomBytes(18).toString('base64url');
    this.open.set(issued, { request: JSON.stringify(request), kept });
    for (const old of this.open.keys()) {
      if (this.open.size <= MOST_OPEN) break;
      this.open.delete(old);
    }
    return { ...words, ticket: issued };
  }

  /** Takes the ticket, which must have been issued for this very request (throws when it was not): what was kept. */
  agreed(request: unknown, given: string): Kept {
    const issued = this.open.get(given);
    this.open.delete(given);
    if (issued?.request !== JSON.stringify(request)) {
      throw new DriverError('config', vscode.l10n.t('This change was not confirmed as asked: nothing was changed.'), { worded: vscode.l10n.t('Do it again and confirm the question the panel shows.') });
    }
    return issued.kept;
  }
}
