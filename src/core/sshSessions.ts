import type { SshSession } from '../drivers/ssh';
import { Profile, SshProfile } from '../drivers/types';
import { SessionManager } from './sessionManager';

/** The live SSH session of an SSH profile (its class lives in the ssh driver bundle; the kind tells them apart). */
export async function sshSession(sessions: SessionManager, profile: SshProfile): Promise<SshSession> {
  const session = await sessions.session(profile);
  if (session.kind !== 'ssh') throw new Error(`${profile.name} is not an SSH connection`);
  return session as SshSession;
}

export function isSsh(profile: Profile | undefined): profile is SshProfile {
  return profile?.kind === 'ssh';
}
