import { SshProfile } from '../types';
import { baseValues, decoded, FieldSpec, FormReader, FormValues } from '../form';

export const sshFields: readonly FieldSpec[] = [
  { key: 'host', label: 'Host', type: 'text', required: true, placeholder: 'example.com' },
  { key: 'port', label: 'Port', type: 'number', placeholder: '22' },
  { key: 'username', label: 'User', type: 'text', required: true },
  { key: 'password', label: 'Password', type: 'password', help: 'Leave empty to log in with a key or the agent.' },
  { key: 'keyFile', label: 'Private key file', type: 'file', placeholder: '~/.ssh/id_ed25519' },
  { key: 'passphrase', label: 'Key passphrase', type: 'password' },
  { key: 'useAgent', label: 'Use ssh-agent', type: 'checkbox' },
  { key: 'jumpHost', label: 'Jump host (ProxyJump)', type: 'sshProfile' },
];

/** user@host[:port], with or without ssh://. */
export function parseSshAddress(text: string): FormValues | undefined {
  const match = /^(?:ssh:\/\/)?([^@\s/]+)@(\[[^\]]+\]|[^\s:/]+)(?::(\d+))?\/?$/.exec(text.trim());
  if (!match) return undefined;
  return { username: decoded(match[1]!), host: match[2]!.replace(/^\[(.*)\]$/, '$1'), port: match[3] ?? '22' };
}

export function sshProfile(id: string, values: FormValues): { profile: SshProfile; errors: Record<string, string> } {
  const form = new FormReader(values);
  const keyFile = form.optional('keyFile');
  const jumpHost = form.optional('jumpHost');
  if (jumpHost && jumpHost === id) form.errors['jumpHost'] = 'A host cannot be its own jump host.';
  const profile: SshProfile = {
    ...form.base(id),
    kind: 'ssh',
    host: form.text('host', true, 'Host'),
    port: form.port('port', 22),
    username: form.text('username', true, 'User'),
    useAgent: form.flag('useAgent'),
    ...(keyFile ? { keyFile } : {}),
    ...(jumpHost ? { jumpHost } : {}),
  };
  return { profile, errors: form.errors };
}

export function sshValues(profile: SshProfile): FormValues {
  return {
    ...baseValues(profile), host: profile.host, port: String(profile.port), username: profile.username, keyFile: profile.keyFile ?? '',
    useAgent: profile.useAgent, jumpHost: profile.jumpHost ?? '',
  };
}
