import type { SecretStorage } from 'vscode';
import { Profile, SECRET_NAMES, SecretName, Secrets } from '../drivers/types';
import { BoundSecret, endpointOf, parseSecretEndpoint, SecretEndpoint } from './secretEndpoint';

export type { SecretName };
/** Finds a profile by id: the SSH connections a profile is carried through are part of its endpoint. */
export type ProfileLookup = (profileId: string) => Profile | undefined;

/** Where the endpoint a secret was entered for is recorded, beside the secret. */
const ENDPOINT_KEY: Readonly<Record<BoundSecret, 'endpoint' | 'sentinelEndpoint'>> = { password: 'endpoint', sentinelPassword: 'sentinelEndpoint' };
const BOUND: readonly BoundSecret[] = ['password', 'sentinelPassword'];

/**
 * Passwords and passphrases, only ever in VS Code's SecretStorage, as switchboard.<profileId>.<name>. Beside each
 * password, the endpoint it was entered for (switchboard.<profileId>.endpoint for the server's password,
 * .sentinelEndpoint for the Sentinels'), so that SecretGate sends neither anywhere else unasked.
 */
export class SecretStore {
  constructor(private readonly storage: Pick<SecretStorage, 'get' | 'store' | 'delete'>) {}

  private key(profileId: string, name: SecretName | 'endpoint' | 'sentinelEndpoint'): string {
    return `switchboard.${profileId}.${name}`;
  }

  async read(profileId: string): Promise<Secrets> {
    const values = await Promise.all(SECRET_NAMES.map(async (name) => [name, await this.storage.get(this.key(profileId, name))] as const));
    return Object.fromEntries(values.filter(([, value]) => value !== undefined && value !== ''));
  }

  async has(profileId: string): Promise<Record<SecretName, boolean>> {
    const secrets = await this.read(profileId);
    return { password: secrets.password !== undefined, passphrase: secrets.passphrase !== undefined, sentinelPassword: secrets.sentinelPassword !== undefined };
  }

  /**
   * Stores the given secrets of a profile; an empty string removes that secret, a missing one leaves it as it is.
   * A password is stored as entered for the profile's endpoint as it is now (each password its own endpoint).
   */
  async write(profile: Profile, secrets: Partial<Record<SecretName, string>>, lookup: ProfileLookup): Promise<void> {
    for (const name of SECRET_NAMES) {
      const value = secrets[name];
      if (value === undefined) continue;
      if (value === '') await this.storage.delete(this.key(profile.id, name));
      else await this.storage.store(this.key(profile.id, name), value);
    }
    for (const name of BOUND) if (secrets[name]) await this.bind(profile, lookup, name);
  }

  /** The endpoint a password of the profile was entered for; undefined for one saved before endpoints were recorded. */
  async boundEndpoint(profileId: string, name: BoundSecret = 'password'): Promise<SecretEndpoint | undefined> {
    return parseSecretEndpoint(await this.storage.get(this.key(profileId, ENDPOINT_KEY[name])));
  }

  /** Records that a password of the profile is meant for the profile's endpoint as it is now. */
  async bind(profile: Profile, lookup: ProfileLookup, name: BoundSecret = 'password'): Promise<void> {
    await this.storage.store(this.key(profile.id, ENDPOINT_KEY[name]), JSON.stringify(endpointOf(name, profile, lookup)));
  }

  /** Copies the secrets of one profile to another, with the endpoints they were entered for. */
  async copy(fromId: string, toId: string): Promise<void> {
    for (const name of [...SECRET_NAMES, 'endpoint', 'sentinelEndpoint'] as const) {
      const value = await this.storage.get(this.key(fromId, name));
      if (value !== undefined) await this.storage.store(this.key(toId, name), value);
    }
  }

  /** Forgets the password and the endpoint it was entered for (a key's passphrase stays). */
  async forgetPassword(profileId: string): Promise<void> {
    await Promise.all((['password', 'endpoint'] as const).map((name) => this.storage.delete(this.key(profileId, name))));
  }

  async delete(profileId: string): Promise<void> {
    await Promise.all([...SECRET_NAMES, 'endpoint' as const, 'sentinelEndpoint' as const].map((name) => this.storage.delete(this.key(profileId, name))));
  }
}
