import * as vscode from 'vscode';
import { join } from 'node:path';
import { SessionManager } from '../core/sessionManager';
import type { formatSql } from './formatSql';
import { SqlTargets } from './sqlTargets';

type Formatter = typeof formatSql;

/**
 * Format Document and Format Selection for SQL files: sql-formatter in the dialect of the server the file runs on
 * (MariaDB or MySQL, from the live connection; MySQL until one is known).
 */
export class SqlFormatting implements vscode.DocumentFormattingEditProvider, vscode.DocumentRangeFormattingEditProvider {
  private formatter: Formatter | undefined;

  constructor(private readonly bundle: string, private readonly targets: SqlTargets, private readonly sessions: SessionManager) {}

  static register(extensionPath: string, targets: SqlTargets, sessions: SessionManager): vscode.Disposable {
    const provider = new SqlFormatting(join(extensionPath, 'dist', 'editors', 'formatSql.js'), targets, sessions);
    const selector: vscode.DocumentSelector = { language: 'sql' };
    return vscode.Disposable.from(
      vscode.languages.registerDocumentFormattingEditProvider(selector, provider),
      vscode.languages.registerDocumentRangeFormattingEditProvider(selector, provider),
    );
  }

  provideDocumentFormattingEdits(document: vscode.TextDocument, options: vscode.FormattingOptions): vscode.TextEdit[] {
    const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    return this.edits(document, whole, options);
  }

  provideDocumentRangeFormattingEdits(document: vscode.TextDocument, range: vscode.Range, options: vscode.FormattingOptions): vscode.TextEdit[] {
    return this.edits(document, range, options);
  }

  private edits(document: vscode.TextDocument, range: vscode.Range, options: vscode.FormattingOptions): vscode.TextEdit[] {
    const text = document.getText(range);
    if (!text.trim()) return [];
    const formatted = this.load()(text, { dialect: this.dialect(document), tabWidth: options.tabSize, useTabs: !options.insertSpaces });
    if ('refused' in formatted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The SQL was left as it is: {0}.', formatted.refused));
      return [];
    }
    const trailing = /\n$/.test(text) && !formatted.text.endsWith('\n') ? '\n' : '';
    return formatted.text + trailing === text ? [] : [vscode.TextEdit.replace(range, formatted.text + trailing)];
  }

  private dialect(document: vscode.TextDocument): 'mysql' | 'mariadb' {
    const target = this.targets.get(document);
    const state = target ? this.sessions.state(target.profileId) : undefined;
    return state?.status === 'connected' && /^MariaDB/.test(state.description) ? 'mariadb' : 'mysql';
  }

  private load(): Formatter {
    if (!this.formatter) {
      // A computed path keeps the bundler from inlining the formatter into the activation bundle.
      const module: unknown = require(this.bundle);
      if (typeof module !== 'object' || module === null || !('formatSql' in module) || typeof module.formatSql !== 'function') throw new Error('The SQL formatter bundle is missing.');
      this.formatter = module.formatSql as Formatter;
    }
    return this.formatter;
  }
}
