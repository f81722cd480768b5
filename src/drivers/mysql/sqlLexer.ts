/**
 * A MySQL / MariaDB lexer that cuts a statement into tokens where the server's own lexer (sql_lex.cc) cuts it, for the
 * session's sql_mode and the server's version: what a guard decides from these tokens is what the server will run.
 * Anything it cannot cut exactly as the server would (an unterminated quote or comment, a NUL byte outside a string, a
 * versioned comment the server would skip, nested executable comments) is a LexError, never a guess.
 *
 * Editors need the other reading: text being typed is unterminated most of the time. The lenient mode (completion,
 * hover) never throws: an unterminated quote or comment runs to the end of the text, marked as such, and comments
 * are tokens, so that a caret inside one can be told apart. No guard may decide anything from a lenient reading.
 */

/** What changes how the server reads the text: the session's sql_mode and the server's version. */
export interface SqlDialect {
  /** sql_mode ANSI_QUOTES: "…" quotes an identifier instead of a string. */
  readonly ansiQuotes: boolean;
  /** sql_mode NO_BACKSLASH_ESCAPES: a backslash inside a string is an ordinary character. */
  readonly noBackslashEscapes: boolean;
  /** MYSQL_VERSION_ID of the server: 101106 for 10.11.6, 80036 for 8.0.36. */
  readonly version: number;
  readonly mariadb: boolean;
}

/** `comment` comes only from the lenient mode. */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'op' | 'comment';

export interface Token {
  readonly kind: TokenKind;
  /** word: upper-cased (ASCII only, as the server compares keywords); quoted: the identifier; string: the raw literal; op: the character. */
  readonly text: string;
  readonly start: number;
  /** Where it ends in the text (exclusive). */
  readonly end: number;
  /** Lenient mode: a quote or comment the text ends inside of. */
  readonly unterminated?: boolean;
}

export interface LexOptions {
  /** Read text as it is being typed: never throw (see above). */
  readonly lenient?: boolean;
}

export class LexError extends Error {}

/** The dialect of a server from its sql_mode and VERSION() text ("10.11.6-MariaDB-0+deb12u1", "8.0.36"). */
export function dialectOf(sqlMode: string, versionText: string): SqlDialect {
  const modes = new Set(sqlMode.toUpperCase().split(','));
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(versionText) ?? []).slice(1).map(Number);
  return {
    // ANSI is a combination mode that includes ANSI_QUOTES.
    ansiQuotes: modes.has('ANSI_QUOTES') || modes.has('ANSI'),
    noBackslashEscapes: modes.has('NO_BACKSLASH_ESCAPES'),
    version: major * 10000 + minor * 100 + patch,
    mariadb: /mariadb/i.test(versionText),
  };
}

const upper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
/** Characters of an unquoted word: the server also takes every character from U+0080 on. */
const isWordChar = (c: string): boolean => /[0-9A-Za-z_$]/.test(c) || c.charCodeAt(0) >= 0x80;
/** After "--", a comment needs a space or a control character (or the end of the text). */
const endsDashes = (c: string | undefined): boolean => c === undefined || c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f;

