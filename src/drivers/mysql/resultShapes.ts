/** Query results as the grid shows them. Plain data, shared with the webview: no Node or mysql2 types here. */

/** How a column's cells read: numbers align right, binary shows as hex, JSON and dates are kept as the server sent them. */
export type ColumnKind = 'number' | 'text' | 'binary' | 'json' | 'date' | 'other';

export interface ColumnInfo {
  readonly name: string;
  /** The table column it was read from, when `name` is an alias of it ('' for computed columns). */
  readonly origin: string;
  /** The table it comes from, if any (for editing by primary key). */
  readonly table: string;
  readonly database: string;
  /** The MySQL type name, e.g. "BIGINT", "VARCHAR", "BLOB". */
  readonly type: string;
  readonly kind: ColumnKind;
  readonly primaryKey: boolean;
}

/** A cell: null is SQL NULL, distinct from the empty string; binary as 0x-prefixed hex (possibly cut, see `binaryCut`). */
export type Cell = string | null;

/** Why a result set stopped early: it reached the rows, or the bytes of row data, kept per set; false if it did not. */
export type Cap = false | 'rows' | 'bytes';

/** What a statement produced: rows with columns, or the counts of a data change. */
export type ResultSummary =
  | { readonly kind: 'rows'; readonly columns: readonly ColumnInfo[]; readonly rowCount: number; readonly complete: boolean; readonly capped: Cap }
  | { readonly kind: 'change'; readonly affectedRows: number; readonly changedRows?: number; readonly insertId?: string; readonly warnings: number; readonly info?: string };

export interface StatementOutcome {
  readonly statement: string;
  /** Zero-based line of the statement in its editor. */
  readonly line: number;
  readonly ms: number;
  readonly results: readonly ResultSummary[];
  readonly error?: SqlErrorInfo;
  readonly cancelled?: boolean;
}

export interface SqlErrorInfo {
  readonly message: string;
  readonly code?: string;
  readonly errno?: number;
  readonly sqlState?: string;
  /** Line in the editor the error points to: where the server's "at line N" says, else the statement's first line. */
  readonly line?: number;
}
