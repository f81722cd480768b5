/**
 * What a statement being typed refers to, read from a lenient lexing of it (sqlLexer.ts): the tables of its FROM /
 * JOIN / UPDATE / INTO clauses with their aliases (derived tables and common table expressions with the names of the
 * columns they select), and what the caret is in the middle of: a name after a dot, a table position, a database
 * after USE, a join condition after ON, or an expression. Nothing here is a guard: it only decides what to offer.
 */
import { closing, dialectOf, isOp, isWord, lex, SqlDialect, Token } from './sqlLexer';
import { RESERVED } from './sqlWords';

export interface TableRef {
  readonly database?: string;
  /** The table's name; for a derived table or a common table expression, its alias. */
  readonly table: string;
  readonly alias?: string;
  /** The names a derived table or a common table expression selects (undefined for a real table). */
  readonly derived?: readonly string[];
  /** Where the reference starts in the statement. */
  readonly start: number;
}

export type CaretContext =
  | { readonly kind: 'none' }
  | { readonly kind: 'member'; readonly qualifier: readonly string[] }
  | { readonly kind: 'tableName' }
  | { readonly kind: 'database' }
  | { readonly kind: 'joinCondition'; readonly joined: TableRef }
  | { readonly kind: 'alias' }
  | { readonly kind: 'expression' };

export interface Scope {
  readonly context: CaretContext;
  readonly refs: readonly TableRef[];
  /** What has been typed of the name under the caret (without an opening backtick). */
  readonly prefix: string;
  /** Where the text to replace starts (the opening backtick, if there is one). */
  readonly replaceStart: number;
  /** Where the name under the caret ends (its closing backtick included): what a completion replaces, not only inserts before. */
  readonly replaceEnd: number;
  /** The name under the caret opens with a backtick. */
  readonly quoted: boolean;
}

const TABLE_KEYWORDS = new Set(['FROM', 'JOIN', 'STRAIGHT_JOIN', 'UPDATE', 'INTO', 'TABLE', 'TRUNCATE']);
const LIST_KEYWORDS = new Set(['FROM', 'UPDATE']);
/** Where a FROM or UPDATE list of tables ends. */
const LIST_ENDS = new Set(['WHERE', 'ON', 'USING', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'SET', 'JOIN', 'STRAIGHT_JOIN', 'INNER', 'LEFT', 'RIGHT', 'CROSS', 'NATURAL', 'UNION', 'WINDOW', 'SELECT', 'VALUES']);

const isName = (t: Token | undefined): boolean => t !== undefined && (t.kind === 'quoted' || (t.kind === 'word' && !RESERVED.has(t.text)));

/** A name as written: a word keeps its spelling, a quoted name is its content. */
const nameOf = (sql: string, t: Token): string => (t.kind === 'quoted' ? t.text : sql.slice(t.start, t.end));


/** The names a parenthesised SELECT at `open` returns: each select item's alias, or its last name. */
function selectedNames(sql: string, tokens: readonly Token[], open: number): string[] {
  const end = closing(tokens, open) - 1;
  let i = open + 1;
  while (isOp(tokens[i], '(')) i++;
  if (!isWord(tokens[i], 'SELECT')) return [];
  const names: string[] = [];
  let last: string | undefined;
  for (i++; i < end; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(')) {
      i = closing(tokens, i) - 1;
      continue;
    }
    if (isOp(t, ',') || isWord(t, 'FROM')) {
      if (last) names.push(last);
      last = undefined;
      if (isWord(t, 'FROM')) return names;
    } else if (isName(t) || (t.kind === 'word' && isOp(tokens[i - 1], '.'))) last = nameOf(sql, t);
  }
  if (last) names.push(last);
  return names;
}

