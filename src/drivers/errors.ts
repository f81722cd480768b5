import type { Hint } from './hints';

/**
 * Errors a driver raises for the user: what failed, where, and what to do.
 * Bundles are separate per kind, so callers test `isDriverError`, never `instanceof`.
 */
export type DriverErrorCode =
  | 'refused' | 'unreachable' | 'timeout' | 'auth' | 'protocol' | 'tls' | 'readOnly' | 'server' | 'closed' | 'config' | 'hostKey'
  /** Data changed since it was read: nothing was written. */
  | 'conflict'
  /** The user stopped it. */
  | 'cancelled';

/** A hint the VS Code layer has already worded (errors it raises itself, in the user's language). */
export interface WordedHint {
  readonly worded: string;
}

export class DriverError extends Error {
  override readonly name = 'DriverError';
  /** What to do, as the message ends with it. */
  readonly hint?: string;
  /** The driver's hint, for the VS Code layer to word; absent when the hint came worded. */
  readonly hintId?: Hint;
  constructor(
    readonly code: DriverErrorCode,
    message: string,
    hint?: Hint | WordedHint,
    options?: { cause?: unknown },
  ) {
    const text = typeof hint === 'object' ? hint.worded : hint;
    super(text ? `${message} ${text}` : message, options);
    if (text) this.hint = text;
    if (typeof hint === 'string') this.hintId = hint;
  }
}

export function isDriverError(error: unknown): error is DriverError {
  return error instanceof Error && error.name === 'DriverError' && 'code' in error;
}

const NET_CODES: Record<string, [DriverErrorCode, string, Hint]> = {
  ECONNREFUSED: ['refused', 'connection refused', 'Check that the server is running and the port is right.'],
  ECONNRESET: ['closed', 'connection reset by the server', 'Check the port and whether the server expects TLS.'],
  EPIPE: ['closed', 'connection closed by the server', 'Check the port and whether the server expects TLS.'],
  ENOTFOUND: ['unreachable', 'host name not found', 'Check the host name.'],
  EAI_AGAIN: ['unreachable', 'host name could not be resolved', 'Check the host name and your DNS.'],
  EHOSTUNREACH: ['unreachable', 'host unreachable', 'Check the host and your network.'],
  ENETUNREACH: ['unreachable', 'network unreachable', 'Check the host and your network.'],
  ETIMEDOUT: ['timeout', 'timed out', 'Check the host, port and firewall, or allow a longer connect timeout.'],
};

function errno(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/** Turns a socket-level failure into a DriverError naming the endpoint; returns undefined for other errors. */
export function networkError(error: unknown, what: string, endpoint: string): DriverError | undefined {
  const code = errno(error);
  const known = code ? NET_CODES[code] : undefined;
  if (!known) return undefined;
  return new DriverError(known[0], `${what} at ${endpoint}: ${known[1]}.`, known[2], { cause: error });
}

const UNTRUSTED = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED']);
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'EPROTO']);

/**
 * A TLS failure as a DriverError naming the endpoint: an untrusted or mismatched certificate, an expired one, or a
 * server that does not speak TLS on that port. Undefined for anything else.
 */
export function tlsError(error: unknown, what: string, endpoint: string, untrustedHint: Hint, notTlsHint: Hint): DriverError | undefined {
  const code = errno(error);
  if (!code) return undefined;
  if (UNTRUSTED.has(code)) return new DriverError('tls', `TLS to ${what} at ${endpoint}: the server's certificate is not trusted (${code}).`, untrustedHint, { cause: error });
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return new DriverError('tls', `TLS to ${what} at ${endpoint}: the certificate is not for this host name (${code}).`, 'Connect with the name the certificate was issued for.', { cause: error });
  if (code === 'CERT_HAS_EXPIRED') return new DriverError('tls', `TLS to ${what} at ${endpoint}: the server's certificate has expired.`, 'Renew the server certificate.', { cause: error });
  if (NOT_TLS.has(code)) return new DriverError('tls', `TLS to ${what} at ${endpoint} failed: the server does not speak TLS on this port (${code}).`, notTlsHint, { cause: error });
  return undefined;
}

export function timeoutError(what: string, endpoint: string, ms: number, expect: string): DriverError {
  return new DriverError('timeout', `${what} at ${endpoint}: no ${expect} within ${Math.round(ms / 100) / 10} s.`,
    'Check the host, port and firewall and that this is the right kind of server, or allow a longer connect timeout.');
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Removes every occurrence of the given secrets from a text headed for the user or a log. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 1) out = out.split(secret).join('***');
  return out;
}

/** Races a promise against a deadline. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
