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
  /** Shown only while another field is ticked (a checkbox) or filled in: a CA file only with TLS, say. */
  readonly shownWith?: string;
  /** Under "More options", folded away until one of them holds a value. */
  readonly more?: boolean;
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

  /**
   * A server's host: a DNS name (labels of letters, digits, `-` and `_`), an IPv4 address or an IPv6 one (brackets
   * allowed). A URL, a `host:port` or anything with spaces is refused here, saying what to do, instead of at DNS.
   */
  host(key: string, label = 'Host'): string {
    const text = this.text(key, true, label);
    if (!text) return text;
    const bare = text.replace(/^\[(.*)\]$/, '$1');
    if (isIPv6(bare)) return bare;
    const problem = /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
      ? `${label} is a server name or address, not a URL: paste the URL into the Address box above to fill every field.`
      : /\s/.test(text)
        ? `${label} cannot contain spaces.`
        : /^[^:]+:\d*$/.test(text)
          ? `${label} is the name or address alone: put the port in the Port field.`
          : hostName(text)
            ? undefined
            : `"${text}" is not a host name or an IP address (letters, digits, "-" and "_", in labels separated by dots).`;
    if (problem) this.errors[key] = problem;
    return text;
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

/** An IPv6 address, as a URL's host in brackets takes it (IPv4 addresses read as host names of digits). */
function isIPv6(text: string): boolean {
  if (!text.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(text)) return false;
  try {
    return new URL(`http://[${text}]/`).hostname !== '';
  } catch {
    return false;
  }
}

/** A DNS name as resolvers take it: at most 253 characters, labels of 1 to 63 that neither start nor end with "-". */
function hostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label));
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