/** The table reference starting at token `i`, and the index after it. */
function readRef(sql: string, tokens: readonly Token[], i: number): { ref?: TableRef; next: number } {
  const first = tokens[i];
  if (!first) return { next: i };
  let ref: { database?: string; table: string; derived?: string[] } | undefined;
  let next = i;
  if (isOp(first, '(')) {
    next = closing(tokens, i);
    ref = { table: '', derived: selectedNames(sql, tokens, i) };
  } else if (isName(first) || first.kind === 'word') {
    if (isOp(tokens[i + 1], '.') && tokens[i + 2] && (tokens[i + 2]!.kind === 'word' || tokens[i + 2]!.kind === 'quoted')) {
      ref = { database: nameOf(sql, first), table: nameOf(sql, tokens[i + 2]!) };
      next = i + 3;
    } else if (isOp(tokens[i + 1], '.')) {
      // "db." being typed: not a table yet.
      return { next: i + 2 };
    } else if (isName(first)) {
      ref = { table: nameOf(sql, first) };
      next = i + 1;
    }
  }
  if (!ref) return { next: i + 1 };
  let alias: string | undefined;
  if (isWord(tokens[next], 'AS') && isName(tokens[next + 1])) {
    alias = nameOf(sql, tokens[next + 1]!);
    next += 2;
  } else if (isName(tokens[next])) {
    alias = nameOf(sql, tokens[next]!);
    next += 1;
  }
  if (ref.derived && !alias) return { next };
  const table = ref.derived ? alias! : ref.table;
  return { ref: { ...ref, table, ...(alias ? { alias } : {}), start: first.start }, next };
}

/** Every table the statement names in FROM, JOIN, UPDATE and INSERT / REPLACE INTO, and its common table expressions. */
export function tableRefs(sql: string, tokens: readonly Token[]): TableRef[] {
  const refs: TableRef[] = [];
  let list = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isWord(t, 'WITH', 'RECURSIVE') || (isOp(t, ',') && isOp(tokens[i - 1], ')') && isName(tokens[i + 1]) && isWord(tokens[i + 2], 'AS') && isOp(tokens[i + 3], '('))) {
      // A common table expression: name [ (columns) ] AS ( SELECT … ).
      const name = tokens[i + 1];
      if (name && isName(name) && isWord(tokens[i + 2], 'AS') && isOp(tokens[i + 3], '(')) {
        refs.push({ table: nameOf(sql, name), derived: selectedNames(sql, tokens, i + 3), start: name.start });
      }
      continue;
    }
    const opens = t.kind === 'word' && TABLE_KEYWORDS.has(t.text) && !(t.text === 'INTO' && !isWord(tokens[i - 1], 'INSERT', 'REPLACE', 'IGNORE'));
    if (opens || (isOp(t, ',') && list)) {
      const { ref, next } = readRef(sql, tokens, i + 1);
      if (ref) refs.push(ref);
      list = opens ? LIST_KEYWORDS.has(t.text) : list;
      i = next - 1;
    } else if (t.kind === 'word' && LIST_ENDS.has(t.text)) {
      list = false;
    }
  }
  return refs;
}

/** The context of the caret: what comes before it, read back to the clause it is in. */
function caretContext(sql: string, before: readonly Token[], refs: readonly TableRef[]): CaretContext {
  const last = before.at(-1);
  if (isOp(last, '.')) {
    const qualifier: string[] = [];
    let i = before.length - 2;
    while (before[i] && (before[i]!.kind === 'word' || before[i]!.kind === 'quoted')) {
      qualifier.unshift(nameOf(sql, before[i]!));
      if (!isOp(before[i - 1], '.')) break;
      i -= 2;
    }
    return qualifier.length ? { kind: 'member', qualifier: qualifier.slice(-2) } : { kind: 'expression' };
  }
  if (isWord(last, 'USE')) return { kind: 'database' };
  // A new name is being given (an alias, a column's name): nothing to offer for it.
  if (isWord(last, 'AS')) return { kind: 'none' };
  if (last?.kind === 'word' && TABLE_KEYWORDS.has(last.text) && !(last.text === 'INTO' && !isWord(before.at(-2), 'INSERT', 'REPLACE', 'IGNORE'))) return { kind: 'tableName' };
  if (isWord(last, 'DESCRIBE', 'DESC', 'EXPLAIN') && before.length === 1) return { kind: 'tableName' };
  // The clause the caret is in: the nearest clause keyword at the caret's parenthesis depth.
  let clause: Token | undefined;
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const t = before[i]!;
    if (isOp(t, ')')) depth++;
    else if (isOp(t, '(')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && t.kind === 'word' && (LIST_ENDS.has(t.text) || TABLE_KEYWORDS.has(t.text) || t.text === 'AND' || t.text === 'OR')) {
      if (t.text === 'AND' || t.text === 'OR') continue;
      clause = t;
      break;
    }
  }
  if (isOp(last, ',') && clause && LIST_KEYWORDS.has(clause.text)) return { kind: 'tableName' };
  if (isWord(clause, 'ON') && (isWord(last, 'ON', 'AND', 'OR'))) {
    const joined = refs.filter((r) => r.start < clause!.start).at(-1);
    if (joined) return { kind: 'joinCondition', joined };
  }
  // Right after a table reference: an alias, or the keyword that comes next.
  if (isName(last) && clause && TABLE_KEYWORDS.has(clause.text)) return { kind: 'alias' };
  return { kind: 'expression' };
}

