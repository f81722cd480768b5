import { readFileSync } from 'node:fs';
import { DriverError, messageOf } from './errors';
import { expandHome } from './homePath';

/** The CA a TLS connection should trust, from the profile's PEM file; read at connect, so a replaced file is picked up. */
export function trustedCa(tls: boolean, caFile: string | undefined): { ca?: Buffer[] } {
  if (!tls || !caFile) return {};
  try {
    return { ca: [readFileSync(expandHome(caFile))] };
  } catch (error) {
    throw new DriverError('config', `The CA certificate file ${caFile} could not be read (${messageOf(error)}).`, 'The connection needs a PEM file there.');
  }
}