export function lex(sql: string, dialect: SqlDialect, options: LexOptions = {}): Token[] {
  const tokens: Token[] = [];
  const lenient = options.lenient === true;
  let at = 0;
  let inExecutable = false;
  /** Lenient mode: the text from `at` to `end` is a comment (what a strict reading refuses is read as one). */
  const comment = (end: number, unterminated = false): void => {
    tokens.push({ kind: 'comment', text: '', start: at, end, ...(unterminated ? { unterminated } : {}) });
    at = end;
  };
  const fail = (why: string): never => {
    throw new LexError(`${why} (at character ${at + 1})`);
  };

  /** The end of a quoted run opened at `open`: `quote` doubled is one quote; a backslash escapes where `escapes`. */
  const quoted = (open: number, quote: string, escapes: boolean): number => {
    let i = open + 1;
    for (;;) {
      if (i >= sql.length) return lenient ? -1 : fail(`an unterminated ${quote} quote`);
      const c = sql[i]!;
      if (escapes && c === '\\') i += 2;
      else if (c === quote && sql[i + 1] === quote) i += 2;
      else if (c === quote) return i + 1;
      else i++;
    }
  };

  /** Skips a line comment from `at`: it ends at a newline (a NUL would end it for the server too: refused). */
  const lineComment = (): void => {
    const start = at;
    while (at < sql.length && sql[at] !== '\n') {
      if (sql[at] === '\0' && !lenient) fail('a NUL byte in a comment');
      at++;
    }
    if (lenient) tokens.push({ kind: 'comment', text: '', start, end: at });
  };

  while (at < sql.length) {
    const c = sql[at]!;
    const next = sql[at + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f') {
      at++;
    } else if (c === '\0') {
      if (lenient) at++;
      else fail('a NUL byte outside a string');
    } else if (c === '#' || (c === '-' && next === '-' && endsDashes(sql[at + 2]))) {
      lineComment();
    } else if (c === '/' && next === '*') {
      const executable = sql[at + 2] === '!' ? 3 : dialect.mariadb && sql[at + 2] === 'M' && sql[at + 3] === '!' ? 4 : 0;
      const skipped = (): void => {
        const end = sql.indexOf('*/', at + 2);
        comment(end < 0 ? sql.length : end + 2, end < 0);
      };
      if (executable && lenient && inExecutable) {
        skipped();
      } else if (executable) {
        if (inExecutable) fail('an executable comment inside another');
        // MariaDB reads a version of 5 or 6 digits; MySQL 5 digits, or 6 followed by a space.
        const digits = (dialect.mariadb ? /^\d{5,6}/ : /^(?:\d{6}(?=\s)|\d{5})/).exec(sql.slice(at + executable, at + executable + 7))?.[0];
        if (digits) {
          const version = Number(digits);
          // MariaDB skips /*!5xxxx…9xxxx*/ from MySQL 5.7 on (but not /*M!…*/), as its lexer does.
          const mysqlOnly = dialect.mariadb && executable === 3 && version >= 50700 && version <= 99999;
          if ((version > dialect.version || mysqlOnly) && lenient) {
            skipped();
            continue;
          }
          if (version > dialect.version || mysqlOnly) fail(`a versioned comment /*!${digits} that this server skips`);
        }
        inExecutable = true;
        at += executable + (digits?.length ?? 0);
      } else if (lenient) {
        skipped();
      } else {
        const end = sql.indexOf('*/', at + 2);
        if (end < 0) fail('an unterminated /* comment');
        if (sql.slice(at, end).includes('\0')) fail('a NUL byte in a comment');
        at = end + 2;
      }
    } else if (c === '*' && next === '/' && inExecutable) {
      inExecutable = false;
      at += 2;
    } else if (c === "'" || (c === '"' && !dialect.ansiQuotes)) {
      const end = quoted(at, c, !dialect.noBackslashEscapes);
      if (end < 0) tokens.push({ kind: 'string', text: sql.slice(at), start: at, end: sql.length, unterminated: true });
      else tokens.push({ kind: 'string', text: sql.slice(at, end), start: at, end });
      at = end < 0 ? sql.length : end;
    } else if (c === '`' || c === '"') {
      const end = quoted(at, c, false);
      if (end < 0) tokens.push({ kind: 'quoted', text: sql.slice(at + 1).split(c + c).join(c), start: at, end: sql.length, unterminated: true });
      else tokens.push({ kind: 'quoted', text: sql.slice(at + 1, end - 1).split(c + c).join(c), start: at, end });
      at = end < 0 ? sql.length : end;
    } else if (isWordChar(c)) {
      let end = at + 1;
      while (end < sql.length && isWordChar(sql[end]!)) end++;
      const word = sql.slice(at, end);
      if (/^[xXbB]$/.test(word) && sql[end] === "'") {
        // X'…' and B'…' literals end at the next quote: no escapes and no doubling inside them.
        const close = sql.indexOf("'", end + 1);
        if (close < 0 && lenient) {
          tokens.push({ kind: 'string', text: sql.slice(at), start: at, end: sql.length, unterminated: true });
          at = sql.length;
          continue;
        }
        if (close < 0) fail(`an unterminated ${word}'…' literal`);
        tokens.push({ kind: 'string', text: sql.slice(at, close + 1), start: at, end: close + 1 });
        at = close + 1;
      } else {
        tokens.push({ kind: /^\d+$/.test(word) || /^0[xb]/i.test(word) || /^\d+e\d*$/i.test(word) ? 'number' : 'word', text: upper(word), start: at, end });
        at = end;
      }
    } else {
      tokens.push({ kind: 'op', text: c, start: at, end: at + 1 });
      at++;
    }
  }
  if (inExecutable && !lenient) fail('an unterminated executable comment');
  return tokens;
}

/** Whether a token is one of these words (the lexer upper-cases words). */
export const isWord = (t: Token | undefined, ...words: string[]): boolean => t?.kind === 'word' && words.includes(t.text);
/** Whether a token is this operator or punctuation. */
export const isOp = (t: Token | undefined, op: string): boolean => t?.kind === 'op' && t.text === op;

/** The index just past the parenthesis that closes the one at `open` (the end when none does). */
export function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], '(')) depth++;
    else if (isOp(tokens[i], ')') && --depth === 0) return i + 1;
  }
  return tokens.length;
}
