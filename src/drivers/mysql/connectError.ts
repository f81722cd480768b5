import type { ConnectOptions } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError } from '../errors';
import { mySqlTlsError } from './tls';

/** Why connecting to MySQL failed, as a DriverError with its code and what to check (the password never in it). */
export function connectError(error: unknown, endpoint: string, options: ConnectOptions): Error {
  if (isDriverError(error)) return error;
  const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    return new DriverError('auth', `MySQL at ${endpoint} denied access (${code}).`, 'Check the user name, password and the database grants.');
  }
  if (code === 'ER_BAD_DB_ERROR') return new DriverError('config', `MySQL at ${endpoint}: the database does not exist (ER_BAD_DB_ERROR).`, 'The connection needs an existing database, or none.');
  if (code === 'ETIMEDOUT') return timeoutError('MySQL', endpoint, options.timeoutMs, 'MySQL greeting');
  const net = networkError(error, 'MySQL', endpoint);
  if (net) return net;
  const tls = mySqlTlsError(error, endpoint);
  if (tls) return tls;
  const text = redact(messageOf(error), [options.secrets.password]);
  if (/HANDSHAKE_SSL|SSL|TLS/i.test(code + text)) return new DriverError('tls', `TLS to MySQL at ${endpoint} failed: ${text}.`, 'Check whether the server offers TLS.');
  if (/packet|protocol|handshake|Malformed|PROTOCOL/i.test(code + text)) {
    return new DriverError('protocol', `The server at ${endpoint} does not speak the MySQL protocol (${text.slice(0, 80)}).`, 'Check the port: is this really MySQL or MariaDB?');
  }
  return new DriverError('server', `MySQL at ${endpoint}: ${text}`, undefined, { cause: error });
}
