import { isIP } from 'node:net';
import { checkServerIdentity, ConnectionOptions, PeerCertificate } from 'node:tls';
import { RedisProfile, Secrets } from '../types';
import { trustedCa } from '../trustedCa';
import { clientCertificate } from '../clientCertificate';

/* TLS for a Redis profile: whom to trust, what to show a server that asks for a client certificate, which name to check. */

/**
 * The name a server's certificate must carry: the profile's TLS server name when set, else the address dialled.
 * A host name is also sent as SNI; an IP address is only checked, as SNI carries names alone (RFC 6066). Without a
 * name, each server is checked against its own address (the nodes of a cluster, the master a Sentinel names).
 */
function identity(name: string | undefined): Pick<ConnectionOptions, 'servername' | 'checkServerIdentity'> {
  if (!name) return {};
  if (isIP(name)) return { checkServerIdentity: (_host: string, certificate: PeerCertificate) => checkServerIdentity(name, certificate) };
  return { servername: name };
}

/**
 * TLS for the profile's connections, undefined when it does not use TLS: the CA and client certificate are read (and
 * checked) once, and each connection to `host` gets the name to check (no host: each server by its own address).
 */
export function redisTls(profile: RedisProfile, secrets: Secrets): ((host?: string) => ConnectionOptions) | undefined {
  if (!profile.tls) return undefined;
  const base = { ...trustedCa(true, profile.caFile), ...clientCertificate(profile, secrets.passphrase) };
  return (host) => ({ ...base, ...identity(profile.servername ?? host) });
}
