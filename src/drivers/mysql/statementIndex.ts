import { lex, SqlDialect } from './sqlLexer';
import { splitStatements, Statement } from './statements';

const CHUNK = 4096;

/**
 * How far a text and the one before it agree, from the start: compared a chunk at a time (string equality is a
 * memory compare; a loop over half a megabyte of characters took 3–60 ms), then character by character.
 */
function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let at = 0;
  while (at + CHUNK <= limit && a.slice(at, at + CHUNK) === b.slice(at, at + CHUNK)) at += CHUNK;
  while (at < limit && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** A DELIMITER directive changes how everything after it splits: text holding one is always split whole. */
const DELIMITER = /(^|\n)[ \t]*delimiter[ \t]/i;

/**
 * The statements of a document as it is typed, kept between calls: only what follows the first character that changed
 * is split again, from the start of the statement it is in. Completing at the end of a 5,000-statement file then splits
 * one statement, not the file. (A splitter reading left to right decides a statement from the text before the next
 * one's start, so the statements wholly before the change stay as they were.)
 */
export class StatementIndex {
  private text = '';
  private statements: readonly Statement[] = [];

  of(text: string): readonly Statement[] {
    if (text === this.text) return this.statements;
    const unchanged = commonPrefix(this.text, text);
    // Statement i is kept when statement i + 1 starts inside the unchanged text: its end and delimiter are unchanged.
    let kept = 0;
    while (kept + 1 < this.statements.length && this.statements[kept + 1]!.start < unchanged) kept++;
    const resume = this.statements[kept];
    if (kept === 0 || !resume || DELIMITER.test(text)) {
      this.statements = splitStatements(text);
    } else {
      const rest = splitStatements(text.slice(resume.start)).map((s) => ({ ...s, start: s.start + resume.start, end: s.end + resume.start, line: s.line + resume.line }));
      this.statements = [...this.statements.slice(0, kept), ...rest];
    }
    this.text = text;
    return this.statements;
  }
}

/**
 * The database a `USE name` statement before `offset` switched to, as the mysql client follows it through a script;
 * undefined when no statement before the offset is a USE.
 */
export function databaseInUse(statements: readonly Statement[], offset: number, dialect: SqlDialect): string | undefined {
  for (let i = statements.length - 1; i >= 0; i--) {
    const statement = statements[i]!;
    if (statement.end >= offset) continue;
    if (!/^\s*use\b/i.test(statement.text)) continue;
    const tokens = lex(statement.text, dialect, { lenient: true }).filter((t) => t.kind !== 'comment');
    const [use, name, extra] = tokens;
    if (use?.kind !== 'word' || use.text !== 'USE' || !name || extra) continue;
    if (name.kind === 'quoted' && !name.unterminated) return name.text;
    if (name.kind === 'word') return statement.text.slice(name.start, name.end);
  }
  return undefined;
}
