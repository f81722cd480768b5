import { createHash, createHmac } from 'node:crypto';

export type HostKeyStatus = 'trusted' | 'changed' | 'revoked' | 'unknown';

/** "SHA256:..." as `ssh-keygen -l` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside an SSH wire-format public key blob ("ssh-ed25519", ...). */
export function keyType(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('latin1');
}

/** The host field as known_hosts writes it: "host" on port 22, "[host]:port" otherwise. */
export function hostField(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function matchesHashed(entry: string, candidate: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(candidate).digest('base64') === hash;
}

/** Does a comma-separated host pattern list (plain, wildcard, negated or hashed) name this host? */
function hostsMatch(patterns: string, candidate: string): boolean {
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('|1|')) {
      if (matchesHashed(pattern, candidate)) matched = true;
    } else if (pattern.startsWith('!')) {
      if (wildcardToRegExp(pattern.slice(1)).test(candidate)) return false;
    } else if (wildcardToRegExp(pattern).test(candidate)) {
      matched = true;
    }
  }
  return matched;
}

/** A key known_hosts holds for a host. */
export interface KnownKey {
  readonly type: string;
  readonly key: Buffer;
}

interface HostLines {
  /** With the base64 text as written, which is what @revoked lines are compared by. */
  readonly keys: (KnownKey & { readonly text: string })[];
  readonly revoked: string[];
}

/** The lines of known_hosts text that name this host: its keys, and the keys marked @revoked for it. */
function linesFor(text: string, host: string, port: number): HostLines {
  const candidate = hostField(host, port);
  const keys: HostLines['keys'] = [];
  const revoked: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [patterns, lineType, lineKey] = fields;
    if (!patterns || !lineType || !lineKey || marker === '@cert-authority') continue;
    if (!hostsMatch(patterns, candidate)) continue;
    if (marker === '@revoked') revoked.push(lineKey);
    else keys.push({ type: lineType, key: Buffer.from(lineKey, 'base64'), text: lineKey });
  }
  return { keys, revoked };
}

/** The keys known_hosts text holds for a host (revoked ones left out), of every type. */
export function knownKeysFor(text: string, host: string, port: number): KnownKey[] {
  const { keys, revoked } = linesFor(text, host, port);
  return keys.filter((known) => !revoked.includes(known.text)).map(({ type, key }) => ({ type, key }));
}

/**
 * Checks a presented host key against known_hosts text: a matching line with the same key trusts it; @revoked
 * refuses it; a host known by any other key, of its type or of another, has changed: a server that suddenly shows a
 * key of a type it never showed could be someone else, as OpenSSH's own warning says. @cert-authority lines are
 * ignored (certificates are not accepted).
 */
export function checkKnownHosts(text: string, host: string, port: number, key: Buffer): HostKeyStatus {
  const encoded = key.toString('base64');
  const { keys, revoked } = linesFor(text, host, port);
  if (revoked.includes(encoded)) return 'revoked';
  if (keys.some((known) => known.key.equals(key))) return 'trusted';
  return keys.length > 0 ? 'changed' : 'unknown';
}

/** A known_hosts line for this host and key. */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  return `${hostField(host, port)} ${keyType(key)} ${key.toString('base64')}`;
}
