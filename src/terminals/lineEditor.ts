import { isPrintable } from './terminalText';

/** What one chunk of typed or pasted input did: what to write to the terminal, and a line to run if Enter came. */
export interface Edited {
  readonly output: string;
  /** The line submitted with Enter; the input after it is in `rest`, for once the line has run. */
  readonly submitted?: string;
  readonly rest: string;
}

/** Command names the line completes with Tab, in the order offered. */
export type Completer = (prefix: string) => readonly string[];

/** What to show dimmed after the line as typed so far (a command's arguments), or nothing. */
export type Hinter = (line: string) => string | undefined;

const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Keys as the terminal sends them: escape sequences for the editing keys, control characters for the Ctrl ones. */
type Key =
  | { readonly kind: 'char'; readonly char: string; readonly raw: string }
  | { readonly kind: 'control'; readonly name: string; readonly raw: string };

const SEQUENCES: Readonly<Record<string, string>> = {
  '[A': 'up', '[B': 'down', '[C': 'right', '[D': 'left', OA: 'up', OB: 'down', OC: 'right', OD: 'left',
  '[H': 'home', '[F': 'end', OH: 'home', OF: 'end', '[1~': 'home', '[7~': 'home', '[4~': 'end', '[8~': 'end',
  '[3~': 'delete', '[1;5C': 'word-right', '[1;5D': 'word-left', '[1;3C': 'word-right', '[1;3D': 'word-left',
  b: 'word-left', f: 'word-right', d: 'kill-word',
};

const CONTROLS: Readonly<Record<string, string>> = {
  '\x01': 'home', '\x02': 'left', '\x03': 'interrupt', '\x04': 'delete', '\x05': 'end', '\x06': 'right', '\x07': 'abort',
  '\x08': 'backspace', '\x09': 'tab', '\x0b': 'kill-end', '\x0c': 'clear', '\x0d': 'enter', '\x0e': 'down', '\x10': 'up',
  '\x12': 'search', '\x15': 'kill-start', '\x17': 'kill-word-back', '\x7f': 'backspace',
};

/** Splits input into keys: a whole escape sequence is one key (an unknown one is dropped, never typed into the line). */
function keys(data: string): Key[] {
  const out: Key[] = [];
  const chars = [...data];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\x1b') {
      // ESC [ parameters final byte, ESC O letter, or ESC and one character (Alt+letter).
      let sequence = chars[i + 1] ?? '';
      let end = i + 1;
      if (sequence === '[') {
        while (end + 1 < chars.length && /[0-9;]/.test(chars[end + 1]!)) sequence += chars[++end]!;
        if (end + 1 < chars.length) sequence += chars[++end]!;
      } else if (sequence === 'O' && end + 1 < chars.length) {
        sequence += chars[++end]!;
      }
      i = end;
      const name = SEQUENCES[sequence];
      if (name) out.push({ kind: 'control', name, raw: `\x1b${sequence}` });
      continue;
    }
    const control = CONTROLS[char];
    if (control) out.push({ kind: 'control', name: control, raw: char });
    else if (isPrintable(char)) out.push({ kind: 'char', char, raw: char });
  }
  return out;
}

/** Lines kept for recall. */
const HISTORY = 1000;

const isBlank = (char: string | undefined): boolean => char === ' ' || char === '\t';

/**
 * The console's line, edited as readline and redis-cli's linenoise edit one: the cursor moves with the arrows,
 * Home/End and Ctrl+A/E/B/F (Alt or Ctrl with the arrows by words); Backspace, Delete, Ctrl+U/K/W cut; Up/Down and
 * Ctrl+P/N recall the history, Ctrl+R searches it backwards; Tab completes the command name. The line is redrawn
 * across as many terminal rows as it takes, so a long command wraps and still edits in place.
 */
export class LineEditor {
  private line: string[] = [];
  private cursor = 0;
  /** Where the cursor was drawn, counted from the prompt's start: rows above it are the line's, when it wraps. */
  private drawnAt = 0;
  private recalled: number;
  /** What was typed before the history was walked, given back when walking past the newest entry. */
  private typed: string[] = [];
  private search: { query: string; match: number; original: string[] } | undefined;
  /** A second Tab in a row lists what the first could not decide between. */
  private lastWasTab = false;
  private columns = 80;
  /** A hint is drawn after the line now: it goes before the line is run. */
  private hinted = false;

  constructor(private readonly prompt: () => string, private readonly history: string[], private readonly complete: Completer, private readonly hint: Hinter = () => undefined) {
    this.recalled = history.length;
  }

  /** The terminal's width, for lines that wrap. */
  resize(columns: number): void {
    if (columns > 0) this.columns = columns;
  }

  get text(): string {
    return this.line.join('');
  }

