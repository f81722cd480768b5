import * as vscode from 'vscode';
import { DriverErrorCode, isDriverError, messageOf } from '../drivers/errors';

/**
 * Drivers raise errors in English with a code and a hint (they know nothing of VS Code); here they are worded for the
 * user's display language. In a language other than English the message starts with what the code means, the
 * driver's own facts (endpoint, server reply) follow as they are, and a hint the drivers share is given translated.
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

/** The drivers' hints, by their exact English text (a unit test checks each still occurs in src/drivers). */
export const HINT_WORDS: ReadonlyMap<string, () => string> = new Map([
  ['Check that the server is running and the port is right.', () => vscode.l10n.t('Check that the server is running and the port is right.')],
  ['Check the port and whether the server expects TLS.', () => vscode.l10n.t('Check the port and whether the server expects TLS.')],
  ['Check the host name.', () => vscode.l10n.t('Check the host name.')],
  ['Check the host name and your DNS.', () => vscode.l10n.t('Check the host name and your DNS.')],
  ['Check the host and your network.', () => vscode.l10n.t('Check the host and your network.')],
  ['Check the host, port and firewall, or raise switchboard.connectTimeoutSeconds.', () => vscode.l10n.t('Check the host, port and firewall, or raise switchboard.connectTimeoutSeconds.')],
  ['Check the host, port and firewall and that this is the right kind of server, or raise switchboard.connectTimeoutSeconds.', () => vscode.l10n.t('Check the host, port and firewall and that this is the right kind of server, or raise switchboard.connectTimeoutSeconds.')],
  ['Connect with the name the certificate was issued for.', () => vscode.l10n.t('Connect with the name the certificate was issued for.')],
  ['Renew the server certificate.', () => vscode.l10n.t('Renew the server certificate.')],
  ['Set the CA certificate file in the connection to the CA that signed it.', () => vscode.l10n.t('Set the CA certificate file in the connection to the CA that signed it.')],
  ['Check whether the server offers TLS.', () => vscode.l10n.t('Check whether the server offers TLS.')],
  ['Check whether the server expects TLS (rediss://) or not.', () => vscode.l10n.t('Check whether the server expects TLS (rediss://) or not.')],
  ['Edit the connection and enter the right credentials.', () => vscode.l10n.t('Edit the connection and enter the right credentials.')],
  ['Edit the connection and enter its password.', () => vscode.l10n.t('Edit the connection and enter its password.')],
  ['Edit the connection and set its user name and password.', () => vscode.l10n.t('Edit the connection and set its user name and password.')],
  ['Check the user name, password and the database grants.', () => vscode.l10n.t('Check the user name, password and the database grants.')],
  ['Check the user name, password and that the user may use this vhost.', () => vscode.l10n.t('Check the user name, password and that the user may use this vhost.')],
  ['Check the user name, password, key file and passphrase.', () => vscode.l10n.t('Check the user name, password, key file and passphrase.')],
  ['Edit the connection: enter a password, pick a key file or use ssh-agent.', () => vscode.l10n.t('Edit the connection: enter a password, pick a key file or use ssh-agent.')],
  ['Edit the connection and pick an existing private key file.', () => vscode.l10n.t('Edit the connection and pick an existing private key file.')],
  ['Edit the connection and pick an existing database, or leave it empty.', () => vscode.l10n.t('Edit the connection and pick an existing database, or leave it empty.')],
  ['Edit the connection and clear Read-only to change data.', () => vscode.l10n.t('Edit the connection and clear Read-only to change data.')],
  ['Edit the connection and clear Read-only to change queues, exchanges, bindings or messages.', () => vscode.l10n.t('Edit the connection and clear Read-only to change queues, exchanges, bindings or messages.')],
  ['Check the port: is this really memcached?', () => vscode.l10n.t('Check the port: is this really memcached?')],
  ['Check the management URL.', () => vscode.l10n.t('Check the management URL.')],
  ['Check the management URL and that the rabbitmq_management plugin is enabled.', () => vscode.l10n.t('Check the management URL and that the rabbitmq_management plugin is enabled.')],
  ['Try again in a moment.', () => vscode.l10n.t('Try again in a moment.')],
  ['Try again once the server is back; the connection shows when it is.', () => vscode.l10n.t('Try again once the server is back; the connection shows when it is.')],
  ['Start an agent (ssh-agent) and add your key, or pick a key file instead.', () => vscode.l10n.t('Start an agent (ssh-agent) and add your key, or pick a key file instead.')],
]);

function isEnglish(): boolean {
  return vscode.env.language === 'en' || vscode.env.language.startsWith('en-');
}

/** An error as the user reads it: the code's meaning first (outside English), the driver's facts, the hint worded. */
export function describeError(error: unknown): string {
  if (!isDriverError(error)) return messageOf(error);
  const hint = error.hint;
  const facts = hint && error.message.endsWith(` ${hint}`) ? error.message.slice(0, -hint.length - 1) : error.message;
  const wordedHint = hint ? (HINT_WORDS.get(hint)?.() ?? hint) : undefined;
  const parts = [...(isEnglish() ? [] : [CODE_WORDS[error.code]()]), facts, ...(wordedHint ? [wordedHint] : [])];
  return parts.join(' ');
}

/** The hint alone, worded (for panels that show it apart from the message). */
export function describeHint(hint: string | undefined): string | undefined {
  return hint === undefined ? undefined : (HINT_WORDS.get(hint)?.() ?? hint);
}

/** The message without its hint, with the code's meaning first outside English (for panels that show the hint apart). */
export function describeFacts(error: unknown): string {
  if (!isDriverError(error)) return messageOf(error);
  const hint = error.hint;
  const facts = hint && error.message.endsWith(hint) ? error.message.slice(0, -hint.length).trimEnd() : error.message;
  return isEnglish() ? facts : `${CODE_WORDS[error.code]()} ${facts}`;
}
