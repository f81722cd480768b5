import type { SshSession } from '../drivers/ssh';
import { SshProfile } from '../drivers/types';
import { SessionManager } from './sessionManager';

/** The live SSH session of an SSH profile. */
export function sshSession(sessions: SessionManager, profile: SshProfile): Promise<SshSession> {
  return sessions.session(profile);
}
