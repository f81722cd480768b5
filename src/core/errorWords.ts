import * as vscode from 'vscode';
import { DriverError, DriverErrorCode, isDriverError, messageOf } from '../drivers/errors';
import { HINT_WORDS } from './hintWords';

/**
 * Drivers raise errors in English with a code and a hint (they know nothing of VS Code); here they are worded for the
 * user's display language. In a language other than English the message starts with what the code means, the
 * driver's own facts (endpoint, server reply) follow as they are, and the driver's hint (one of src/drivers/hints.ts)
 * is given translated.
 */
const CODE_WORDS: Record<DriverErrorCode, () => string> = {
  refused: () => vscode.l10n.t('The server refused the connection.'),
  unreachable: () => vscode.l10n.t('The server cannot be reached.'),
  timeout: () => vscode.l10n.t('The server did not answer in time.'),
  auth: () => vscode.l10n.t('Login failed.'),
  protocol: () => vscode.l10n.t('The server answered in an unexpected way.'),
  tls: () => vscode.l10n.t('TLS failed.'),
  readOnly: () => vscode.l10n.t('This connection is read-only.'),
  server: () => vscode.l10n.t('The server reported an error.'),
  closed: () => vscode.l10n.t('The connection was closed.'),
  config: () => vscode.l10n.t('The connection settings are not usable.'),
  hostKey: () => vscode.l10n.t('The SSH host key could not be verified.'),
  conflict: () => vscode.l10n.t('The data changed since it was read: nothing was written.'),
  cancelled: () => vscode.l10n.t('Cancelled.'),
};

function isEnglish(): boolean {
  return vscode.env.language === 'en' || vscode.env.language.startsWith('en-');
}

/** The error's hint in the user's language: a driver's worded here, one the VS Code layer gave as it was. */
function wordedHint(error: DriverError): string | undefined {
  return error.hintId ? HINT_WORDS[error.hintId]() : error.hint;
}

/** The driver's facts: the message without the hint it ends with. */
function factsOf(error: DriverError): string {
  const hint = error.hint;
  return hint && error.message.endsWith(` ${hint}`) ? error.message.slice(0, -hint.length - 1) : error.message;
}

/** An error as the user reads it: the code's meaning first (outside English), the driver's facts, the hint worded. */
export function describeError(error: unknown): string {
  if (!isDriverError(error)) return messageOf(error);
  const hint = wordedHint(error);
  return [...(isEnglish() ? [] : [CODE_WORDS[error.code]()]), factsOf(error), ...(hint ? [hint] : [])].join(' ');
}

/** An error as a panel shows it: the facts (the code's meaning first outside English) and the worded hint apart. */
export function describeParts(error: DriverError): { facts: string; hint?: string } {
  const hint = wordedHint(error);
  const facts = isEnglish() ? factsOf(error) : `${CODE_WORDS[error.code]()} ${factsOf(error)}`;
  return hint ? { facts, hint } : { facts };
}
