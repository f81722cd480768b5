/**
 * The SQL results panel's channel. The host keeps every result set of the last run (its rows in a RowStore), the
 * statements' outcomes and the edits staged in the grid; a webview that was hidden is given all of it again by the
 * handshake and asks for the rows it draws.
 */
import * as v from 'valibot';
import { command, list, NONE, notification, protocol, request } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';
import { notice } from '../ipc/notice';

export const cell = v.nullable(v.string());
const row = list(cell);
const rows = list(row);

export const columnInfo = v.object({
  name: v.string(), origin: v.string(), table: v.string(), database: v.string(), type: v.string(),
  kind: v.picklist(['number', 'text', 'binary', 'json', 'date', 'other']), primaryKey: v.boolean(),
});

const sqlError = v.object({
  message: v.string(), code: v.exactOptional(v.string()), errno: v.exactOptional(v.number()), sqlState: v.exactOptional(v.string()), line: v.exactOptional(v.number()),
});
const summary = v.variant('kind', [
  v.object({ kind: v.literal('rows'), columns: list(columnInfo), rowCount: v.number(), complete: v.boolean(), capped: v.union([v.literal(false), v.literal('rows'), v.literal('bytes')]) }),
  v.object({ kind: v.literal('change'), affectedRows: v.number(), changedRows: v.exactOptional(v.number()), insertId: v.exactOptional(v.string()), warnings: v.number(), info: v.exactOptional(v.string()) }),
]);
export const outcome = v.object({
  statement: v.string(), line: v.number(), ms: v.number(), results: list(summary), error: v.exactOptional(sqlError), cancelled: v.exactOptional(v.boolean()),
});

/** A column index of the set and the value staged for it. */
const staged = v.object({ column: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(4095)), value: v.nullable(v.pipe(v.string(), v.maxLength(64 * 1024 * 1024))) });
const rowIndex = v.pipe(v.number(), v.integer(), v.minValue(0));

/** A change staged in the grid: to a row by its index in the set, or a new row. */
export const rowEdit = v.variant('kind', [
  v.object({ kind: v.literal('update'), row: rowIndex, values: v.pipe(list(staged), v.minLength(1), v.maxLength(4096)) }),
  v.object({ kind: v.literal('delete'), row: rowIndex }),
  v.object({ kind: v.literal('insert'), values: v.pipe(list(staged), v.minLength(1), v.maxLength(4096)) }),
]);
export type RowEdit = v.InferOutput<typeof rowEdit>;
const edits = v.pipe(list(rowEdit), v.maxLength(100_000));

const setInfo = v.object({
  /** Unique across runs, so that a request for a set of an earlier run is told it is gone. */
  id: v.number(),
  /** The statement (by index in the run) that produced it. */
  statement: v.number(),
  columns: list(columnInfo),
  /** Rows can be edited by primary key (one table, its whole key in the result, a writable connection). */
  editable: v.boolean(),
  /** The statement can run again into a file (not for ORM or scratchpad rows). */
  exportable: v.boolean(),
});

/** A result set as the webview is given it: what it is, its first rows, how many it has now, and its staged edits. */
const setState = v.object({ ...setInfo.entries, firstRows: rows, rowCount: v.number(), edits });
export type SetState = v.InferOutput<typeof setState>;

const runState = v.object({
  /** Bumped by every run: what the webview remembers (tab, scroll, selection) belongs to one run. */
  run: v.number(),
  title: v.string(),
  statements: v.number(),
  readOnly: v.boolean(),
  /** Absent while the run goes on. */
  done: v.exactOptional(v.object({ ms: v.number(), cancelled: v.boolean() })),
});

/** Something the host did on the panel's behalf (an export, applied edits), or why it could not. */

/** Applying waits on the server's locks for as long as the statements run. */
const APPLY_MS = 10 * 60_000;

export const resultsProtocol = protocol({
  init: v.object({
    /** Absent until the first run. */
    run: v.exactOptional(runState),
    sets: list(setState),
    outcomes: list(outcome),
    /** Whether an export or the review of edits is under way (their buttons wait). */
    busy: v.boolean(),
  }),
  requests: {
    rows: request(v.object({ set: v.number(), start: rowIndex, count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000)) }), v.object({ rows })),
    cancel: request(NONE, v.object({ cancelled: v.boolean() })),
    /**
     * Without `confirmed` nothing is applied: the answer is the question showing the statements the staged edits
     * become; the same request with its ticket runs exactly those in one transaction (what happened comes as a notice).
     */
    apply: request(v.object({ set: v.number(), confirmed: ticket }), v.object({ ask: v.exactOptional(question) }), APPLY_MS),
  },
  commands: {
    /** Replaces the edits staged for a set (the host keeps them while the webview is hidden). */
    stage: command(v.object({ set: v.number(), edits })),
    export: command(v.object({ set: v.number(), format: v.picklist(['csv', 'json']) })),
  },
  notifications: {
    start: notification(runState),
    set: notification(setState),
    progress: notification(v.object({ sets: list(v.object({ id: v.number(), rowCount: v.number() })) })),
    statement: notification(v.object({ index: v.number(), outcome })),
    done: notification(v.object({ ms: v.number(), cancelled: v.boolean() })),
    /** A set's staged edits as the host now holds them (after they were applied, or refused). */
    edits: notification(v.object({ set: v.number(), edits })),
    busy: notification(v.object({ busy: v.boolean() })),
    notice: notification(notice),
  },
});
