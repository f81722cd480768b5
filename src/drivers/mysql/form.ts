import { MySqlProfile } from '../types';
import { baseValues, decoded, FieldSpec, FormReader, FormValues, urlHost } from '../form';

export const mySqlFields: readonly FieldSpec[] = [
  { key: 'host', label: 'Host', type: 'text', required: true, placeholder: '127.0.0.1' },
  { key: 'port', label: 'Port', type: 'number', placeholder: '3306' },
  { key: 'username', label: 'User', type: 'text', required: true, placeholder: 'root' },
  { key: 'password', label: 'Password', type: 'password' },
  { key: 'database', label: 'Database', type: 'text', placeholder: 'optional' },
  { key: 'tls', label: 'TLS', type: 'checkbox' },
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
  const profile: MySqlProfile = {
    ...form.base(id),
    kind: 'mysql',
    host: form.text('host', true, 'Host'),
    port: form.port('port', 3306),
    username: form.text('username', true, 'User'),
    tls: form.flag('tls'),
    ...(database ? { database } : {}),
  };
  return { profile, errors: form.errors };
}

export function mySqlValues(profile: MySqlProfile): FormValues {
  return { ...baseValues(profile), host: profile.host, port: String(profile.port), username: profile.username, database: profile.database ?? '', tls: profile.tls };
}
