import * as vscode from 'vscode';
import { Secrets } from '../drivers/types';

export type SecretName = 'password' | 'passphrase';
const NAMES: readonly SecretName[] = ['password', 'passphrase'];

/** Passwords and passphrases, only ever in VS Code's SecretStorage, as switchboard.<profileId>.<name>. */
export class SecretStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  private key(profileId: string, name: SecretName): string {
    return `switchboard.${profileId}.${name}`;
  }

  async read(profileId: string): Promise<Secrets> {
    const [password, passphrase] = await Promise.all(NAMES.map((name) => this.storage.get(this.key(profileId, name))));
    return { ...(password ? { password } : {}), ...(passphrase ? { passphrase } : {}) };
  }

  async has(profileId: string): Promise<Record<SecretName, boolean>> {
    const secrets = await this.read(profileId);
    return { password: secrets.password !== undefined, passphrase: secrets.passphrase !== undefined };
  }

  /** Stores the given secrets; an empty string removes that secret, a missing one leaves it as it is. */
  async write(profileId: string, secrets: Partial<Record<SecretName, string>>): Promise<void> {
    for (const name of NAMES) {
      const value = secrets[name];
      if (value === undefined) continue;
      if (value === '') await this.storage.delete(this.key(profileId, name));
      else await this.storage.store(this.key(profileId, name), value);
    }
  }

  async copy(fromId: string, toId: string): Promise<void> {
    const secrets = await this.read(fromId);
    await this.write(toId, secrets);
  }

  async delete(profileId: string): Promise<void> {
    await Promise.all(NAMES.map((name) => this.storage.delete(this.key(profileId, name))));
  }
}