  /** The prompt and the line, for a fresh start (after a reply, or when the console opens). */
  start(): string {
    this.line = [];
    this.cursor = 0;
    this.recalled = this.history.length;
    this.search = undefined;
    this.drawnAt = this.promptWidth();
    return this.prompt();
  }

  feed(data: string): Edited {
    const all = keys(data);
    let output = '';
    let dirty = false;
    for (let index = 0; index < all.length; index++) {
      const key = all[index]!;
      const tab = key.kind === 'control' && key.name === 'tab';
      if (this.search) {
        const handled = this.searchKey(key);
        if (handled === 'accept') {
          output += this.draw();
          dirty = false;
          if (key.kind === 'control' && key.name === 'enter') return this.submit(output, all, index);
          if (key.kind === 'control' && key.name !== 'abort') index--;
          continue;
        }
        dirty = true;
        continue;
      }
      if (key.kind === 'char') {
        this.insert([key.char]);
        dirty = true;
      } else if (key.name === 'enter') {
        // The line stays on the screen as it ran, without its hint.
        if (this.hinted) output += this.draw(true);
        else if (dirty) output += this.draw();
        return this.submit(output, all, index);
      } else if (key.name === 'interrupt') {
        const cut = this.draw(true);
        this.line = [];
        this.cursor = 0;
        output += `${cut}^C\r\n${this.start()}`;
        dirty = false;
      } else if (key.name === 'clear') {
        output += '\x1b[2J\x1b[H';
        this.drawnAt = 0;
        dirty = true;
      } else if (key.name === 'tab') {
        const listed = this.tab();
        if (listed) {
          // The names below the line, then the line drawn again under them.
          output += `${this.draw(true)}\r\n${listed}\r\n`;
          this.drawnAt = 0;
        }
        dirty = true;
      } else if (key.name === 'search') {
        this.search = { query: '', match: -1, original: this.line };
        dirty = true;
      } else {
        dirty = this.edit(key.name) || dirty;
      }
      this.lastWasTab = tab;
    }
    if (dirty) output += this.draw();
    return { output, rest: '' };
  }

  /** Keeps a line that ran for recall (not a blank one, nor the one recalled last again). */
  remember(line: string): void {
    if (!line.trim() || this.history[this.history.length - 1] === line) return;
    this.history.push(line);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    this.recalled = this.history.length;
  }

  private submit(output: string, all: readonly Key[], index: number): Edited {
    const line = this.text;
    const rest = all.slice(index + 1).map((k) => k.raw).join('');
    return { output: `${output}${this.moveToEnd()}\r\n`, submitted: line, rest };
  }

  private insert(chars: readonly string[]): void {
    this.line.splice(this.cursor, 0, ...chars);
    this.cursor += chars.length;
  }

  /** An editing key; whether the line or the cursor changed. */
  private edit(name: string): boolean {
    const line = this.line;
    const at = this.cursor;
    switch (name) {
      case 'left': this.cursor = Math.max(0, at - 1); break;
      case 'right': this.cursor = Math.min(line.length, at + 1); break;
      case 'home': this.cursor = 0; break;
      case 'end': this.cursor = line.length; break;
      case 'word-left': this.cursor = this.wordStart(at); break;
      case 'word-right': this.cursor = this.wordEnd(at); break;
      case 'backspace': if (at > 0) { line.splice(at - 1, 1); this.cursor--; } break;
      case 'delete': line.splice(at, 1); break;
      case 'kill-start': line.splice(0, at); this.cursor = 0; break;
      case 'kill-end': line.splice(at); break;
      case 'kill-word-back': { const start = this.wordStart(at); line.splice(start, at - start); this.cursor = start; break; }
      case 'kill-word': line.splice(at, this.wordEnd(at) - at); break;
      case 'up': return this.recall(-1);
      case 'down': return this.recall(1);
      default: return false;
    }
    return true;
  }

  private wordStart(from: number): number {
    let at = from;
    while (at > 0 && isBlank(this.line[at - 1])) at--;
    while (at > 0 && !isBlank(this.line[at - 1])) at--;
    return at;
  }

  private wordEnd(from: number): number {
    let at = from;
    while (at < this.line.length && isBlank(this.line[at])) at++;
    while (at < this.line.length && !isBlank(this.line[at])) at++;
    return at;
  }

  private recall(step: number): boolean {
    if (this.history.length === 0) return false;
    if (this.recalled === this.history.length) this.typed = this.line;
    const next = Math.max(0, Math.min(this.history.length, this.recalled + step));
    if (next === this.recalled) return false;
    this.recalled = next;
    this.line = next === this.history.length ? [...this.typed] : [...this.history[next]!];
    this.cursor = this.line.length;
    return true;
  }

