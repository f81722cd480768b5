import { addressOf } from '../drivers/kinds';
import { Kind, KINDS, Profile } from '../drivers/types';

/**
 * Where a connection's password goes: the server (or servers), the user it logs in as, whether it travels over TLS,
 * and the SSH connection it is carried through. A stored secret is bound to the endpoint it was entered for, so that
 * a connection edited or imported to point elsewhere does not send it there unasked. A key file's passphrase is only
 * used locally and is not part of it.
 */
export interface SecretEndpoint {
  readonly kind: Kind;
  readonly user: string;
  readonly address: string;
  readonly tls: boolean;
  /** The SSH hosts it goes through, nearest first ("user@host:port"), so that an edited carrier counts too. */
  readonly via?: string;
  /** RabbitMQ's management API receives the password too. */
  readonly managementUrl?: string;
}

/** The endpoint of `profile`; `lookup` finds the SSH profiles it is carried through. */
export function secretEndpoint(profile: Profile, lookup: (profileId: string) => Profile | undefined): SecretEndpoint {
  const via = carriers(profile, lookup);
  const base = { kind: profile.kind, ...(via ? { via } : {}) };
  switch (profile.kind) {
    case 'redis': {
      const address = profile.sentinels?.length ? `Sentinels ${profile.sentinels.join(', ')} (master ${profile.sentinelMaster ?? ''})` : addressOf(profile);
      return { ...base, user: profile.username ?? '', address: `${address}${tlsName(profile)}`, tls: profile.tls };
    }
    case 'memcached':
      return { ...base, user: profile.username ?? '', address: addressOf(profile), tls: false };
    case 'rabbitmq':
      return {
        ...base, user: profile.username, address: [addressOf(profile), ...(profile.otherHosts ?? [])].join(', '), tls: profile.tls,
        ...(profile.managementUrl ? { managementUrl: withoutCredentials(profile.managementUrl) } : {}),
      };
    case 'mysql':
      return { ...base, user: profile.username, address: addressOf(profile), tls: profile.tls };
    case 'ssh':
      return { ...base, user: profile.username, address: addressOf(profile), tls: true };
  }
}

/** The passwords bound to an endpoint: the server's, and the Sentinels' of a Redis profile. */
export type BoundSecret = 'password' | 'sentinelPassword';

/** With a TLS server name the certificate checked is another one's, so the name is part of where a password goes. */
function tlsName(profile: { readonly tls: boolean; readonly servername?: string }): string {
  return profile.tls && profile.servername ? ` (TLS name ${profile.servername})` : '';
}

/**
 * Where a Redis profile's Sentinel password goes: the Sentinels themselves (not the master they name, nor its user),
 * over TLS or not, through the same SSH carriers. A profile without Sentinels sends it nowhere.
 */
export function sentinelEndpoint(profile: Profile, lookup: (profileId: string) => Profile | undefined): SecretEndpoint {
  const via = carriers(profile, lookup);
  const sentinels = profile.kind === 'redis' ? profile.sentinels ?? [] : [];
  const tls = profile.kind === 'redis' && profile.tls;
  const address = sentinels.length && profile.kind === 'redis' ? `Sentinels ${sentinels.join(', ')}${tlsName(profile)}` : 'no Sentinels';
  return { kind: profile.kind, user: '', address, tls, ...(via ? { via } : {}) };
}

/** The endpoint a password of `profile` goes to. */
export function endpointOf(name: BoundSecret, profile: Profile, lookup: (profileId: string) => Profile | undefined): SecretEndpoint {
  return name === 'password' ? secretEndpoint(profile, lookup) : sentinelEndpoint(profile, lookup);
}

/** The URL without a user or password in it: credentials there are not part of where the password goes. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

function carriers(profile: Profile, lookup: (profileId: string) => Profile | undefined): string | undefined {
  const hops: string[] = [];
  const seen = new Set([profile.id]);
  let next = profile.kind === 'ssh' ? profile.jumpHost : profile.viaSsh;
  while (next && !seen.has(next)) {
    seen.add(next);
    const carrier = lookup(next);
    if (!carrier || carrier.kind !== 'ssh') {
      hops.push(`a missing SSH connection (${next})`);
      break;
    }
    hops.push(`${carrier.username}@${addressOf(carrier)}`);
    next = carrier.jumpHost;
  }
  return hops.length ? hops.join(' > ') : undefined;
}

export function sameEndpoint(a: SecretEndpoint, b: SecretEndpoint): boolean {
  return a.kind === b.kind && a.user === b.user && a.address === b.address && a.tls === b.tls && a.via === b.via && a.managementUrl === b.managementUrl;
}

/** "alice@10.0.0.5:6379, without TLS, through SSH bob@bastion:22", for a confirmation that compares two endpoints. */
export function describeEndpoint(endpoint: SecretEndpoint): string {
  const parts = [`${endpoint.user ? `${endpoint.user}@` : ''}${endpoint.address}`];
  if (endpoint.kind !== 'ssh' && endpoint.kind !== 'memcached') parts.push(endpoint.tls ? 'over TLS' : 'without TLS');
  if (endpoint.managementUrl) parts.push(`management API ${endpoint.managementUrl}`);
  if (endpoint.via) parts.push(`through SSH ${endpoint.via}`);
  return parts.join(', ');
}

export function parseSecretEndpoint(text: string | undefined): SecretEndpoint | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { kind, user, address, tls, via, managementUrl } = value as Record<string, unknown>;
    if (typeof kind !== 'string' || typeof user !== 'string' || typeof address !== 'string' || typeof tls !== 'boolean') return undefined;
    const known = KINDS.find((k) => k === kind);
    if (!known) return undefined;
    return { kind: known, user, address, tls, ...(typeof via === 'string' ? { via } : {}), ...(typeof managementUrl === 'string' ? { managementUrl } : {}) };
  } catch {
    return undefined;
  }
}
