import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process';

export interface TestCertificates {
  /** The private CA a client must be told to trust. */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** A throwaway CA and a server certificate it signed for `names` (127.0.0.1 and localhost unless told), made with openssl. */
export async function makeCertificates(dir: string, names = 'IP:127.0.0.1,DNS:localhost'): Promise<TestCertificates> {
  mkdirSync(dir, { recursive: true });
  const at = (name: string): string => join(dir, name);
  await run('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=Switchboard Test CA']);
  await run('/usr/bin/openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=localhost']);
  writeFileSync(at('ext.cnf'), `subjectAltName=${names}\n`);
  await run('/usr/bin/openssl', ['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.pem'), '-days', '2', '-extfile', at('ext.cnf')]);
  return { caFile: at('ca.pem'), certFile: at('server.pem'), keyFile: at('server.key') };
}

export interface ClientCertificates {
  readonly certFile: string;
  readonly keyFile: string;
  /** The same key, encrypted with `passphrase`. */
  readonly encryptedKeyFile: string;
  readonly passphrase: string;
  /** A key of no certificate here. */
  readonly otherKeyFile: string;
}

/** A client certificate signed by the CA that makeCertificates made in `dir`, for servers that ask for one. */
export async function makeClientCertificate(dir: string, passphrase = 'client-key-secret'): Promise<ClientCertificates> {
  const at = (name: string): string => join(dir, name);
  await run('/usr/bin/openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('client.key'), '-out', at('client.csr'), '-subj', '/CN=switchboard-client']);
  await run('/usr/bin/openssl', ['x509', '-req', '-in', at('client.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('client.pem'), '-days', '2']);
  await run('/usr/bin/openssl', ['pkey', '-in', at('client.key'), '-aes256', '-passout', `pass:${passphrase}`, '-out', at('client-encrypted.key')]);
  await run('/usr/bin/openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', at('other.key')]);
  return { certFile: at('client.pem'), keyFile: at('client.key'), encryptedKeyFile: at('client-encrypted.key'), passphrase, otherKeyFile: at('other.key') };
}
