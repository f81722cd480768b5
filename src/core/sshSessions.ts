import type { SshSession } from '../drivers/ssh';
import { Profile, SshProfile } from '../drivers/types';
import { SessionManager } from './sessionManager';

/** The live SSH session of an SSH profile. */
export function sshSession(sessions: SessionManager, profile: SshProfile): Promise<SshSession> {
  return sessions.session(profile);
}

export function isSsh(profile: Profile | undefined): profile is SshProfile {
  return profile?.kind === 'ssh';
}
