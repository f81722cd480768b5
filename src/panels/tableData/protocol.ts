/**
 * The table data view's channel. The host keeps the table's layout, the query (filter, sort, the row a foreign key
 * led to), the page shown (its rows in a RowStore) and the edits staged on it; the webview asks for the rows it draws.
 * Reading a page is a command: the host answers with notifications, however long it takes. Applying edits is asked
 * about first in the panel (the answer to `apply` without a ticket is the question showing the statements).
 */
import * as v from 'valibot';
import { command, list, notification, protocol, request } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';
import { notice } from '../ipc/notice';
import { cell, columnInfo, rowEdit } from '../sqlResults/protocol';

const rows = list(list(cell));
const edits = v.pipe(list(rowEdit), v.maxLength(100_000));
const columnIndex = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(4095));
const rowIndex = v.pipe(v.number(), v.integer(), v.minValue(0));

export const pageState = v.object({
  /** Unique per page read, so a request for the rows of a page since replaced is told it is gone. */
  id: v.number(),
  columns: list(columnInfo),
  firstRows: rows,
  rowCount: v.number(),
  /** The row number (from 0) of the page's first row, where it is known (paging by key from the end does not know it). */
  from: v.exactOptional(v.number()),
  atStart: v.boolean(),
  atEnd: v.boolean(),
  /** Paged by key, or by OFFSET. */
  keyset: v.boolean(),
  /** The statement that read it, as the server received it. */
  sql: v.string(),
  edits,
  editable: v.boolean(),
});
export type PageState = v.InferOutput<typeof pageState>;

const query = v.object({
  filter: v.string(),
  sort: v.exactOptional(v.object({ column: v.string(), direction: v.picklist(['ASC', 'DESC']) })),
  /** What a followed foreign key matches, as text ("customer_id = 7"), shown apart from the filter. */
  match: v.exactOptional(v.string()),
});


/** Applying waits on the server's locks for as long as the statements run. */
const APPLY_MS = 10 * 60_000;

export const tableProtocol = protocol({
  init: v.object({
    title: v.string(),
    view: v.boolean(),
    readOnly: v.boolean(),
    /** Why rows cannot be edited, if they cannot. */
    readOnlyReason: v.exactOptional(v.string()),
    estimatedRows: v.exactOptional(v.number()),
    pageSize: v.number(),
    query,
    /** Column indexes whose values lead to a row of another table (a foreign key), with where they lead. */
    links: list(v.object({ column: v.number(), label: v.string() })),
    /** Absent until the first page has been read. */
    page: v.exactOptional(pageState),
    busy: v.boolean(),
    notice: v.exactOptional(notice),
  }),
  requests: {
    rows: request(v.object({ page: v.number(), start: rowIndex, count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000)) }), v.object({ rows })),
    /** With the ticket of the question it answered first, runs exactly the statements it showed; outcomes come as notices. */
    apply: request(v.object({ page: v.number(), confirmed: ticket }), v.object({ ask: v.exactOptional(question) }), APPLY_MS),
  },
  commands: {
    /** A new WHERE filter ('' for none): the first page of what it matches is read. */
    filter: command(v.object({ filter: v.pipe(v.string(), v.maxLength(64 * 1024)) })),
    /** Forgets the row a foreign key led to. */
    clearMatch: command(v.object({})),
    /** Sort by a column (by index), or by the key again when absent. */
    sort: command(v.object({ column: v.exactOptional(columnIndex), direction: v.picklist(['ASC', 'DESC']) })),
    go: command(v.object({ to: v.picklist(['first', 'previous', 'next', 'last', 'reload']) })),
    stage: command(v.object({ page: v.number(), edits })),
    /** Opens the row a foreign-key cell refers to (the value is read from the host's copy of the row). */
    follow: command(v.object({ page: v.number(), row: rowIndex, column: columnIndex })),
    cancel: command(v.object({})),
  },
  notifications: {
    query: notification(query),
    page: notification(pageState),
    busy: notification(v.object({ busy: v.boolean(), what: v.exactOptional(v.string()) })),
    notice: notification(notice),
    edits: notification(v.object({ page: v.number(), edits })),
  },
});
