import { RedisProfile } from '../types';
import { portableField } from '../homePath';
import { baseValues, decoded, FieldSpec, FormReader, FormValues, urlHost } from '../form';

export const redisFields: readonly FieldSpec[] = [
  { key: 'host', label: 'Host', type: 'text', required: true, placeholder: '127.0.0.1' },
  { key: 'port', label: 'Port', type: 'number', placeholder: '6379' },
  { key: 'username', label: 'User (ACL)', type: 'text', placeholder: 'default' },
  { key: 'password', label: 'Password', type: 'password' },
  { key: 'db', label: 'Database index', type: 'number', placeholder: '0' },
  { key: 'tls', label: 'TLS (rediss)', type: 'checkbox' },
  { key: 'caFile', label: 'CA certificate (PEM file)', type: 'text', placeholder: '/etc/ssl/private-ca.pem', help: 'With TLS, when the server\'s certificate is signed by your own CA.', shownWith: 'tls' },
  { key: 'certFile', label: 'Client certificate (PEM file)', type: 'text', placeholder: '/etc/ssl/redis-client.pem', help: 'With TLS, for a server that asks clients for a certificate (tls-auth-clients).', shownWith: 'tls', more: true },
  { key: 'keyFile', label: 'Client key (PEM file)', type: 'text', placeholder: '/etc/ssl/redis-client.key', shownWith: 'certFile', more: true },
  { key: 'passphrase', label: 'Client key passphrase', type: 'password', help: 'When the key file is encrypted.', shownWith: 'keyFile', more: true },
  { key: 'servername', label: 'TLS server name (SNI)', type: 'text', placeholder: 'redis.example.com', help: 'The name the server\'s certificate carries, sent as SNI, when it is not the host dialled (an address, or an SSH tunnel).', shownWith: 'tls', more: true },
  { key: 'cluster', label: 'Redis Cluster', type: 'checkbox', help: 'Host and Port are one node; the others are found from it.', more: true },
  { key: 'sentinels', label: 'Sentinels', type: 'text', placeholder: 'sentinel1:26379, sentinel2:26379', help: 'Find the master through Sentinel; Host and Port above are then not used.', more: true },
  { key: 'sentinelMaster', label: 'Sentinel master name', type: 'text', placeholder: 'mymaster', shownWith: 'sentinels', more: true },
  { key: 'sentinelPassword', label: 'Sentinel password', type: 'password', help: 'When the Sentinels require a password of their own (requirepass in sentinel.conf); Password above is the master\'s.', shownWith: 'sentinels', more: true },
];

/** redis://[user[:password]@]host[:port][/db], rediss:// for TLS. */
export function parseRedisUrl(url: URL): FormValues {
  return {
    host: urlHost(url),
    port: url.port || '6379',
    username: decoded(url.username),
    password: decoded(url.password),
    db: url.pathname.replace(/^\//, '') || '0',
    tls: url.protocol === 'rediss:',
  };
}

export function redisProfile(id: string, values: FormValues): { profile: RedisProfile; errors: Record<string, string> } {
  const form = new FormReader(values);
  const username = form.optional('username');
  const caFile = portableField(form.optional('caFile'));
  const certFile = portableField(form.optional('certFile'));
  const keyFile = portableField(form.optional('keyFile'));
  const servername = form.optional('servername');
  const sentinels = form.hosts('sentinels');
  const sentinelMaster = form.optional('sentinelMaster');
  const tls = form.flag('tls');
  if (caFile && !tls) form.errors['caFile'] = 'A CA certificate is only used with TLS: tick TLS (rediss) or clear this.';
  if (certFile && !tls) form.errors['certFile'] = 'A client certificate is only used with TLS: tick TLS (rediss) or clear this.';
  if (certFile && !keyFile) form.errors['keyFile'] = 'A client certificate needs its key: give the key file.';
  if (keyFile && !certFile) form.errors['certFile'] = 'A client key needs its certificate: give the certificate file.';
  if (servername && !tls) form.errors['servername'] = 'A TLS server name is only used with TLS: tick TLS (rediss) or clear this.';
  else if (servername && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$|^[0-9A-Fa-f:.]+$/.test(servername)) form.errors['servername'] = `"${servername.slice(0, 60)}" is not a host name.`;
  if (sentinels.length && !sentinelMaster) form.errors['sentinelMaster'] = 'Give the master name the Sentinels monitor.';
  const cluster = form.flag('cluster');
  if (cluster && sentinels.length) form.errors['cluster'] = 'A connection goes through Sentinel or to a cluster, not both.';
  const profile: RedisProfile = {
    ...form.base(id),
    kind: 'redis',
    host: form.host('host'),
    port: form.port('port', 6379),
    db: form.integer('db', 0, 0, 65535, 'Database index'),
    tls,
    ...(username ? { username } : {}),
    ...(caFile ? { caFile } : {}),
    ...(certFile && keyFile ? { certFile, keyFile } : {}),
    ...(servername ? { servername } : {}),
    ...(sentinels.length && sentinelMaster ? { sentinels, sentinelMaster } : {}),
    ...(cluster ? { cluster } : {}),
  };
  if (cluster && profile.db !== 0) form.errors['db'] = 'A Redis Cluster has only database 0.';
  return { profile, errors: form.errors };
}

export function redisValues(profile: RedisProfile): FormValues {
  return {
    ...baseValues(profile), host: profile.host, port: String(profile.port), username: profile.username ?? '', db: String(profile.db), tls: profile.tls,
    caFile: profile.caFile ?? '', certFile: profile.certFile ?? '', keyFile: profile.keyFile ?? '', servername: profile.servername ?? '', sentinels: (profile.sentinels ?? []).join(', '), sentinelMaster: profile.sentinelMaster ?? '', cluster: profile.cluster ?? false,
  };
}
