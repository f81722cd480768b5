import * as l10n from '@vscode/l10n';
import { randomUUID } from 'node:crypto';
import { Profile, SshProfile } from '../drivers/types';
import { formFields, isProfile, profileFromValues, valuesFromProfile } from '../drivers/kinds';
import { SshConfigHost } from '../drivers/ssh/sshConfigImport';
import { isWorkspaceId } from './workspaceFile/workspaceIds';

/**
 * The files connections travel in: Switchboard's own export (profiles only, never secrets) and hosts read from an
 * SSH config. Plain data in and out, so it is tested without VS Code.
 */

export function newProfileId(): string {
  return randomUUID();
}

/** The name itself, or the name with the first free number after it. */
export function uniqueName(name: string, existing: readonly Profile[]): string {
  const taken = new Set(existing.map((p) => p.name));
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name} ${n}`)) return `${name} ${n}`;
}

const FORMAT = 'switchboard-profiles';

/** The export file: profiles only. Secrets stay in SecretStorage and are never written. */
export function exportDocument(profiles: readonly Profile[]): string {
  return `${JSON.stringify({ format: FORMAT, version: 1, profiles }, null, 2)}\n`;
}

/** Reads an export file; each profile is rebuilt through its form, so unknown fields (a pasted password) are dropped. */
export function importDocument(text: string): { profiles: Profile[]; skipped: string[] } {
  const parsed: unknown = JSON.parse(text);
  const list: unknown[] | undefined = typeof parsed === 'object' && parsed !== null && 'profiles' in parsed && Array.isArray(parsed.profiles) ? parsed.profiles : undefined;
  if (!list) throw new Error(l10n.t('This is not a Switchboard profiles file (no "profiles" list).'));
  const profiles: Profile[] = [];
  const skipped: string[] = [];
  for (const entry of list) {
    if (!isProfile(entry)) {
      skipped.push(typeof entry === 'object' && entry !== null && 'name' in entry ? String(entry.name) : 'an entry');
      continue;
    }
    const rebuilt = profileFromValues(entry.kind, entry.id, valuesFromProfile(entry));
    if (rebuilt.profile) profiles.push(rebuilt.profile);
    else skipped.push(entry.name);
  }
  // An id shaped like a workspace connection's is never taken as one of the user's own: such entries come in new.
  const renamed = new Map(profiles.filter((p) => isWorkspaceId(p.id)).map((p) => [p.id, newProfileId()]));
  return { profiles: renamed.size ? profiles.map((p) => relinked({ ...p, id: renamed.get(p.id) ?? p.id }, renamed)) : profiles, skipped };
}

/** Turns ~/.ssh/config hosts into SSH profiles, linking ProxyJump hops to each other. */
export function profilesFromSshConfig(hosts: readonly SshConfigHost[], existing: readonly Profile[]): SshProfile[] {
  const ids = new Map(hosts.map((h) => [h.alias, newProfileId()]));
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
        id: newProfileId(), name: uniqueName(hop, taken), kind: 'ssh', host: match?.[2] ?? hop, port: Number(match?.[3] ?? 22), username: match?.[1] ?? hosts[0]?.user ?? 'root',
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

/** An imported connection whose id is already taken here, with what replacing the existing one would change. */
export interface ImportCollision {
  readonly existing: Profile;
  readonly incoming: Profile;
  /** "Host: 10.0.0.5 → 10.0.0.9", one per field that differs; empty when the two are the same. */
  readonly changes: readonly string[];
}

/** Splits an import into connections that are new here and those that would replace one (by id). */
export function planImport(imported: readonly Profile[], existing: readonly Profile[]): { fresh: Profile[]; collisions: ImportCollision[] } {
  const byId = new Map(existing.map((p) => [p.id, p]));
  const fresh: Profile[] = [];
  const collisions: ImportCollision[] = [];
  for (const incoming of imported) {
    const current = byId.get(incoming.id);
    if (current) collisions.push({ existing: current, incoming, changes: profileChanges(current, incoming) });
    else fresh.push(incoming);
  }
  return { fresh, collisions };
}

/** The imported connections as new ones beside the existing: fresh ids, and names made unique. */
export function asCopies(incoming: readonly Profile[], existing: readonly Profile[]): Profile[] {
  const taken = [...existing];
  const ids = new Map(incoming.map((p) => [p.id, newProfileId()]));
  return incoming.map((profile) => {
    const copy = relinked({ ...profile, id: ids.get(profile.id) ?? newProfileId(), name: uniqueName(profile.name, taken) }, ids);
    taken.push(copy);
    return copy;
  });
}

/** Keeps SSH links inside a copied set pointing at the copies. */
function relinked(profile: Profile, ids: ReadonlyMap<string, string>): Profile {
  if (profile.kind === 'ssh') return profile.jumpHost && ids.has(profile.jumpHost) ? { ...profile, jumpHost: ids.get(profile.jumpHost)! } : profile;
  return profile.viaSsh && ids.has(profile.viaSsh) ? { ...profile, viaSsh: ids.get(profile.viaSsh)! } : profile;
}

/** What changes, field by field in the form's words, when `after` replaces `before`. */
export function profileChanges(before: Profile, after: Profile): string[] {
  if (before.kind !== after.kind) return [`Kind: ${before.kind} → ${after.kind}`];
  const old = valuesFromProfile(before);
  const now = valuesFromProfile(after);
  const shown = (value: string | boolean | undefined): string => (value === true ? 'yes' : value === false || value === undefined || value === '' ? '(none)' : value);
  return formFields(after.kind)
    .filter((field) => field.type !== 'password' && shown(old[field.key]) !== shown(now[field.key]))
    .map((field) => `${field.label}: ${shown(old[field.key])} → ${shown(now[field.key])}`);
}
