import * as vscode from 'vscode';
import { createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EditRequest, EditTarget, MySqlSession } from '../../drivers/mysql';
import type { Cell } from '../../drivers/mysql/resultShapes';
import { DriverError } from '../../drivers/errors';
import type { RowEdit } from './protocol';

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
    if (!original) throw new DriverError('config', `Row ${edit.row + 1} is not in this result any more.`, 'Read the rows again, then edit again.');
    return edit.kind === 'delete' ? { kind: 'delete', row: edit.row, original } : { kind: 'update', row: edit.row, original, values };
  });
}

/**
 * Shows the statements the staged edits become, with their bound values, and runs them in one transaction only after
 * the user agrees: the number applied, or undefined if the user declined. Updated rows are written back to `rows`.
 */
export async function reviewAndApply(session: MySqlSession, target: EditTarget, rows: EditedRows, edits: readonly RowEdit[]): Promise<number | undefined> {
  if (edits.length === 0) throw new DriverError('config', 'There are no changes to apply.');
  const requests = editRequests(rows, edits);
  const statements = session.editStatements(target, requests);
  const described = session.describeEdits(statements);
  const review = described.length > 8 ? [...described.slice(0, 8), `… and ${described.length - 8} more`] : described;
  const detail = `Each statement changes exactly the row as it was read (every column compared), or nothing is saved.\n\n${review.join('\n\n')}`;
  const choice = await vscode.window.showWarningMessage(`Apply ${statements.length} change${statements.length === 1 ? '' : 's'} to ${target.table} in one transaction?`, { modal: true, detail }, 'Apply');
  if (choice !== 'Apply') return undefined;
  const applied = await session.applyStatements(statements);
  for (const request of requests) {
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
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] }, saveLabel: 'Export',
    title: 'Export the full result (the statement runs again, streaming into the file)',
  });
  if (!file) return undefined;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting to ${file.fsPath}`, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const out = createWriteStream(file.fsPath);
    try {
      const rows = await session.export(sql, out, {
        format, signal: controller.signal, onProgress: (n) => progress.report({ message: `${n.toLocaleString()} rows` }), ...(database ? { database } : {}),
      });
      return { rows, file: file.fsPath };
    } finally {
      await new Promise((resolve) => out.end(resolve));
    }
  });
}
