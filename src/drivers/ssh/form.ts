import { PortForward, SshProfile } from '../types';
import { portableField } from '../homePath';
import { forwardKey, parseForward } from './forwards';
import { baseValues, decoded, FieldSpec, FormReader, FormValues } from '../form';

export const sshFields: readonly FieldSpec[] = [
  { key: 'host', label: 'Host', type: 'text', required: true, placeholder: 'example.com' },
  { key: 'port', label: 'Port', type: 'number', placeholder: '22' },
  { key: 'username', label: 'User', type: 'text', required: true },
  { key: 'password', label: 'Password', type: 'password', help: 'Leave empty to log in with a key or the agent.' },
  { key: 'keyFile', label: 'Private key file', type: 'file', placeholder: '~/.ssh/id_ed25519' },
  { key: 'passphrase', label: 'Key passphrase', type: 'password', shownWith: 'keyFile' },
  { key: 'useAgent', label: 'Use ssh-agent', type: 'checkbox' },
  { key: 'jumpHost', label: 'Jump host (ProxyJump)', type: 'sshProfile' },
  { key: 'forwards', label: 'Port forwards', type: 'lines', placeholder: '8080:localhost:80\n15432:db.internal:5432', help: 'One per line: localPort:remoteHost:remotePort, started and stopped from the tree.', more: true },
  { key: 'snippets', label: 'Saved commands', type: 'lines', placeholder: 'df -h\njournalctl -u app --since -1h', help: 'One per line, offered by "Run Command on Host".', more: true },
];

/** user@host[:port], with or without ssh://. */
export function parseSshAddress(text: string): FormValues | undefined {
  const match = /^(?:ssh:\/\/)?([^@\s/]+)@(\[[^\]]+\]|[^\s:/]+)(?::(\d+))?\/?$/.exec(text.trim());
  if (!match) return undefined;
  return { username: decoded(match[1]!), host: match[2]!.replace(/^\[(.*)\]$/, '$1'), port: match[3] ?? '22' };
}

export function sshProfile(id: string, values: FormValues): { profile: SshProfile; errors: Record<string, string> } {
  const form = new FormReader(values);
  const keyFile = portableField(form.optional('keyFile'));
  const forwards: PortForward[] = [];
  for (const line of form.text('forwards').split('\n').map((l) => l.trim()).filter(Boolean)) {
    const forward = parseForward(line);
    if (!forward) form.errors['forwards'] = `"${line}" is not localPort:remoteHost:remotePort.`;
    else forwards.push(forward);
  }
  const snippets = form.text('snippets').split('\n').map((l) => l.trim()).filter(Boolean);
  const jumpHost = form.optional('jumpHost');
  if (jumpHost && jumpHost === id) form.errors['jumpHost'] = 'A host cannot be its own jump host.';
  const profile: SshProfile = {
    ...form.base(id),
    kind: 'ssh',
    host: form.host('host'),
    port: form.port('port', 22),
    username: form.text('username', true, 'User'),
    useAgent: form.flag('useAgent'),
    ...(keyFile ? { keyFile } : {}),
    ...(jumpHost ? { jumpHost } : {}),
    ...(forwards.length ? { forwards } : {}),
    ...(snippets.length ? { snippets } : {}),
  };
  return { profile, errors: form.errors };
}

export function sshValues(profile: SshProfile): FormValues {
  return {
    ...baseValues(profile), host: profile.host, port: String(profile.port), username: profile.username, keyFile: profile.keyFile ?? '',
    useAgent: profile.useAgent, jumpHost: profile.jumpHost ?? '',
    forwards: (profile.forwards ?? []).map(forwardKey).join('\n'), snippets: (profile.snippets ?? []).join('\n'),
  };
}
