/**
 * Errors a driver raises for the user: what failed, where, and what to do.
 * Bundles are separate per kind, so callers test `isDriverError`, never `instanceof`.
 */
export type DriverErrorCode =
  | 'refused' | 'unreachable' | 'timeout' | 'auth' | 'protocol' | 'tls' | 'readOnly' | 'server' | 'closed' | 'config' | 'hostKey';

export class DriverError extends Error {
  override readonly name = 'DriverError';
  constructor(
    readonly code: DriverErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(hint ? `${message} ${hint}` : message, options);
  }
}

export function isDriverError(error: unknown): error is DriverError {
  return error instanceof Error && error.name === 'DriverError' && 'code' in error;
}

const NET_CODES: Record<string, [DriverErrorCode, string, string]> = {
  ECONNREFUSED: ['refused', 'connection refused', 'Check that the server is running and the port is right.'],
  ECONNRESET: ['closed', 'connection reset by the server', 'Check the port and whether the server expects TLS.'],
  EPIPE: ['closed', 'connection closed by the server', 'Check the port and whether the server expects TLS.'],
  ENOTFOUND: ['unreachable', 'host name not found', 'Check the host name.'],
  EAI_AGAIN: ['unreachable', 'host name could not be resolved', 'Check the host name and your DNS.'],
  EHOSTUNREACH: ['unreachable', 'host unreachable', 'Check the host and your network.'],
  ENETUNREACH: ['unreachable', 'network unreachable', 'Check the host and your network.'],
  ETIMEDOUT: ['timeout', 'timed out', 'Check the host, port and firewall, or raise switchboard.connectTimeoutSeconds.'],
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

export function timeoutError(what: string, endpoint: string, ms: number, expect: string): DriverError {
  return new DriverError('timeout', `${what} at ${endpoint}: no ${expect} within ${Math.round(ms / 100) / 10} s.`,
    'Check the host, port and firewall and that this is the right kind of server, or raise switchboard.connectTimeoutSeconds.');
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
