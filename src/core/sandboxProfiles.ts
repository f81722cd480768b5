import { readFile } from 'node:fs/promises';
import { isProfile } from '../drivers/kinds';
import { ProfileStore } from '../storage/profileStore';
import { SecretStore } from '../storage/secretStore';
import { Log } from './log';

/**
 * The `npm start` sandbox hands its demo connections over in a file named by SWITCHBOARD_SANDBOX_PROFILES
 * (profiles plus their throwaway demo passwords). They are stored the normal way: profiles in the profile store,
 * passwords in SecretStorage. Nothing else sets this variable.
 */
export async function loadSandboxProfiles(profiles: ProfileStore, secrets: SecretStore, log: Log): Promise<void> {
  const file = process.env['SWITCHBOARD_SANDBOX_PROFILES'];
  if (!file) return;
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('profiles' in parsed) || !Array.isArray(parsed.profiles)) return;
    const passwords = 'passwords' in parsed && typeof parsed.passwords === 'object' && parsed.passwords !== null ? (parsed.passwords as Record<string, unknown>) : {};
    const fresh = parsed.profiles.filter(isProfile).filter((p) => !profiles.get(p.id));
    for (const profile of fresh) {
      const password = passwords[profile.id];
      if (typeof password === 'string') await secrets.write(profile, { password }, (id) => fresh.find((p) => p.id === id));
    }
    await profiles.saveMany(fresh);
    if (fresh.length) log.info(`Loaded ${fresh.length} sandbox connections.`);
  } catch (error) {
    log.report('Loading the sandbox connections', error);
  }
}
