import * as vscode from 'vscode';
import type { RedisSession } from '../drivers/redis';
import type { RedisConsole } from '../drivers/redis/cli';
import { commandName, formatReply, isDangerous, parseCommandLine } from '../drivers/redis/cli';
import { RedisProfile } from '../drivers/types';
import { messageOf } from '../drivers/errors';
import { SessionManager } from '../core/sessionManager';

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

/** A redis-cli-like console in the integrated terminal: redis-cli quoting and replies, history, dangerous commands asked first. */
export class RedisCli implements vscode.Pseudoterminal {
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly closes = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writes.event;
  readonly onDidClose = this.closes.event;
  private console: RedisConsole | undefined;
  private line = '';
  private readonly history: string[] = [];
  private historyIndex = 0;
  private db: number;
  private busy = false;
  /** Typed or pasted while a command runs: handled once it is done, as a terminal would. */
  private typeahead = '';

  constructor(private readonly profile: RedisProfile, private readonly sessions: SessionManager) {
    this.db = profile.db;
  }

  private get prompt(): string {
    return `${this.profile.host}:${this.profile.port}${this.db ? `[${this.db}]` : ''}> `;
  }

  open(): void {
    this.writes.fire(`${DIM}Redis console for ${this.profile.name}${this.profile.readOnly ? ' (read-only: writes are refused)' : ''}. Quoting works as in redis-cli.${RESET}\r\n`);
    void this.sessions.session(this.profile).then(
      (session) => {
        this.console = (session as RedisSession).console();
        this.writes.fire(this.prompt);
        const pending = this.typeahead;
        this.typeahead = '';
        if (pending) this.handleInput(pending);
      },
      (error: unknown) => this.writes.fire(`${RED}${messageOf(error)}${RESET}\r\n`),
    );
  }

  handleInput(data: string): void {
    if (this.busy || !this.console) {
      this.typeahead += data;
      return;
    }
    if (data === '\x1b[A' || data === '\x1b[B') return this.recall(data === '\x1b[A' ? -1 : 1);
    if (data === '\x03') {
      this.line = '';
      this.writes.fire(`^C\r\n${this.prompt}`);
      return;
    }
    if (data === '\x0c') {
      this.writes.fire(`\x1b[2J\x1b[H${this.prompt}${this.line}`);
      return;
    }
    const chars = [...data];
    for (const [index, char] of chars.entries()) {
      if (char === '\r') {
        this.writes.fire('\r\n');
        const line = this.line;
        this.line = '';
        this.typeahead = chars.slice(index + 1).join('') + this.typeahead;
        void this.execute(line);
        return;
      }
      if (char === '\x7f') {
        if (this.line.length) {
          this.line = [...this.line].slice(0, -1).join('');
          this.writes.fire('\b \b');
        }
      } else if (char >= ' ') {
        this.line += char;
        this.writes.fire(char);
      }
    }
  }

  private recall(step: number): void {
    if (this.history.length === 0) return;
    this.historyIndex = Math.max(0, Math.min(this.history.length, this.historyIndex + step));
    this.line = this.history[this.historyIndex] ?? '';
    this.writes.fire(`\r\x1b[K${this.prompt}${this.line}`);
  }

  private async execute(line: string): Promise<void> {
    const console = this.console!;
    if (line.trim()) {
      this.history.push(line);
      this.historyIndex = this.history.length;
    }
    this.busy = true;
    try {
      const args = parseCommandLine(line);
      if (args.length === 0) return;
      const name = commandName(args);
      if (name === 'QUIT' || name === 'EXIT') return this.closes.fire();
      if (isDangerous(args) && !this.profile.readOnly) {
        const choice = await vscode.window.showWarningMessage(`Run ${name} on ${this.profile.name}?`, { modal: true, detail: name === 'KEYS' ? 'KEYS blocks the server while it walks every key; the key browser uses SCAN instead.' : 'This can change or stop the server for everyone using it.' }, 'Run');
        if (choice !== 'Run') {
          this.writes.fire(`${DIM}(not run)${RESET}\r\n`);
          return;
        }
      }
      const reply = await console.run(args);
      if (name === 'SELECT' && reply !== null) this.db = Number(args[1]?.toString() ?? this.db);
      this.writes.fire(`${crlf(formatReply(reply))}\r\n`);
    } catch (error) {
      this.writes.fire(`${RED}(error) ${crlf(messageOf(error))}${RESET}\r\n`);
    } finally {
      this.busy = false;
      this.writes.fire(this.prompt);
      const pending = this.typeahead;
      this.typeahead = '';
      if (pending) this.handleInput(pending);
    }
  }

  close(): void {
    this.console?.close();
    this.writes.dispose();
    this.closes.dispose();
  }
}
