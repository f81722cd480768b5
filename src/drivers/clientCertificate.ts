import { readFileSync } from 'node:fs';
import { ConnectionOptions, createSecureContext } from 'node:tls';
import { DriverError, messageOf } from './errors';
import { expandHome } from './homePath';

/** The PEM files of a client certificate and its key, as a profile names them. */
export interface ClientCertificateFiles {
  readonly certFile?: string;
  readonly keyFile?: string;
}

function pem(file: string, what: string): Buffer {
  try {
    return readFileSync(expandHome(file));
  } catch (error) {
    throw new DriverError('config', `The ${what} file ${file} could not be read (${messageOf(error)}).`, 'The connection needs a PEM file there.');
  }
}

/**
 * The client certificate and key a server that asks for one gets (Redis `tls-auth-clients`, a MySQL user
 * `REQUIRE X509`), read at connect (so a renewed certificate is picked up) and tried here first, so that a wrong
 * passphrase or a key of another certificate is said plainly instead of as a failed handshake.
 */
export function clientCertificate(files: ClientCertificateFiles, passphrase: string | undefined): Pick<ConnectionOptions, 'cert' | 'key' | 'passphrase'> {
  if (!files.certFile || !files.keyFile) return {};
  const options = { cert: pem(files.certFile, 'client certificate'), key: pem(files.keyFile, 'client key'), ...(passphrase ? { passphrase } : {}) };
  try {
    createSecureContext(options);
  } catch (error) {
    const text = messageOf(error);
    const why = /bad decrypt|bad password|interrupted or cancelled/i.test(text) ? (passphrase ? 'the key passphrase is wrong' : 'the key is encrypted and no passphrase was given')
      : /key values mismatch/i.test(text) ? 'the key is not the one of this certificate'
      : `it is not a PEM certificate and key (${text})`;
    throw new DriverError('config', `The client certificate ${files.certFile} and key ${files.keyFile} could not be used: ${why}.`, 'The connection needs the matching key file and its passphrase.', { cause: error });
  }
  return options;
}
