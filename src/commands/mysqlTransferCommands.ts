import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { basename } from 'node:path';
import type { CsvField, CsvImportPlan, CsvMapping, MySqlSession } from '../drivers/mysql';
import type { ColumnSchema } from '../drivers/mysql/schema';
import { isDriverError } from '../drivers/errors';
import { isKind, MySqlProfile } from '../drivers/types';
import { writeWholeFile } from '../drivers/wholeFile';
import { withCancellableProgress } from '../core/progress';
import { profileFor } from './pickProfile';
import { CommandServices } from './commandServices';
import { nodeTarget } from './mysqlCommands';

type Services = Omit<CommandServices, 'tree'>;
type Where = { profile: MySqlProfile; database: string; table?: string };

/** A file given by a caller (a test, a keybinding's args) instead of the save dialog; the tree passes its selection here. */
const givenFile = (arg: unknown): string | undefined => (typeof arg === 'object' && arg !== null && 'file' in arg && typeof arg.file === 'string' ? arg.file : undefined);
const shown = (field: CsvField | undefined): string => (field === null || field === undefined ? 'NULL' : JSON.stringify(field.length > 30 ? `${field.slice(0, 30)}…` : field));

/** SQL dumps of a database or table, and CSV import into a table: the tree's commands over the MySQL driver. */
export function registerMySqlTransferCommands({ profiles, sessions, log }: Services): vscode.Disposable[] {
  const session = (profile: MySqlProfile): Promise<MySqlSession> => sessions.session(profile);

  /** The tree row's database (and table), or a connection and database the user picks. */
  const where = async (arg: unknown, placeHolder: string): Promise<Where | undefined> => {
    const found = nodeTarget(arg);
    if (found) return found;
    const profile = await profileFor(arg, profiles, placeHolder, (p) => p.kind === 'mysql');
    if (!isKind(profile, 'mysql')) return undefined;
    const databases = await (await session(profile)).databases();
    const picked = await vscode.window.showQuickPick(databases, { placeHolder: vscode.l10n.t('Database on {0}', profile.name) });
    return picked ? { profile, database: picked } : undefined;
  };

  const pickTable = async (s: MySqlSession, database: string, placeHolder: string, tablesOnly: boolean): Promise<string | undefined> => {
    const tables = (await s.schema(database)).filter((t) => !tablesOnly || !t.view);
    const picked = await vscode.window.showQuickPick(tables.map((t) => ({ label: t.name, description: t.view ? vscode.l10n.t('view') : vscode.l10n.t('~{0} rows', t.estimatedRows ?? '?') })), { placeHolder });
    return picked?.label;
  };

  const dump = async (target: Where, table: string | undefined, given: string | undefined): Promise<{ file: string; rows: number } | undefined> => {
    const s = await session(target.profile);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
    const name = table ? `${target.database}.${table}.sql` : `${target.database}.sql`;
    const file = given ? vscode.Uri.file(given) : await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, name.replace(/[\\/:*?"<>|]/g, '_')), filters: { SQL: ['sql'] }, saveLabel: vscode.l10n.t('Dump'),
      title: table ? vscode.l10n.t('Dump table {0} of {1} as SQL', table, target.database) : vscode.l10n.t('Dump database {0} as SQL', target.database),
    });
    if (!file) return undefined;
    const what = table ? `${target.database}.${table}` : target.database;
    return withCancellableProgress(vscode.l10n.t('Dumping {0} to {1}', what, basename(file.fsPath)), async (report, signal) => {
      let last = 0;
      try {
        const summary = await writeWholeFile(file.fsPath, (out) => s.dump(out, {
          database: target.database, signal, ...(table ? { tables: [table] } : {}),
          onProgress: (p) => {
            const share = p.total ? (p.done / p.total) * 100 : 0;
            report(vscode.l10n.t('{0}: {1} rows ({2} of {3})', p.table, p.rows.toLocaleString(), p.done + 1, p.total), share - last);
            last = share;
          },
        }));
        void vscode.window.showInformationMessage(vscode.l10n.t('Dumped {0} tables, {1} views, {2} rows, {3} triggers, {4} procedures and functions and {5} events of {6} to {7}.',
          summary.tables, summary.views, summary.rows.toLocaleString(), summary.triggers, summary.routines, summary.events, what, file.fsPath));
        return { file: file.fsPath, rows: summary.rows };
      } catch (error) {
        if (isDriverError(error) && error.code === 'cancelled') void vscode.window.showInformationMessage(vscode.l10n.t('Dump of {0} cancelled: no file was written.', what));
        else log.report(vscode.l10n.t('Dumping {0}', what), error);
        return undefined;
      }
    });
  };

  /** For each CSV field, the column it fills (or none), picked one by one with the first values shown. */
  const mapByHand = async (sample: readonly CsvField[][], header: boolean, columns: readonly ColumnSchema[]): Promise<CsvMapping[] | undefined> => {
    const mapping: CsvMapping[] = [];
    const width = Math.max(...sample.map((r) => r.length));
    for (let field = 0; field < width; field++) {
      const values = sample.slice(header ? 1 : 0).map((r) => shown(r[field])).join(', ');
      const title = header ? `${field + 1}. ${shown(sample[0]?.[field])}` : vscode.l10n.t('Field {0}', field + 1);
      const skip = { label: vscode.l10n.t('$(circle-slash) Skip this field'), column: undefined };
      const free = columns.filter((c) => !mapping.some((m) => m.column === c.name) && !/GENERATED/i.test(c.extra));
      const picked = await vscode.window.showQuickPick([skip, ...free.map((c) => ({ label: c.name, description: c.columnType, column: c.name }))], {
        title: vscode.l10n.t('{0} of {1}: {2}', field + 1, width, title), placeHolder: vscode.l10n.t('Which column does it fill? First values: {0}', values),
      });
      if (!picked) return undefined;
      if (picked.column) mapping.push({ column: picked.column, field });
    }
    return mapping;
  };

  const importCsv = async (arg: unknown): Promise<{ rows: number } | undefined> => {
    const target = await where(arg, vscode.l10n.t('Import a CSV file into a table of which MySQL connection?'));
    if (!target) return undefined;
    const s = await session(target.profile);
    if (s.readOnly) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is a read-only connection: importing is refused.', target.profile.name));
      return undefined;
    }
    const table = target.table ?? (await pickTable(s, target.database, vscode.l10n.t('Import into which table of {0}?', target.database), true));
    if (!table) return undefined;
    const [picked] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv', 'tsv', 'txt'] }, openLabel: vscode.l10n.t('Import'), title: vscode.l10n.t('CSV file to import into {0}', table) })) ?? [];
    if (!picked) return undefined;
    const file = picked.fsPath;
    try {
      await s.forget(target.database);
      const columns = (await s.schema(target.database)).find((t) => t.name === table)?.columns ?? [];
      const delimiter = /\.tsv$/i.test(file) ? '\t' : undefined;
      const sample = await s.previewCsv(file, delimiter, 6);
      const byHeader = s.mappingByHeader(sample[0] ?? [], columns);
      const choices = [
        ...(byHeader.length ? [{ label: vscode.l10n.t('Map by header names'), description: vscode.l10n.t('{0} columns match the first row', byHeader.length), how: 'header' as const }] : []),
        { label: vscode.l10n.t('Pick a column for each field, the first row names them'), how: 'handHeader' as const },
        { label: vscode.l10n.t('Pick a column for each field, no header row'), how: 'hand' as const },
      ];
      const how = await vscode.window.showQuickPick(choices, { placeHolder: vscode.l10n.t('First row: {0}', (sample[0] ?? []).map(shown).join(', ')) });
      if (!how) return undefined;
      const header = how.how !== 'hand';
      const mapping = how.how === 'header' ? byHeader : await mapByHand(sample, header, columns);
      if (!mapping?.length) return undefined;
      const lines = mapping.map((m) => `${header ? shown(sample[0]?.[m.field]) : vscode.l10n.t('Field {0}', m.field + 1)} → ${m.column}`);
      const go = vscode.l10n.t('Import');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('Import {0} into {1}.{2} on {3}?', basename(file), target.database, table, target.profile.name), {
        modal: true, detail: vscode.l10n.t('Rows are added in one transaction; the first bad row stops the import and nothing is kept.\n\n{0}', lines.join('\n')),
      }, go);
      if (answer !== go) return undefined;
      const plan: CsvImportPlan = { database: target.database, table, file, header, mapping, ...(delimiter ? { delimiter } : {}) };
      return await withCancellableProgress(vscode.l10n.t('Importing {0} into {1}', basename(file), table), async (report, signal) => {
        let last = 0;
        try {
          const result = await s.importCsv(plan, {
            signal, onProgress: (rows, share) => {
              report(vscode.l10n.t('{0} rows', rows.toLocaleString()), share * 100 - last);
              last = share * 100;
            },
          });
          void vscode.window.showInformationMessage(vscode.l10n.t('Imported {0} rows into {1}.{2}.', result.rows.toLocaleString(), target.database, table));
          return result;
        } catch (error) {
          if (isDriverError(error) && error.code === 'cancelled') void vscode.window.showInformationMessage(vscode.l10n.t('Import into {0} cancelled: nothing was imported.', table));
          else log.report(vscode.l10n.t('Importing {0} into {1}', basename(file), table), error);
          return undefined;
        }
      });
    } catch (error) {
      log.report(vscode.l10n.t('Importing {0} into {1}', basename(file), table), error);
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand('switchboard.mysql.dumpDatabase', async (arg?: unknown, options?: unknown) => {
      const target = await where(arg, vscode.l10n.t('Dump a database of which MySQL connection?'));
      return target ? dump(target, undefined, givenFile(options)) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.dumpTable', async (arg?: unknown, options?: unknown) => {
      const target = await where(arg, vscode.l10n.t('Dump a table of which MySQL connection?'));
      if (!target) return undefined;
      const table = target.table ?? (await pickTable(await session(target.profile), target.database, vscode.l10n.t('Dump which table of {0}?', target.database), false));
      return table ? dump(target, table, givenFile(options)) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.mysql.importCsv', importCsv),
  ];
}
