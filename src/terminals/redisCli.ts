import * as vscode from 'vscode';
import type { RedisConsole } from '../drivers/redis/console';
import { commandName, formatReplyTo, isDangerous, isSensitive, parseCommandLine } from '../drivers/redis/cli';
import { RedisProfile } from '../drivers/types';
import { describeError } from '../core/errorWords';
import { SessionManager } from '../core/sessionManager';
import { CommandDocs, hintFor } from '../drivers/redis/commandDocs';
import type { ConsoleHistory } from '../storage/consoleHistory';
import { terminalText } from './terminalText';
import { LineEditor } from './lineEditor';

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

/**
 * A redis-cli-like console in the integrated terminal: redis-cli quoting and replies, its line editing (LineEditor:
 * cursor keys, Ctrl shortcuts, history with reverse search, Tab completion of the server's command names), dangerous
 * commands asked first.
 */
export class RedisCli implements vscode.Pseudoterminal {
  private readonly writes = new vscode.EventEmitter<string>();
  private readonly closes = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writes.event;
  readonly onDidClose = this.closes.event;
  private console: RedisConsole | undefined;
  private readonly editor: LineEditor;
  /** The server's command names, once it said them. */
  private commands: readonly string[] = [];
  /** The server's COMMAND DOCS, once it said them: the arguments hinted after a command name. */
  private docs: CommandDocs = new Map();
  private db: number;
  private busy = false;
  /** Typed or pasted while a command runs: handled once it is done, as a terminal would. */
  private typeahead = '';

  /** `history`: the lines run on this connection before, kept across restarts; this console adds to it. */
  constructor(private readonly profile: RedisProfile, private readonly sessions: SessionManager, private readonly history: ConsoleHistory) {
    this.db = profile.db;
    this.editor = new LineEditor(
      () => this.prompt,
      history.load(profile.id),
      (prefix) => this.commands.filter((name) => name.startsWith(prefix.toUpperCase())),
      (line) => hintFor(this.docs, line),
    );
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.editor.resize(dimensions.columns);
  }

  private get prompt(): string {
    return terminalText(`${this.profile.host}:${this.profile.port}${this.db ? `[${this.db}]` : ''}> `);
  }

  /** Writes text that is not the console's own (replies, errors, names) with its control characters made visible. */
  private print(text: string, color = ''): void {
    this.writes.fire(`${color}${terminalText(text)}${color ? RESET : ''}\r\n`);
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    if (dimensions) this.editor.resize(dimensions.columns);
    this.print(this.profile.readOnly
      ? vscode.l10n.t('Redis console for {0} (read-only: only commands the server flags readonly run). Quoting and line editing work as in redis-cli: Tab completes a command name, Ctrl+R searches the history.', this.profile.name)
      : vscode.l10n.t('Redis console for {0}. Quoting and line editing work as in redis-cli: Tab completes a command name, Ctrl+R searches the history.', this.profile.name), DIM);
    void this.sessions.session(this.profile).then(
      (session) => {
        const console = (this.console = session.console());
        void console.commandNames().then((names) => (this.commands = names));
        void console.commandDocs().then((docs) => (this.docs = docs));
        this.writes.fire(this.editor.start());
        const pending = this.typeahead;
        this.typeahead = '';
        if (pending) this.handleInput(pending);
      },
      (error: unknown) => this.print(describeError(error), RED),
    );
  }

  handleInput(data: string): void {
    if (this.busy || !this.console) {
      this.typeahead += data;
      return;
    }
    const edited = this.editor.feed(data);
    if (edited.output) this.writes.fire(edited.output);
    if (edited.submitted === undefined) return;
    this.typeahead = edited.rest + this.typeahead;
    void this.execute(edited.submitted);
  }

  private async execute(line: string): Promise<void> {
    const console = this.console!;
    this.busy = true;
    try {
      const args = parseCommandLine(line);
      if (args.length === 0) return;
      // As redis-cli, commands that carry a password are not kept for recall.
      if (!isSensitive(args)) {
        this.editor.remember(line);
        void this.history.append(this.profile.id, line);
      }
      const name = commandName(args);
      if (name === 'QUIT' || name === 'EXIT') return this.closes.fire();
      if (isDangerous(args)) {
        await console.check(args);
        const run = vscode.l10n.t('Run');
        const detail = name === 'KEYS' ? vscode.l10n.t('KEYS blocks the server while it walks every key; the key browser uses SCAN instead.') : vscode.l10n.t('This can change or stop the server for everyone using it.');
        const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Run {0} on {1}?', name, this.profile.name), { modal: true, detail }, run);
        if (choice !== run) {
          this.print(vscode.l10n.t('(not run)'), DIM);
          return;
        }
      }
      const reply = await console.run(args);
      if (name === 'SELECT' && reply !== null) this.db = Number(args[1]?.toString() ?? this.db);
      this.print(formatReplyTo(args, reply));
    } catch (error) {
      this.print(`(error) ${describeError(error)}`, RED);
    } finally {
      this.busy = false;
      this.writes.fire(this.editor.start());
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
