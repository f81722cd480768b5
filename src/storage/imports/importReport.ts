import * as l10n from '@vscode/l10n';
import { FormValues } from '../../drivers/form';
import { profileFromValues } from '../../drivers/kinds';
import { Kind, Profile } from '../../drivers/types';

/**
 * What reading another tool's connection file gave: the profiles (each rebuilt through its kind's form, so only what
 * the form accepts is kept), the entries that could not be imported and why, the secrets the file held that were left
 * out, and the settings Switchboard has no place for. Plain data, worded for the person importing.
 */
export interface ImportReport {
  readonly tool: string;
  readonly profiles: Profile[];
  readonly skipped: ImportNote[];
  /** "password", "SSH password", ...: present in the file, not imported. */
  readonly secretsLeftOut: ImportNote[];
  readonly notes: ImportNote[];
}

export interface ImportNote {
  /** The connection's name in the other tool. */
  readonly name: string;
  readonly text: string;
}

/** The secrets a file held that are left out, as the report names them. */
export const SECRET_NAMES = {
  password: () => l10n.t('password'),
  keyPassphrase: () => l10n.t('key passphrase'),
  sshPassword: () => l10n.t('SSH password'),
  sshPassphrase: () => l10n.t('SSH key passphrase'),
};

const WORDS = {
  notAnObject: () => l10n.t('it is not a connection entry'),
  invalid: (fields: string) => l10n.t('not valid here: {0}', fields),
  badTunnel: (fields: string) => l10n.t('its SSH tunnel is not valid here: {0}', fields),
};

export interface SshCarrier {
  readonly host: string;
  readonly port: string | number;
  readonly username: string;
  readonly keyFile?: string;
  readonly useAgent: boolean;
  /** The id of the SSH profile to hop through first. */
  readonly jumpHost?: string;
  readonly group?: string;
}

/** Collects the profiles and findings of one import while entries are mapped. */
export class ImportCollector {
  readonly profiles: Profile[] = [];
  readonly skipped: ImportNote[] = [];
  readonly secretsLeftOut: ImportNote[] = [];
  readonly notes: ImportNote[] = [];
  private readonly ids = new Set<string>();
  private readonly carriers = new Set<string>();

  constructor(readonly tool: string, private readonly idPrefix: string) {}

  /** A stable id from the other tool's own id, so importing the same file again finds the connections it made. */
  idFor(sourceId: string): string {
    const base = `${this.idPrefix}-${sourceId.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 80) || 'entry'}`;
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}-${n}`;
    this.ids.add(id);
    return id;
  }

  /** Builds a profile through its kind's form; an entry the form rejects is skipped with the form's reasons. */
  add(kind: Kind, id: string, name: string, values: FormValues): Profile | undefined {
    const result = profileFromValues(kind, id, { name, ...values });
    if (!result.profile) {
      this.skip(name, WORDS.invalid(Object.values(result.errors).join(' ')));
      return undefined;
    }
    this.profiles.push(result.profile);
    return result.profile;
  }

  skip(name: string, reason: string = WORDS.notAnObject()): void {
    this.skipped.push({ name, text: reason });
  }

  /** Records a secret the file carried (non-empty), which is not imported. */
  leftOut(name: string, secret: string, value: unknown): void {
    if (typeof value === 'string' ? value !== '' : value !== undefined && value !== null) this.secretsLeftOut.push({ name, text: secret });
  }

  /**
   * The SSH profile an entry is tunnelled through: one per user@host:port (and key) in this import, shared by every
   * entry that uses it. Undefined, with the entry skipped, when the form rejects the SSH settings.
   */
  carrier(entryName: string, ssh: SshCarrier): string | undefined {
    const same = this.profiles.find((p) => p.kind === 'ssh' && p.host === ssh.host && p.port === (Number(ssh.port) || 22) && p.username === ssh.username && (p.keyFile ?? '') === (ssh.keyFile ?? '') && p.jumpHost === ssh.jumpHost);
    if (same) return same.id;
    const id = this.idFor(`ssh-${ssh.username}@${ssh.host}:${ssh.port}`);
    const values: FormValues = {
      host: ssh.host, port: String(ssh.port), username: ssh.username, keyFile: ssh.keyFile ?? '', useAgent: ssh.useAgent, jumpHost: ssh.jumpHost ?? '', group: ssh.group ?? '',
    };
    const result = profileFromValues('ssh', id, { name: `${ssh.username}@${ssh.host}`, ...values });
    if (!result.profile) {
      this.skip(entryName, WORDS.badTunnel(Object.values(result.errors).join(' ')));
      return undefined;
    }
    this.profiles.push(result.profile);
    this.carriers.add(id);
    return id;
  }

  note(name: string, text: string): void {
    this.notes.push({ name, text });
  }

  report(): ImportReport {
    // A tunnel made for an entry that was then skipped carries nothing (nor do the hops only it went through).
    let profiles = this.profiles;
    for (;;) {
      const used = new Set(profiles.map((p) => (p.kind === 'ssh' ? p.jumpHost : p.viaSsh)));
      const kept = profiles.filter((p) => !this.carriers.has(p.id) || used.has(p.id));
      if (kept.length === profiles.length) break;
      profiles = kept;
    }
    return { tool: this.tool, profiles, skipped: this.skipped, secretsLeftOut: this.secretsLeftOut, notes: this.notes };
  }
}

const DETAILS = {
  skipped: 'Not imported:',
  secrets: 'Left out (never imported; enter them in Switchboard):',
  notes: 'Worth knowing:',
};

/** The findings of an import, one line each under a heading, for the log; empty when there is nothing to say. */
export function importReportText(report: ImportReport): string {
  const section = (title: string, list: readonly ImportNote[]): string[] => (list.length ? [title, ...list.map((n) => `  ${n.name}: ${n.text}`)] : []);
  return [...section(DETAILS.skipped, report.skipped), ...section(DETAILS.secrets, report.secretsLeftOut), ...section(DETAILS.notes, report.notes)].join('\n');
}

/** Reading a JSON object's fields without trusting their types. */
export type Json = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

export function object(value: unknown): Json {
  return isObject(value) ? value : {};
}

export function flag(value: unknown): boolean {
  return value === true || value === 'true';
}
