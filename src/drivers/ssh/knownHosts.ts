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

/**
 * Checks a presented host key against known_hosts text, the way OpenSSH does: a matching line with the same key
 * trusts it; a line for the same host and key type with another key means it changed; @revoked refuses it.
 * @cert-authority lines are ignored (certificates are not accepted).
 */
export function checkKnownHosts(text: string, host: string, port: number, key: Buffer): HostKeyStatus {
  const candidate = hostField(host, port);
  const type = keyType(key);
  const encoded = key.toString('base64');
  let status: HostKeyStatus = 'unknown';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [patterns, lineType, lineKey] = fields;
    if (!patterns || !lineType || !lineKey || marker === '@cert-authority') continue;
    if (!hostsMatch(patterns, candidate)) continue;
    if (marker === '@revoked') {
      if (lineKey === encoded) return 'revoked';
      continue;
    }
    if (lineKey === encoded) status = 'trusted';
    else if (lineType === type && status !== 'trusted') status = 'changed';
  }
  return status;
}

/** A known_hosts line for this host and key. */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  return `${hostField(host, port)} ${keyType(key)} ${key.toString('base64')}`;
}
