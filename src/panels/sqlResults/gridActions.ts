import * as vscode from 'vscode';
import { createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { EditRequest, EditTarget, MySqlSession, PreparedEdit } from '../../drivers/mysql';
import type { Cell } from '../../drivers/mysql/resultShapes';
import { DriverError } from '../../drivers/errors';
import { withCancellableProgress } from '../../core/progress';
import type { RowEdit } from './protocol';
import { listed, Question } from '../ipc/question';

/** Where the rows a grid edits came from: the rows as they were read, and where to put them once changed. */
export interface EditedRows {
  slice(start: number, end: number): Cell[][];
  set(index: number, row: Cell[]): void;
}

/** The driver's edit requests for what the grid staged, each change paired with its row as it was read. */
export function editRequests(rows: EditedRows, edits: readonly RowEdit[]): EditRequest[] {
  return edits.map((edit): EditRequest => {
    const values = edit.kind === 'delete' ? {} : Object.fromEntries(edit.values.map((v) => [v.column, v.value]));
    if (edit.kind === 'insert') return { kind: 'insert', values };
    const original = rows.slice(edit.row, edit.row + 1)[0];
    if (!original) throw new DriverError('config', vscode.l10n.t('Row {0} is not in this result any more.', edit.row + 1), { worded: vscode.l10n.t('Read the rows again, then edit again.') });
    return edit.kind === 'delete' ? { kind: 'delete', row: edit.row, original } : { kind: 'update', row: edit.row, original, values };
  });
}

/** Staged edits as the user was shown them before applying: exactly these statements run, or none. */
export interface ReviewedEdits {
  /** The staged edits reviewed; staging other edits since makes the review stale. */
  readonly edits: readonly RowEdit[];
  readonly requests: readonly EditRequest[];
  readonly statements: readonly PreparedEdit[];
}

/** The statements the staged edits become, with their bound values, and the question that shows them first. */
export function reviewEdits(session: MySqlSession, target: EditTarget, rows: EditedRows, edits: readonly RowEdit[]): { reviewed: ReviewedEdits; words: Omit<Question, 'ticket'> } {
  if (edits.length === 0) throw new DriverError('config', vscode.l10n.t('There are no changes to apply.'));
  const requests = editRequests(rows, edits);
  const statements = session.editStatements(target, requests);
  const count = statements.length;
  return {
    reviewed: { edits, requests, statements },
    words: {
      message: count === 1 ? vscode.l10n.t('Apply 1 change to {0} in one transaction?', target.table) : vscode.l10n.t('Apply {0} changes to {1} in one transaction?', count, target.table),
      ...listed(session.describeEdits(statements)),
      detail: vscode.l10n.t('Each statement changes exactly the row as it was read (every column compared), or nothing is saved.'),
      action: vscode.l10n.t('Apply'),
    },
  };
}

/**
 * Runs reviewed statements in one transaction, if the edits staged now are still the ones reviewed: the number
 * applied. Updated rows are written back to `rows`.
 */
export async function applyReviewed(session: MySqlSession, reviewed: ReviewedEdits, staged: readonly RowEdit[], rows: EditedRows): Promise<number> {
  if (!isDeepStrictEqual(staged, reviewed.edits)) throw new DriverError('config', vscode.l10n.t('The changes were edited after they were reviewed: nothing was applied.'), { worded: vscode.l10n.t('Review and apply them again.') });
  const applied = await session.applyStatements(reviewed.statements);
  for (const request of reviewed.requests) {
    if (request.kind !== 'update') continue;
    const row = [...request.original];
    for (const [i, v] of Object.entries(request.values)) row[Number(i)] = v;
    rows.set(request.row, row);
  }
  return applied;
}

/** Runs a statement again, streaming its whole result into a file the user picks: rows written and where, or undefined. */
export async function exportRows(session: MySqlSession, sql: string, name: string, format: 'csv' | 'json', database: string | undefined): Promise<{ rows: number; file: string } | undefined> {
  const file = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(join(homedir(), `${name}.${format}`)),
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, saveLabel: vscode.l10n.t('Export'),
    title: vscode.l10n.t('Export the full result (the statement runs again, streaming into the file)'),
  });
  if (!file) return undefined;
  return withCancellableProgress(vscode.l10n.t('Exporting to {0}', file.fsPath), async (report, signal) => {
    const out = createWriteStream(file.fsPath);
    try {
      const rows = await session.export(sql, out, {
        format, signal, onProgress: (n) => report(n === 1 ? vscode.l10n.t('{0} row', n.toLocaleString()) : vscode.l10n.t('{0} rows', n.toLocaleString())), ...(database ? { database } : {}),
      });
      return { rows, file: file.fsPath };
    } finally {
      await new Promise((resolve) => out.end(resolve));
    }
  });
}
