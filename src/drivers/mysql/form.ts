import { MySqlProfile } from '../types';
import { portableField } from '../homePath';
import { baseValues, decoded, FieldSpec, FormReader, FormValues, urlHost } from '../form';

export const mySqlFields: readonly FieldSpec[] = [
  { key: 'host', label: 'Host', type: 'text', required: true, placeholder: '127.0.0.1' },
  { key: 'port', label: 'Port', type: 'number', placeholder: '3306' },
  { key: 'username', label: 'User', type: 'text', required: true, placeholder: 'root' },
  { key: 'password', label: 'Password', type: 'password' },
  { key: 'database', label: 'Database', type: 'text', placeholder: 'optional' },
  { key: 'tls', label: 'TLS', type: 'checkbox' },
  { key: 'caFile', label: 'CA certificate (PEM file)', type: 'text', placeholder: '/etc/ssl/private-ca.pem', help: 'With TLS, when the server\'s certificate is signed by your own CA.', shownWith: 'tls' },
  { key: 'certFile', label: 'Client certificate (PEM file)', type: 'text', placeholder: '/etc/ssl/mysql-client.pem', help: 'With TLS, for a user created REQUIRE X509 (or SUBJECT / ISSUER).', shownWith: 'tls', more: true },
  { key: 'keyFile', label: 'Client key (PEM file)', type: 'text', placeholder: '/etc/ssl/mysql-client.key', shownWith: 'certFile', more: true },
  { key: 'passphrase', label: 'Client key passphrase', type: 'password', help: 'When the key file is encrypted.', shownWith: 'keyFile', more: true },
];

/** mysql://user:password@host:port/database (mariadb:// too). */
export function parseMySqlUrl(url: URL): FormValues {
  return {
    host: urlHost(url),
    port: url.port || '3306',
    username: decoded(url.username),
    password: decoded(url.password),
    database: decoded(url.pathname.replace(/^\//, '')),
    tls: url.searchParams.has('ssl') && url.searchParams.get('ssl') !== 'false',
  };
}

export function mySqlProfile(id: string, values: FormValues): { profile: MySqlProfile; errors: Record<string, string> } {
  const form = new FormReader(values);
  const database = form.optional('database');
  const tls = form.flag('tls');
  const caFile = portableField(form.optional('caFile'));
  const certFile = portableField(form.optional('certFile'));
  const keyFile = portableField(form.optional('keyFile'));
  if (caFile && !tls) form.errors['caFile'] = 'A CA certificate is only used with TLS: tick TLS or clear this.';
  if (certFile && !tls) form.errors['certFile'] = 'A client certificate is only used with TLS: tick TLS or clear this.';
  if (certFile && !keyFile) form.errors['keyFile'] = 'A client certificate needs its key: give the key file.';
  if (keyFile && !certFile) form.errors['certFile'] = 'A client key needs its certificate: give the certificate file.';
  const profile: MySqlProfile = {
    ...form.base(id),
    kind: 'mysql',
    host: form.host('host'),
    port: form.port('port', 3306),
    username: form.text('username', true, 'User'),
    tls,
    ...(database ? { database } : {}),
    ...(caFile ? { caFile } : {}),
    ...(certFile && keyFile ? { certFile, keyFile } : {}),
  };
  return { profile, errors: form.errors };
}

export function mySqlValues(profile: MySqlProfile): FormValues {
  return {
    ...baseValues(profile), host: profile.host, port: String(profile.port), username: profile.username, database: profile.database ?? '', tls: profile.tls,
    caFile: profile.caFile ?? '', certFile: profile.certFile ?? '', keyFile: profile.keyFile ?? '',
  };
}