/** What the caret at `offset` of one statement is in, and the tables the statement refers to. */
export function scopeAt(sql: string, offset: number, dialect: SqlDialect): Scope {
  const tokens = lex(sql, dialect, { lenient: true });
  const none = (start: number): Scope => ({ context: { kind: 'none' }, refs: [], prefix: '', replaceStart: start, replaceEnd: start, quoted: false });
  const at = tokens.find((t) => t.kind !== 'op' && t.start < offset && (offset < t.end || (offset === t.end && (t.kind !== 'comment' || t.unterminated || sql[t.start] !== '/'))));
  if (at?.kind === 'comment' || (at?.kind === 'string' && (offset < at.end || at.unterminated))) return none(offset);
  let prefix = '';
  let replaceStart = offset;
  let replaceEnd = offset;
  let quoted = false;
  if (at?.kind === 'quoted') {
    quoted = true;
    replaceStart = at.start;
    replaceEnd = at.end;
    prefix = sql.slice(at.start + 1, offset).replace(/``/g, '`');
  } else if (at?.kind === 'word' || at?.kind === 'number') {
    replaceStart = at.start;
    replaceEnd = at.end;
    prefix = sql.slice(at.start, offset);
  }
  const code = tokens.filter((t) => t.kind !== 'comment');
  const refs = tableRefs(sql, code);
  const before = code.filter((t) => t.end <= replaceStart && t !== at);
  return { context: caretContext(sql, before, refs), refs, prefix, replaceStart, replaceEnd, quoted };
}

/** The name under the caret (for hover): where it is, what it says, and the names it is qualified with. */
export function nameAt(sql: string, offset: number, dialect: SqlDialect): { start: number; end: number; name: string; qualifier: string[]; refs: TableRef[] } | undefined {
  const tokens = lex(sql, dialect, { lenient: true }).filter((t) => t.kind !== 'comment');
  const index = tokens.findIndex((t) => t.start <= offset && offset < t.end);
  const t = tokens[index];
  if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) return undefined;
  const qualifier: string[] = [];
  for (let i = index - 1; isOp(tokens[i], '.') && tokens[i - 1] && (tokens[i - 1]!.kind === 'word' || tokens[i - 1]!.kind === 'quoted'); i -= 2) {
    qualifier.unshift(nameOf(sql, tokens[i - 1]!));
  }
  return { start: t.start, end: t.end, name: nameOf(sql, t), qualifier: qualifier.slice(-2), refs: tableRefs(sql, tokens) };
}

/** Statements that change what a schema holds: after one runs, what completion knows is read again. */
const DDL = new Set(['CREATE', 'ALTER', 'DROP', 'RENAME']);

/** Whether a statement is DDL (CREATE, ALTER, DROP, RENAME, also inside an executable comment), read leniently. */
export function changesSchema(sql: string): boolean {
  const first = lex(sql, dialectOf('', '8.0.0'), { lenient: true }).find((t) => t.kind !== 'comment');
  return first?.kind === 'word' && DDL.has(first.text);
}
