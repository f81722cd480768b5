import { MemcachedProfile, MemcachedServer } from '../types';
import { KEY_MAPPINGS, KeyMapping } from './mappings';
import { baseValues, FieldSpec, FormReader, FormValues } from '../form';

export const memcachedFields: readonly FieldSpec[] = [
  { key: 'servers', label: 'Servers', type: 'lines', required: true, placeholder: '127.0.0.1:11211\n10.0.0.2:11211 2', help: 'One server per line: host:port, optionally followed by a weight.' },
  { key: 'mapping', label: 'Key to server mapping', type: 'select', options: KEY_MAPPINGS, help: 'Pick the mapping of the clients that write this pool, so keys are read from the server that holds them.', more: true },
  { key: 'username', label: 'User', type: 'text', help: 'Only for servers started with an auth file (-Y).' },
  { key: 'password', label: 'Password', type: 'password' },
];

/** "host:port[ weight]" entries separated by commas or new lines. */
export function parseServerList(text: string): { servers: MemcachedServer[]; error?: string } {
  const servers: MemcachedServer[] = [];
  for (const entry of text.split(/[,\n]/).map((e) => e.trim()).filter(Boolean)) {
    const match = /^(\[[^\]]+\]|[^\s:]+)(?::(\d+))?(?:\s+(\d+))?$/.exec(entry);
    if (!match) return { servers, error: `"${entry}" is not host:port or host:port weight.` };
    const port = match[2] ? Number(match[2]) : 11211;
    const weight = match[3] ? Number(match[3]) : 1;
    if (port < 1 || port > 65535) return { servers, error: `The port in "${entry}" must be from 1 to 65535.` };
    if (weight < 1) return { servers, error: `The weight in "${entry}" must be at least 1.` };
    servers.push({ host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port, weight });
  }
  return { servers };
}

export function formatServerList(servers: readonly MemcachedServer[]): string {
  return servers.map((s) => `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}${s.weight !== 1 ? ` ${s.weight}` : ''}`).join('\n');
}

export function memcachedProfile(id: string, values: FormValues): { profile: MemcachedProfile; errors: Record<string, string> } {
  const form = new FormReader(values);
  const list = parseServerList(form.text('servers', true, 'Servers'));
  if (list.error) form.errors['servers'] = list.error;
  else if (list.servers.length === 0 && !form.errors['servers']) form.errors['servers'] = 'List at least one server.';
  const username = form.optional('username');
  const mapping = form.optional('mapping');
  if (mapping && !KEY_MAPPINGS.some((m) => m.value === mapping)) form.errors['mapping'] = 'Pick one of the listed mappings.';
  const profile: MemcachedProfile = {
    ...form.base(id), kind: 'memcached', servers: list.servers, ...(username ? { username } : {}), ...(mapping && mapping !== 'memjs' ? { mapping: mapping as KeyMapping } : {}),
  };
  return { profile, errors: form.errors };
}

export function memcachedValues(profile: MemcachedProfile): FormValues {
  return { ...baseValues(profile), servers: formatServerList(profile.servers), username: profile.username ?? '', mapping: profile.mapping ?? 'memjs' };
}
