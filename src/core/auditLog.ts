import * as vscode from 'vscode';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SshProfile } from '../drivers/types';
import { Log } from './log';
import { config } from './config';
import { SessionManager } from './sessionManager';
import { ConnectionCatalog } from '../storage/connectionCatalog';

export type AuditEvent = 'session-open' | 'session-close' | 'terminal-open' | 'terminal-close' | 'exec' | 'exec-exit';

/**
 * The bastion-host practice: SSH sessions opened and closed and commands run through exec, with time, host and user,
 * appended as JSON lines to the file named by switchboard.ssh.auditLog in the user's settings (off when empty).
 */
export class AuditLog {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly log: Log) {}

  /** The file from this machine's user settings: a workspace's value is ignored, so a repository cannot redirect or end it. */
  private file(): string {
    return config.sshAuditLog();
  }

  record(event: AuditEvent, profile: SshProfile, detail: Record<string, string | number | null> = {}): void {
    const file = this.file();
    if (!file) return;
    const line = `${JSON.stringify({ time: new Date().toISOString(), event, host: profile.host, port: profile.port, user: profile.username, connection: profile.name, ...detail })}\n`;
    this.queue = this.queue
      .then(() => mkdir(dirname(file), { recursive: true }))
      .then(() => appendFile(file, line, { mode: 0o600 }))
      .catch((error: unknown) => this.log.channel.error(`Could not write the audit log ${file}: ${String(error)}`));
  }

  /** Records SSH sessions opening and closing, from the session manager's state changes. */
  watch(sessions: SessionManager, profiles: ConnectionCatalog): vscode.Disposable {
    const open = new Set<string>();
    return sessions.onDidChange((id) => {
      const profile = profiles.get(id);
      if (profile?.kind !== 'ssh') return;
      const status = sessions.state(id).status;
      if (status === 'connected' && !open.has(id)) {
        open.add(id);
        this.record('session-open', profile);
      } else if ((status === 'disconnected' || status === 'error') && open.delete(id)) {
        this.record('session-close', profile);
      }
    });
  }

  /** Resolves once every record so far is on disk. */
  flushed(): Promise<void> {
    return this.queue;
  }
}
