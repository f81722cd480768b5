import * as vscode from 'vscode';
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Profile, SshProfile } from '../drivers/types';
import { profileFromValues, valuesFromProfile } from '../drivers/kinds';
import { readSshConfig, SshConfigHost } from '../drivers/ssh/sshConfigImport';
import { ProfileStore, isProfile } from '../storage/profileStore';
import { Log } from '../core/log';
import { uniqueName } from './profileCommands';

const FORMAT = 'switchboard-profiles';

/** The export file: profiles only. Secrets stay in SecretStorage and are never written. */
export function exportDocument(profiles: readonly Profile[]): string {
  return `${JSON.stringify({ format: FORMAT, version: 1, profiles }, null, 2)}\n`;
}

/** Reads an export file; each profile is rebuilt through its form, so unknown fields (a pasted password) are dropped. */
export function importDocument(text: string): { profiles: Profile[]; skipped: string[] } {
  const parsed: unknown = JSON.parse(text);
  const list = typeof parsed === 'object' && parsed !== null && 'profiles' in parsed && Array.isArray(parsed.profiles) ? (parsed.profiles as unknown[]) : undefined;
  if (!list) throw new Error('This is not a Switchboard profiles file (no "profiles" list).');
  const profiles: Profile[] = [];
  const skipped: string[] = [];
  for (const entry of list) {
    if (!isProfile(entry)) {
      skipped.push(String((entry as { name?: unknown } | null)?.name ?? 'an entry'));
      continue;
    }
    const rebuilt = profileFromValues(entry.kind, entry.id, valuesFromProfile(entry));
    if (rebuilt.profile) profiles.push(rebuilt.profile);
    else skipped.push(entry.name);
  }
  return { profiles, skipped };
}

/** Turns ~/.ssh/config hosts into SSH profiles, linking ProxyJump hops to each other. */
export function profilesFromSshConfig(hosts: readonly SshConfigHost[], existing: readonly Profile[]): SshProfile[] {
  const ids = new Map(hosts.map((h) => [h.alias, ProfileStore.newId()]));
  const created: SshProfile[] = [];
  const hopProfiles = new Map<string, SshProfile>();
  const taken = [...existing];
  const hopId = (hop: string, previous: string | undefined): string => {
    const known = ids.get(hop);
    if (known) return known;
    let profile = hopProfiles.get(hop);
    if (!profile) {
      const match = /^(?:([^@]+)@)?([^:]+)(?::(\d+))?$/.exec(hop);
      profile = {
        id: ProfileStore.newId(), name: uniqueName(hop, taken), kind: 'ssh', host: match?.[2] ?? hop, port: Number(match?.[3] ?? 22), username: match?.[1] ?? hosts[0]?.user ?? 'root',
        useAgent: Boolean(process.env['SSH_AUTH_SOCK']), readOnly: false, group: 'ssh config', ...(previous ? { jumpHost: previous } : {}),
      };
      hopProfiles.set(hop, profile);
      taken.push(profile);
    }
    return profile.id;
  };
  for (const host of hosts) {
    let previous: string | undefined;
    for (const hop of host.proxyJump) previous = hopId(hop, previous);
    const profile: SshProfile = {
      id: ids.get(host.alias)!, name: uniqueName(host.alias, taken), kind: 'ssh', host: host.host, port: host.port, username: host.user,
      useAgent: Boolean(process.env['SSH_AUTH_SOCK']), readOnly: false, group: 'ssh config',
      ...(host.identityFile ? { keyFile: host.identityFile } : {}), ...(previous ? { jumpHost: previous } : {}),
    };
    taken.push(profile);
    created.push(profile);
  }
  return [...hopProfiles.values(), ...created];
}

export function registerTransferCommands(profiles: ProfileStore, log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.exportConnections', async () => {
      const all = profiles.all();
      if (all.length === 0) return void vscode.window.showInformationMessage('There are no connections to export.');
      const target = await vscode.window.showSaveDialog({ filters: { JSON: ['json'] }, defaultUri: vscode.Uri.file(join(homedir(), 'switchboard-connections.json')), saveLabel: 'Export' });
      if (!target) return;
      await writeFile(target.fsPath, exportDocument(all));
      void vscode.window.showInformationMessage(`Exported ${all.length} connection${all.length === 1 ? '' : 's'} to ${target.fsPath}. Passwords are not included.`);
    }),
    vscode.commands.registerCommand('switchboard.importConnections', async () => {
      const [source] = (await vscode.window.showOpenDialog({ filters: { JSON: ['json'] }, canSelectMany: false, openLabel: 'Import' })) ?? [];
      if (!source) return;
      try {
        const { profiles: imported, skipped } = importDocument(await readFile(source.fsPath, 'utf8'));
        await profiles.saveMany(imported);
        void vscode.window.showInformationMessage(
          `Imported ${imported.length} connection${imported.length === 1 ? '' : 's'}${skipped.length ? `; skipped ${skipped.length} that were not valid (${skipped.join(', ')})` : ''}. Enter their passwords by editing them.`,
        );
      } catch (error) {
        log.report(`Importing connections from ${source.fsPath}`, error);
      }
    }),
    vscode.commands.registerCommand('switchboard.importSshConfig', async () => {
      const configured = vscode.workspace.getConfiguration('switchboard').get<string>('ssh.configFile', '');
      const path = configured || join(homedir(), '.ssh', 'config');
      let hosts: SshConfigHost[];
      try {
        hosts = readSshConfig(await readFile(path, 'utf8'));
      } catch (error) {
        return log.report(`Reading ${path}`, error);
      }
      if (hosts.length === 0) return void vscode.window.showInformationMessage(`${path} names no concrete hosts to import.`);
      const picked = await vscode.window.showQuickPick(
        hosts.map((host) => ({ label: host.alias, description: `${host.user}@${host.host}:${host.port}`, detail: host.proxyJump.length ? `via ${host.proxyJump.join(' → ')}` : 'direct', picked: true, host })),
        { canPickMany: true, placeHolder: `Import which hosts from ${path}?` },
      );
      if (!picked || picked.length === 0) return;
      try {
        const created = profilesFromSshConfig(picked.map((p) => p.host), profiles.all());
        await profiles.saveMany(created);
        void vscode.window.showInformationMessage(`Imported ${created.length} SSH host${created.length === 1 ? '' : 's'} into the group "ssh config".`);
      } catch (error) {
        log.report('Importing SSH hosts', error);
      }
    }),
  ];
}
