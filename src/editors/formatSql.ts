// Bundled on its own (dist/editors/formatSql.js) and loaded on the first Format Document, so activation stays small.
import { formatDialect, mariadb, mysql } from 'sql-formatter';
import { lex, LexError, SqlDialect, Token } from '../drivers/mysql/sqlLexer';

export interface SqlLayout {
  readonly dialect: 'mysql' | 'mariadb';
  readonly tabWidth: number;
  readonly useTabs: boolean;
}

export type Formatted = { readonly text: string } | { readonly refused: string };

/** Tokens whitespace may always go around: list and statement separators and parentheses. */
const SEPARATORS = new Set([',', ';', '(', ')']);
/** Tokens that belong to their neighbour: `t.col`, `@v`, `@@sql_mode`. */
const GLUE = new Set(['.', '@']);
/**
 * The built-in functions the server parses specially: without IGNORE_SPACE, `COUNT (*)` is not a call (MySQL's
 * "Function Name Parsing and Resolution"; MariaDB follows it).
 */
const NO_SPACE_FUNCTIONS = new Set([
  'ADDDATE', 'BIT_AND', 'BIT_OR', 'BIT_XOR', 'CAST', 'COUNT', 'CURDATE', 'CURTIME', 'DATE_ADD', 'DATE_SUB', 'EXTRACT', 'GROUP_CONCAT',
  'MAX', 'MID', 'MIN', 'NOW', 'POSITION', 'SESSION_USER', 'STD', 'STDDEV', 'STDDEV_POP', 'STDDEV_SAMP', 'SUBDATE', 'SUBSTR', 'SUBSTRING',
  'SUM', 'SYSDATE', 'SYSTEM_USER', 'TRIM', 'VARIANCE', 'VAR_POP', 'VAR_SAMP',
]);

/** Whether a space between two tokens that touch changes what the server reads. */
function mustTouch(left: Token, right: Token): boolean {
  if (GLUE.has(left.text) && left.kind === 'op') return true;
  if (GLUE.has(right.text) && right.kind === 'op') return true;
  if (left.kind === 'word' && NO_SPACE_FUNCTIONS.has(left.text) && right.kind === 'op' && right.text === '(') return true;
  // Two operator characters may be one operator: <=, <>, :=, ||, ->>, <=>.
  return left.kind === 'op' && right.kind === 'op' && !SEPARATORS.has(left.text) && !SEPARATORS.has(right.text);
}

/** Lexed as the server reads text; the version is set high so that every versioned comment reads as code. */
function tokens(sql: string, dialect: 'mysql' | 'mariadb'): Token[] {
  const reading: SqlDialect = { ansiQuotes: false, noBackslashEscapes: false, version: 999_999, mariadb: dialect === 'mariadb' };
  return lex(sql, reading);
}

/**
 * Why `formatted` would not mean what `original` means, if it would not: the server must read the same tokens, a space
 * may only come where tokens could already be apart, and executable comments must come through whole.
 */
export function changedMeaning(original: string, formatted: string, dialect: 'mysql' | 'mariadb'): string | undefined {
  let before: Token[];
  let after: Token[];
  try {
    before = tokens(original, dialect);
    after = tokens(formatted, dialect);
  } catch (error) {
    if (error instanceof LexError) return `it cannot be read exactly as the server would read it (${error.message})`;
    throw error;
  }
  for (const comment of original.match(/\/\*M?!.*?\*\//gs) ?? []) {
    if (!formatted.includes(comment)) return `it would change the executable comment ${comment.slice(0, 40)}`;
  }
  if (before.length !== after.length) return 'it would change the statements (a comment would swallow code, or code would be split)';
  for (const [i, token] of before.entries()) {
    const other = after[i]!;
    if (token.kind !== other.kind || token.text !== other.text) return `it would change "${original.slice(token.start, token.end)}"`;
    const next = before[i + 1];
    const otherNext = after[i + 1];
    if (next && otherNext && token.end === next.start && other.end !== otherNext.start && mustTouch(token, next)) {
      return `it would put a space inside "${original.slice(token.start, next.end)}"`;
    }
  }
  return undefined;
}

/**
 * SQL laid out by sql-formatter in the server's dialect, checked to mean the same to the server as what was typed:
 * keywords and identifiers keep their case, comments stay, and anything the check cannot vouch for is left alone.
 */
export function formatSql(sql: string, layout: SqlLayout): Formatted {
  if (/^[ \t]*DELIMITER\s/im.test(sql)) return { refused: "it uses the mysql client's DELIMITER, which the formatter does not know" };
  let text: string;
  try {
    text = formatDialect(sql, { dialect: layout.dialect === 'mariadb' ? mariadb : mysql, tabWidth: layout.tabWidth, useTabs: layout.useTabs, keywordCase: 'preserve', linesBetweenQueries: 1 });
  } catch (error) {
    return { refused: `the formatter could not read it (${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)})` };
  }
  const changed = changedMeaning(sql, text, layout.dialect);
  return changed ? { refused: changed } : { text };
}
