import { mysqlSplitterOptions, splitQuery } from 'dbgate-query-splitter';
import type { SplitResultItem } from 'dbgate-query-splitter/lib/splitQuery';

export interface Statement {
  readonly text: string;
  /** Offsets in the source, start inclusive, end exclusive (leading whitespace and comments excluded from start). */
  readonly start: number;
  readonly end: number;
  /** Zero-based line of the statement's first character in the source. */
  readonly line: number;
}

/** Splits a script into statements the way the mysql client does: quotes, comments and DELIMITER respected. */
export function splitStatements(sql: string): Statement[] {
  const items: SplitResultItem[] = splitQuery(sql, { ...mysqlSplitterOptions, returnRichInfo: true });
  return items.flatMap((item) => {
    if (typeof item === 'string') return [];
    const start = item.trimStart ?? item.start;
    return item.text.trim() ? [{ text: item.text, start: start.position, end: (item.trimEnd ?? item.end).position, line: start.line }] : [];
  });
}

/** The statement the cursor is in, or the nearest one before it (the cursor often sits after the semicolon). */
export function statementAt(sql: string, offset: number): Statement | undefined {
  const statements = splitStatements(sql);
  return statements.find((s) => offset >= s.start && offset <= s.end + 1) ?? statements.filter((s) => s.end <= offset).at(-1) ?? statements[0];
}
