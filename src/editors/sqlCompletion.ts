import * as vscode from 'vscode';
import type { MySqlSession } from '../drivers/mysql';
import type { CompletionKind, HoverFacts } from '../drivers/mysql/sqlCompletion';
import { SessionManager } from '../core/sessionManager';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { SqlTargets } from './sqlTargets';

const KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  column: vscode.CompletionItemKind.Field, table: vscode.CompletionItemKind.Class, view: vscode.CompletionItemKind.Interface,
  database: vscode.CompletionItemKind.Module, keyword: vscode.CompletionItemKind.Keyword, function: vscode.CompletionItemKind.Function,
  join: vscode.CompletionItemKind.Reference,
};

const KEYS: Record<string, () => string> = { PRI: () => vscode.l10n.t('primary key'), UNI: () => vscode.l10n.t('unique key'), MUL: () => vscode.l10n.t('indexed (non-unique key)') };

/** A hover's text: server names and comments are appended as text, never read as markdown. */
function hoverText(facts: HoverFacts): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const line = (label: string, value: string): void => {
    md.appendMarkdown(`\n\n**${label}** `);
    md.appendText(value);
  };
  if (facts.kind === 'table') {
    const t = facts.table;
    md.appendMarkdown(`**${t.view ? vscode.l10n.t('View') : vscode.l10n.t('Table')}** `);
    md.appendText(`${facts.database}.${t.name}`);
    if (!t.view && t.estimatedRows !== undefined) line(vscode.l10n.t('Rows'), vscode.l10n.t('about {0} (estimate)', t.estimatedRows.toLocaleString()));
    const key = t.columns.filter((c) => c.key === 'PRI').map((c) => c.name);
    line(vscode.l10n.t('Primary key'), key.length ? key.join(', ') : vscode.l10n.t('none'));
    line(vscode.l10n.t('Columns'), t.columns.map((c) => `${c.name} ${c.columnType}`).join(', ') || vscode.l10n.t('(loading)'));
    for (const fk of t.foreignKeys) line(vscode.l10n.t('Foreign key'), `(${fk.columns.join(', ')}) → ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`);
    if (t.comment) line(vscode.l10n.t('Comment'), t.comment);
    return md;
  }
  const c = facts.column;
  md.appendMarkdown(`**${vscode.l10n.t('Column')}** `);
  md.appendText(`${facts.table}.${c.name}`);
  line(vscode.l10n.t('Type'), c.nullable ? c.columnType : vscode.l10n.t('{0} not null', c.columnType));
  line(vscode.l10n.t('Key'), [KEYS[c.key]?.() ?? vscode.l10n.t('none'), facts.references ? vscode.l10n.t('references {0}({1})', facts.references.table, facts.references.column) : ''].filter(Boolean).join(', '));
  line(vscode.l10n.t('Default'), c.defaultValue === null ? (c.nullable ? 'NULL' : vscode.l10n.t('none')) : c.defaultValue);
  if (c.extra) line(vscode.l10n.t('Extra'), c.extra);
  if (c.comment) line(vscode.l10n.t('Comment'), c.comment);
  return md;
}

/**
 * Completion and hover in .sql editors bound to a MySQL connection, from the schema the connection's session has
 * loaded so far: keywords and functions of the server, databases, tables, the columns of the tables the statement
 * names (aliases resolved), joins along foreign keys after ON. Only a connection already open is asked: typing
 * never opens one (which could ask for a password).
 */
export class SqlCompletion implements vscode.CompletionItemProvider, vscode.HoverProvider {
  constructor(private readonly targets: SqlTargets, private readonly sessions: SessionManager, private readonly profiles: ConnectionCatalog) {}

  static register(targets: SqlTargets, sessions: SessionManager, profiles: ConnectionCatalog): vscode.Disposable {
    const provider = new SqlCompletion(targets, sessions, profiles);
    const selector: vscode.DocumentSelector = { language: 'sql' };
    return vscode.Disposable.from(
      vscode.languages.registerCompletionItemProvider(selector, provider, '.', '`'),
      vscode.languages.registerHoverProvider(selector, provider),
    );
  }

  private async session(document: vscode.TextDocument): Promise<{ session: MySqlSession; database: string | undefined } | undefined> {
    const target = this.targets.get(document);
    const profile = target ? this.profiles.get(target.profileId) : undefined;
    if (!target || profile?.kind !== 'mysql' || !this.sessions.isOpen(profile.id)) return undefined;
    return { session: await this.sessions.session(profile), database: target.database };
  }

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionList | undefined> {
    const bound = await this.session(document);
    if (!bound) return undefined;
    const facts = bound.session.complete(document.getText(), document.offsetAt(position), bound.database);
    const start = document.positionAt(facts.replaceStart);
    const end = document.positionAt(Math.max(facts.replaceEnd, facts.replaceStart));
    // A quoted name broken over lines cannot be replaced by an item (VS Code's ranges are single-line).
    if (start.line !== position.line) return new vscode.CompletionList([], facts.incomplete);
    const whole = new vscode.Range(start, end.line === position.line ? end : position);
    // Typing inserts before the caret; accepting with replace replaces the whole name. Inside `name` (closed), the
    // item brings its own backticks, so it always replaces through the closing one.
    const range = facts.quoted ? whole : { inserting: new vscode.Range(start, position), replacing: whole };
    const items = facts.items.map((fact) => {
      const item = new vscode.CompletionItem({ label: fact.label, description: fact.detail }, KINDS[fact.kind]);
      item.insertText = fact.snippet ? new vscode.SnippetString(fact.insertText) : fact.insertText;
      item.sortText = fact.sortText;
      item.detail = fact.detail;
      item.range = range;
      if (facts.quoted) item.filterText = `\`${fact.label}`;
      return item;
    });
    return new vscode.CompletionList(items, facts.incomplete);
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const bound = await this.session(document);
    const facts = bound?.session.hover(document.getText(), document.offsetAt(position), bound.database);
    return facts && new vscode.Hover(hoverText(facts), new vscode.Range(document.positionAt(facts.start), document.positionAt(facts.end)));
  }
}
