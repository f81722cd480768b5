import * as vscode from 'vscode';
import { MySqlProfile } from '../drivers/types';
import { Disposable } from '../core/disposable';
import { ConnectionCatalog } from '../storage/connectionCatalog';

export interface SqlTarget {
  readonly profileId: string;
  readonly database?: string;
}

const KEY = 'switchboard.sqlTargets';
const isSqlEditor = (editor: vscode.TextEditor | undefined): editor is vscode.TextEditor => editor?.document.languageId === 'sql';

/**
 * Which MySQL connection and database each .sql document runs against, remembered per workspace, shown in the status
 * bar while a .sql editor is active; clicking it picks another.
 */
export class SqlTargets extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly state: vscode.Memento, private readonly profiles: ConnectionCatalog) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('switchboard.sqlTarget', vscode.StatusBarAlignment.Left, 50));
    this.item.name = vscode.l10n.t('Switchboard SQL connection');
    this.item.command = 'switchboard.mysql.pickTarget';
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.register(profiles.onDidChange(() => this.update()));
    this.update();
  }

  get(document: vscode.TextDocument): SqlTarget | undefined {
    const target = this.all()[document.uri.toString()];
    return target && this.profiles.get(target.profileId)?.kind === 'mysql' ? target : undefined;
  }

  async set(document: vscode.TextDocument, target: SqlTarget): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [document.uri.toString()]: target });
    this.update();
  }

  /** The target of a document, asking for one (connection, then database) when it has none. */
  async resolve(document: vscode.TextDocument, ask: () => Promise<SqlTarget | undefined>): Promise<{ profile: MySqlProfile; database?: string } | undefined> {
    const target = this.get(document) ?? (await ask());
    if (!target) return undefined;
    if (!this.get(document)) await this.set(document, target);
    const profile = this.profiles.get(target.profileId);
    return profile?.kind === 'mysql' ? { profile, ...(target.database ? { database: target.database } : {}) } : undefined;
  }

  private all(): Record<string, SqlTarget> {
    return this.state.get<Record<string, SqlTarget>>(KEY, {});
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    if (!isSqlEditor(editor)) {
      this.item.hide();
      return;
    }
    const target = this.get(editor.document);
    const profile = target ? this.profiles.get(target.profileId) : undefined;
    this.item.text = profile ? `$(database) ${profile.name}${target?.database ? ` · ${target.database}` : ''}` : '$(database) Pick a MySQL connection';
    this.item.tooltip = profile ? vscode.l10n.t('Statements in this file run here (Ctrl+Enter). Click to change.') : vscode.l10n.t('Choose where the statements in this file run.');
    this.item.show();
  }
}
