import type { RedisClient } from './client';
import { BrowseNode } from '../types';
import type { RedisPlace, RedisServerView } from '../places';

/** INFO as sections of name/value pairs. */
export function parseInfo(info: string): Map<string, [string, string][]> {
  const sections = new Map<string, [string, string][]>();
  let current = 'General';
  for (const line of info.split(/\r?\n/)) {
    const header = /^# (.+)$/.exec(line);
    if (header) {
      current = header[1]!;
      sections.set(current, []);
    } else if (line.includes(':')) {
      const at = line.indexOf(':');
      sections.get(current)?.push([line.slice(0, at), line.slice(at + 1)]);
    }
  }
  return sections;
}

const leaf = (view: RedisServerView, name: string, label: string, description: string, icon = 'symbol-field', section?: string): BrowseNode => ({
  place: { kind: 'redis', of: 'stat', view, name, ...(section === undefined ? {} : { section }) }, label, type: 'stat', icon, expandable: false, description, tooltip: `${label}: ${description}` });

/** The server's own views below a Redis connection: INFO sections, SLOWLOG, CLIENT LIST, MEMORY STATS. */
export async function serverViewChildren(client: RedisClient, place: RedisPlace): Promise<BrowseNode[]> {
  if (place.of === 'server') {
    return [
      { place: { kind: 'redis', of: 'serverView', view: 'info' }, label: 'Info', type: 'serverView', icon: 'info', expandable: true },
      { place: { kind: 'redis', of: 'serverView', view: 'slowlog' }, label: 'Slow log', type: 'serverView', icon: 'watch', expandable: true },
      { place: { kind: 'redis', of: 'serverView', view: 'clients' }, label: 'Clients', type: 'serverView', icon: 'person', expandable: true },
      { place: { kind: 'redis', of: 'serverView', view: 'memory' }, label: 'Memory stats', type: 'serverView', icon: 'pie-chart', expandable: true },
    ];
  }
  if (place.of === 'infoSection') {
    const section = place.section;
    const sections = parseInfo(await client.info('everything').catch(() => client.info()));
    return (sections.get(section) ?? []).map(([name, value]) => leaf('info', name, name, value, undefined, section));
  }
  if (place.of !== 'serverView') return [];
  const view = place.view;
  if (view === 'info') {
    const sections = parseInfo(await client.info('everything').catch(() => client.info()));
    return [...sections.keys()].map((name): BrowseNode => ({ place: { kind: 'redis', of: 'infoSection', section: name }, label: name, type: 'infoSection', icon: 'list-tree', expandable: true, description: `${sections.get(name)?.length ?? 0}` }));
  }
  if (view === 'slowlog') {
    const entries: unknown = await client.call('SLOWLOG', 'GET', '128');
    const list = Array.isArray(entries) ? entries : [];
    if (list.length === 0) return [leaf('slowlog', 'empty', 'No slow commands logged', '', 'check')];
    return list.map((entry: unknown) => {
      const [id, time, micros, args, client] = Array.isArray(entry) ? entry : [];
      const command = Array.isArray(args) ? args.map(String).join(' ') : '';
      return leaf('slowlog', String(id), command.slice(0, 120), `${Number(micros) / 1000} ms at ${new Date(Number(time) * 1000).toISOString().slice(0, 19)}${client ? ` from ${String(client)}` : ''}`, 'watch');
    });
  }
  if (view === 'clients') {
    const text = String(await client.call('CLIENT', 'LIST'));
    return text.split('\n').filter(Boolean).map((line) => {
      const fields = new Map(line.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]));
      return leaf('clients', fields.get('id') ?? line, `${fields.get('addr') ?? '?'}${fields.get('name') ? ` (${fields.get('name')})` : ''}`, `db${fields.get('db') ?? '?'} · ${fields.get('cmd') ?? ''} · idle ${fields.get('idle') ?? '?'} s`, 'person');
    });
  }
  if (view === 'memory') {
    const stats: unknown = await client.call('MEMORY', 'STATS');
    const flat = Array.isArray(stats) ? stats : [];
    const out: BrowseNode[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const value = flat[i + 1];
      if (!Array.isArray(value)) out.push(leaf('memory', String(flat[i]), String(flat[i]), String(value)));
    }
    return out;
  }
  return [];
}
