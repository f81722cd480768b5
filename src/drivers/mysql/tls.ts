import { MySqlProfile, Secrets } from '../types';
import { trustedCa } from '../trustedCa';
import { clientCertificate } from '../clientCertificate';
import { DriverError, messageOf, tlsError } from '../errors';

const UNTRUSTED_HINT = 'The connection needs the CA certificate file of the CA that signed it.';

/**
 * TLS for a MySQL profile as plain PEM text (so it can be handed to the scratchpad's worker thread as it is): the CA
 * to trust when it is a private one, and the client certificate a user created `REQUIRE X509` must show.
 */
export interface MySqlTls {
  readonly ca?: string[];
  readonly cert?: string;
  readonly key?: string;
  readonly passphrase?: string;
}

const text = (value: unknown): string | undefined => (Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : undefined);

/** The profile's TLS, read (and the client key tried) at connect, so renewed files are picked up; undefined without TLS. */
export function mySqlTls(profile: MySqlProfile, secrets: Secrets): MySqlTls | undefined {
  if (!profile.tls) return undefined;
  const { ca } = trustedCa(true, profile.caFile);
  const client = clientCertificate(profile, secrets.passphrase);
  const cert = text(client.cert);
  const key = text(client.key);
  return { ...(ca ? { ca: ca.map((b) => b.toString('utf8')) } : {}), ...(cert && key ? { cert, key } : {}), ...(client.passphrase ? { passphrase: client.passphrase } : {}) };
}

/**
 * mysql2's `ssl` option: the server's certificate must chain to a trusted CA and carry the name (or address) dialled,
 * as with the other kinds (mysql2 checks the chain alone unless told to verify the identity too).
 */
export function sslOption(tls: MySqlTls | undefined): { ssl?: MySqlTls & { rejectUnauthorized: true; verifyIdentity: true } } {
  return tls ? { ssl: { ...tls, rejectUnauthorized: true, verifyIdentity: true } } : {};
}

/** Node's words for a failed certificate check, by the code mysql2 replaces with HANDSHAKE_SSL_ERROR. */
const NODE_TLS_WORDS: readonly [RegExp, string][] = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/does not match certificate's altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/wrong version number/i, 'ERR_SSL_WRONG_VERSION_NUMBER'],
];

/** A TLS failure of the MySQL handshake as a DriverError, or undefined when the error is something else. */
export function mySqlTlsError(error: unknown, endpoint: string): DriverError | undefined {
  const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') return new DriverError('tls', `MySQL at ${endpoint} does not offer TLS (HANDSHAKE_NO_SSL_SUPPORT).`, 'Check whether the server offers TLS.', { cause: error });
  if (code !== 'HANDSHAKE_SSL_ERROR') return tlsError(error, 'MySQL', endpoint, UNTRUSTED_HINT, 'Check whether the server offers TLS.');
  const text = messageOf(error);
  const nodeCode = NODE_TLS_WORDS.find(([words]) => words.test(text))?.[1];
  return nodeCode ? tlsError(Object.assign(new Error(text, { cause: error }), { code: nodeCode }), 'MySQL', endpoint, UNTRUSTED_HINT, 'Check whether the server offers TLS.') : undefined;
}