  /** Completes the command name; resolves the candidates to list when a second Tab finds it still undecided. */
  private tab(): string | undefined {
    const before = this.line.slice(0, this.cursor).join('');
    // Only the first word is a command name.
    if (/\s/.test(before.trimStart()) || this.line.slice(this.cursor).join('').trim()) return undefined;
    const prefix = before.trimStart();
    const found = this.complete(prefix);
    if (found.length === 0) return undefined;
    const upper = prefix.toUpperCase();
    if (found.length === 1) {
      this.replaceWord(`${found[0]!} `, prefix);
      return undefined;
    }
    let common = found[0]!;
    for (const name of found) while (!name.startsWith(common)) common = common.slice(0, -1);
    if (common.length > upper.length) {
      this.replaceWord(common, prefix);
      return undefined;
    }
    return this.lastWasTab ? found.join('  ') : undefined;
  }

  /** Puts the completed name in place of the typed word, keeping the case it was typed in. */
  private replaceWord(name: string, typed: string): void {
    const lower = typed.length > 0 && typed === typed.toLowerCase();
    const start = this.cursor - [...typed].length;
    this.line.splice(start, this.cursor - start, ...(lower ? name.toLowerCase() : name));
    this.cursor = start + [...name].length;
  }

  /** A key while searching the history: typed text narrows it, Ctrl+R goes further back; others accept the match. */
  private searchKey(key: Key): 'accept' | 'searching' {
    const search = this.search!;
    const newest = this.history.length - 1;
    if (key.kind === 'char') {
      search.query += key.char;
      search.match = this.find(search.query, search.match >= 0 ? search.match : newest) ?? search.match;
      return 'searching';
    }
    if (key.name === 'backspace') {
      search.query = [...search.query].slice(0, -1).join('');
      search.match = search.query ? (this.find(search.query, newest) ?? -1) : -1;
      return 'searching';
    }
    if (key.name === 'search') {
      if (search.query) search.match = this.find(search.query, (search.match >= 0 ? search.match : newest + 1) - 1) ?? search.match;
      return 'searching';
    }
    this.search = undefined;
    if (key.name === 'abort' || key.name === 'interrupt') {
      this.line = search.original;
    } else if (search.match >= 0) {
      this.line = [...this.history[search.match]!];
      this.recalled = search.match;
    }
    this.cursor = this.line.length;
    return 'accept';
  }

  /** The newest history entry at or before `from` that holds `query`. */
  private find(query: string, from: number): number | undefined {
    for (let i = Math.min(from, this.history.length - 1); i >= 0; i--) if (this.history[i]!.includes(query)) return i;
    return undefined;
  }

  private promptWidth(): number {
    return [...this.prompt()].length;
  }

  /**
   * Redraws the prompt and the line from where the prompt starts, over as many rows as it wraps to, and puts the
   * cursor back where it is in the line. `atEnd` leaves the cursor after the line (before a line break).
   */
  private draw(atEnd = false): string {
    const columns = this.columns;
    const searching = this.search;
    const head = searching ? `(reverse-i-search)'${searching.query}': ` : this.prompt();
    const body = searching ? (searching.match >= 0 ? this.history[searching.match]! : '') : this.text;
    const up = Math.floor(this.drawnAt / columns);
    const total = [...head].length + [...body].length;
    const hint = atEnd || searching ? '' : this.hintText(total);
    this.hinted = hint !== '';
    let out = `${up > 0 ? `\x1b[${up}A` : ''}\r${head}${body}${hint ? `${DIM}${hint}${RESET}` : ''}\x1b[J`;
    // A line that fills its last row exactly leaves the cursor waiting at the edge: move it to the next row.
    if (total > 0 && total % columns === 0) out += '\r\n';
    const endRow = Math.floor(total / columns);
    const target = atEnd || searching ? total : [...head].length + this.cursor;
    const row = Math.floor(target / columns);
    const column = target % columns;
    out += `${endRow > row ? `\x1b[${endRow - row}A` : ''}\r${column > 0 ? `\x1b[${column}C` : ''}`;
    this.drawnAt = target;
    return out;
  }

  /**
   * The hint for the line, cut to what is left of the line's last row (it never wraps, so the cursor moves stay
   * those of the line alone), without control characters; empty when there is none or no room.
   */
  private hintText(total: number): string {
    const room = this.columns - (total % this.columns) - 1;
    if (room <= 0 || (total > 0 && total % this.columns === 0)) return '';
    const hint = this.hint(this.text);
    return hint === undefined ? '' : [...hint].filter(isPrintable).slice(0, room).join('');
  }

  /** Moves the cursor after the end of the line (before Enter's line break). */
  private moveToEnd(): string {
    const total = this.promptWidth() + this.line.length;
    const rows = Math.floor(total / this.columns) - Math.floor(this.drawnAt / this.columns);
    const column = total % this.columns;
    this.drawnAt = total;
    return `${rows > 0 ? `\x1b[${rows}B` : ''}\r${column > 0 ? `\x1b[${column}C` : ''}`;
  }
}
