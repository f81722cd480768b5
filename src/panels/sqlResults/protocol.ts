/** Messages between the SQL results webview and the extension. Imported by both sides. */
import type { Cell, ColumnInfo, StatementOutcome } from '../../drivers/mysql/resultShapes';

export interface SetInfo {
  readonly id: number;
  readonly statement: number;
  readonly columns: readonly ColumnInfo[];
  /** Rows editable by primary key (one table, its whole key in the result). */
  readonly editable: boolean;
}

export interface SetProgress {
  readonly id: number;
  readonly rowCount: number;
}

export type ResultsRequest =
  | { readonly type: 'rows'; readonly set: number; readonly start: number; readonly count: number }
  | { readonly type: 'cancel' }
  | { readonly type: 'export'; readonly set: number; readonly format: 'csv' | 'json' }
  | { readonly type: 'reviewEdits'; readonly set: number; readonly edits: readonly RowEdit[] };

/** A change to one row of an editable set, by row index; `values` by column index. */
export type RowEdit =
  | { readonly kind: 'update'; readonly row: number; readonly values: Readonly<Record<number, Cell>> }
  | { readonly kind: 'delete'; readonly row: number }
  | { readonly kind: 'insert'; readonly values: Readonly<Record<number, Cell>> };

export interface ResultsResponses {
  rows: { readonly rows?: readonly (readonly Cell[])[]; readonly error?: string };
  cancel: { readonly cancelled?: boolean; readonly error?: string };
  export: { readonly rows?: number; readonly file?: string; readonly error?: string };
  reviewEdits: { readonly applied?: number; readonly error?: string };
}
export type ResultsResponse = ResultsResponses[ResultsRequest['type']];

export type ToHost = { readonly type: 'ready' } | { readonly type: 'request'; readonly id: number; readonly request: ResultsRequest };

export type ToResults =
  | { readonly type: 'start'; readonly title: string; readonly statements: number; readonly readOnly: boolean }
  | { readonly type: 'set'; readonly set: SetInfo; readonly firstRows: readonly (readonly Cell[])[] }
  | { readonly type: 'progress'; readonly sets: readonly SetProgress[] }
  | { readonly type: 'statement'; readonly index: number; readonly outcome: StatementOutcome }
  | { readonly type: 'done'; readonly ms: number; readonly cancelled: boolean }
  | { readonly type: 'response'; readonly id: number; readonly response: ResultsResponse };
