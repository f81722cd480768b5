import * as vscode from 'vscode';
import type { ShellChannel } from '../drivers/ssh/shell';
import { SshProfile } from '../drivers/types';
import { describeError } from '../core/errorWords';
import { SessionManager } from '../core/sessionManager';
import { sshSession } from '../core/sshSessions';
import { AuditLog } from '../core/auditLog';

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

/**
 * A remote shell (or one command) in the integrated terminal: a pty sized like the terminal and resized with it,
 * output decoded as UTF-8 across chunk boundaries, the exit status shown, then a key closes it.
 */
export class SshTerminal implements vscode.Pseudoterminal {
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly closes = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writes.event;
  readonly onDidClose = this.closes.event;
  private channel: ShellChannel | undefined;
  private exited = false;
  private size: vscode.TerminalDimensions = { columns: 80, rows: 24 };

  constructor(
    private readonly profile: SshProfile,
    private readonly sessions: SessionManager,
    private readonly audit: AuditLog,
    private readonly command?: string,
  ) {}

  open(initial: vscode.TerminalDimensions | undefined): void {
    if (initial) this.size = initial;
    this.writes.fire(`${DIM}${vscode.l10n.t('Connecting to {0}…', `${this.profile.username}@${this.profile.host}:${this.profile.port}`)}${RESET}\r\n`);
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      const session = await sshSession(this.sessions, this.profile);
      this.channel = await session.shell(
        { rows: this.size.rows, cols: this.size.columns },
        {
          onOutput: (text) => this.writes.fire(text),
          onExit: (code, signal) => this.finished(code, signal),
        },
        this.command,
      );
      this.audit.record('terminal-open', this.profile, this.command ? { command: this.command } : {});
    } catch (error) {
      this.writes.fire(`${RED}${describeError(error)}${RESET}\r\n${DIM}${vscode.l10n.t('Press any key to close.')}${RESET}`);
      this.exited = true;
    }
  }

  private finished(code: number | null, signal?: string): void {
    this.exited = true;
    this.channel = undefined;
    this.audit.record('terminal-close', this.profile, { code, ...(signal ? { signal } : {}) });
    const status = signal ? `ended by signal ${signal}` : code === null ? 'connection closed' : `exit status ${code}`;
    this.writes.fire(`\r\n${DIM}[${status}] Press any key to close.${RESET}`);
  }

  handleInput(data: string): void {
    if (this.exited) this.closes.fire();
    else this.channel?.write(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.size = dimensions;
    this.channel?.resize({ rows: dimensions.rows, cols: dimensions.columns });
  }

  close(): void {
    this.channel?.close();
    this.writes.dispose();
    this.closes.dispose();
  }
}
