import { RabbitMqProfile } from '../types';
import { portableField } from '../homePath';
import { baseValues, decoded, FieldSpec, FormReader, FormValues, urlHost } from '../form';
import { checkManagementUrl } from './managementUrl';

export const rabbitMqFields: readonly FieldSpec[] = [
  { key: 'host', label: 'Host', type: 'text', required: true, placeholder: '127.0.0.1' },
  { key: 'port', label: 'Port', type: 'number', placeholder: '5672' },
  { key: 'username', label: 'User', type: 'text', required: true, placeholder: 'guest' },
  { key: 'password', label: 'Password', type: 'password' },
  { key: 'vhost', label: 'Virtual host', type: 'text', placeholder: '/' },
  { key: 'tls', label: 'TLS (amqps)', type: 'checkbox' },
  { key: 'caFile', label: 'CA certificate (PEM file)', type: 'text', placeholder: '/etc/ssl/private-ca.pem', help: 'With TLS, when the broker\'s certificate is signed by your own CA.', shownWith: 'tls' },
  { key: 'otherHosts', label: 'Other cluster nodes', type: 'text', placeholder: 'node2:5672, node3', help: 'Tried in order when the host above does not answer.', more: true },
  { key: 'managementUrl', label: 'Management API URL', type: 'text', placeholder: 'http://127.0.0.1:15672', help: 'Lists vhosts, exchanges, queues and bindings. Without it, only named queues and exchanges.' },
];

/** amqp://user:password@host:port/vhost ("/" is %2F; an empty path is the default vhost "/"). */
export function parseAmqpUrl(url: URL): FormValues {
  const tls = url.protocol === 'amqps:';
  const path = url.pathname.replace(/^\//, '');
  return {
    host: urlHost(url),
    port: url.port || (tls ? '5671' : '5672'),
    username: decoded(url.username),
    password: decoded(url.password),
    vhost: path ? decoded(path) : '/',
    tls,
  };
}

export function rabbitMqProfile(id: string, values: FormValues): { profile: RabbitMqProfile; errors: Record<string, string> } {
  const form = new FormReader(values);
  const tls = form.flag('tls');
  const managementUrl = form.optional('managementUrl');
  const caFile = portableField(form.optional('caFile'));
  if (caFile && !tls) form.errors['caFile'] = 'A CA certificate is only used with TLS: tick TLS (amqps) or clear this.';
  const otherHosts = form.hosts('otherHosts');
  const checked = managementUrl === undefined ? undefined : checkManagementUrl(managementUrl);
  if (checked && !checked.ok) {
    form.errors['managementUrl'] = checked.problem === 'credentials'
      ? 'Leave the user name and password out of the URL: the management API signs in with this connection\'s user and password.'
      : 'Use an http:// or https:// URL, e.g. http://127.0.0.1:15672.';
  }
  const profile: RabbitMqProfile = {
    ...form.base(id),
    kind: 'rabbitmq',
    host: form.host('host'),
    port: form.port('port', tls ? 5671 : 5672),
    username: form.text('username', true, 'User'),
    vhost: form.text('vhost') || '/',
    tls,
    ...(managementUrl ? { managementUrl } : {}),
    ...(otherHosts.length ? { otherHosts } : {}),
    ...(caFile ? { caFile } : {}),
  };
  return { profile, errors: form.errors };
}

export function rabbitMqValues(profile: RabbitMqProfile): FormValues {
  return {
    ...baseValues(profile), host: profile.host, port: String(profile.port), username: profile.username, vhost: profile.vhost, tls: profile.tls,
    managementUrl: profile.managementUrl ?? '', otherHosts: (profile.otherHosts ?? []).join(', '), caFile: profile.caFile ?? '',
  };
}
