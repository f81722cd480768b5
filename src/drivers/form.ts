import { Kind, Profile } from './types';

/** The connection form of one kind: its fields, how a pasted URL fills them, how they become a profile. */
export type FieldType = 'text' | 'number' | 'checkbox' | 'password' | 'file' | 'lines' | 'sshProfile' | 'select';

export interface FieldSpec {
  readonly key: string;
  readonly label: string;
  readonly type: FieldType;
  readonly placeholder?: string;
  readonly required?: boolean;
  readonly help?: string;
  /** The choices of a 'select' field. */
  readonly options?: readonly { readonly value: string; readonly label: string }[];
}

export type FormValues = Record<string, string | boolean>;

export interface ParsedUrl {
  readonly kind: Kind;
  readonly values: FormValues;
}

export interface FormResult {
  readonly profile?: Profile;
  /** Field key -> what is wrong with it. */
  readonly errors: Record<string, string>;
}

/** Fields every kind has, before and after its own. */
export const COMMON_FIELDS: readonly FieldSpec[] = [
  { key: 'name', label: 'Name', type: 'text', required: true, placeholder: 'e.g. cache (staging)' },
  { key: 'group', label: 'Group', type: 'text', placeholder: 'optional, e.g. staging' },
];
export const TRAILING_FIELDS: readonly FieldSpec[] = [
  { key: 'viaSsh', label: 'Reach through SSH', type: 'sshProfile', help: 'Dial the server through this SSH connection (a tunnel).' },
  { key: 'readOnly', label: 'Read-only', type: 'checkbox', help: 'Refuse every write, enforced in the driver.' },
];

/** Collects field errors while reading form values. */
export class FormReader {
  readonly errors: Record<string, string> = {};

  constructor(private readonly values: FormValues) {}

  text(key: string, required = false, label = key): string {
    const value = this.values[key];
    const text = typeof value === 'string' ? value.trim() : '';
    if (required && !text) this.errors[key] = `${label} is required.`;
    return text;
  }

  optional(key: string): string | undefined {
    return this.text(key) || undefined;
  }

  flag(key: string): boolean {
    return this.values[key] === true || this.values[key] === 'true';
  }

  port(key: string, fallback: number): number {
    const text = this.text(key);
    if (!text) return fallback;
    const port = Number(text);
    if (!Number.isInteger(port) || port < 1 || port > 65535) this.errors[key] = 'Port must be a whole number from 1 to 65535.';
    return port;
  }

  integer(key: string, fallback: number, min: number, max: number, label: string): number {
    const text = this.text(key);
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) this.errors[key] = `${label} must be a whole number from ${min} to ${max}.`;
    return value;
  }

  /** A list of "host" or "host:port" entries separated by commas or spaces; each one is checked. */
  hosts(key: string): string[] {
    const entries = (this.optional(key) ?? '').split(/[\s,]+/).filter(Boolean);
    const bad = entries.find((h) => !/^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(:\d{1,5})?$/.test(h));
    if (bad) this.errors[key] = `"${bad}" is not host or host:port.`;
    return entries;
  }

  /** The fields every profile shares. */
  base(id: string): { id: string; name: string; readOnly: boolean; group?: string; viaSsh?: string } {
    const group = this.optional('group');
    const viaSsh = this.optional('viaSsh');
    return {
      id,
      name: this.text('name', true, 'Name'),
      readOnly: this.flag('readOnly'),
      ...(group ? { group } : {}),
      ...(viaSsh ? { viaSsh } : {}),
    };
  }
}

/** The values every profile shares, for filling a form from a profile. */
export function baseValues(profile: Profile): FormValues {
  return { name: profile.name, group: profile.group ?? '', readOnly: profile.readOnly, viaSsh: profile.viaSsh ?? '' };
}

/** "host", "host:port" or "[v6]:port" as an address, the port defaulting. */
export function hostPort(entry: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(entry.trim());
  return { host: match?.[1] ?? entry, port: match?.[2] ? Number(match[2]) : defaultPort };
}

/** Host and port as a URL carries them ("[::1]" unwrapped). */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
