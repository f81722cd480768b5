import { checkKnownHosts, hostField, keyType } from '../../drivers/ssh/knownHosts';

/** An SSH host key pinned in a workspace connection file: the one key the host may present. */
export interface PinnedHostKey {
  readonly type: string;
  readonly key: Buffer;
}

const WORDS = {
  shape: 'hostKey is a known_hosts line ("host ssh-ed25519 AAAA…") or its key part ("ssh-ed25519 AAAA…").',
  marker: 'hostKey pins one key: @cert-authority and @revoked lines are not accepted here.',
  base64: 'The key in hostKey is not base64.',
  type: (stated: string, inside: string) => `hostKey says ${stated}, but the key itself is ${inside || 'not an SSH public key'}.`,
  otherHost: (hosts: string, here: string) => `hostKey is for ${hosts}, not for ${here} (the connection's host and port).`,
};

/**
 * Reads the hostKey of an SSH entry: "[hosts] type base64 [comment]", as ssh-keyscan or known_hosts prints it. With a
 * host field, it must name this connection's host and port (plain, wildcard or hashed, as known_hosts matches).
 */
export function parseHostKeyPin(line: string, host: string, port: number): { pin: PinnedHostKey } | { error: string } {
  const fields = line.trim().split(/\s+/);
  if (fields[0]?.startsWith('@')) return { error: WORDS.marker };
  const typed = /^(ssh-|ecdsa-|sk-)/.test(fields[0] ?? '');
  const [hosts, type, encoded] = typed ? [undefined, fields[0], fields[1]] : [fields[0], fields[1], fields[2]];
  if (!type || !encoded) return { error: WORDS.shape };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return { error: WORDS.base64 };
  const key = Buffer.from(encoded, 'base64');
  const inside = keyType(key);
  if (inside !== type || key.toString('base64') !== encoded) return { error: WORDS.type(type, inside === 'unknown' ? '' : inside) };
  if (hosts && checkKnownHosts(`${hosts} ${type} ${encoded}`, host, port, key) !== 'trusted') return { error: WORDS.otherHost(hosts, hostField(host, port)) };
  return { pin: { type, key } };
}
