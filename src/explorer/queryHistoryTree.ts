import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { HistoryEntry, QueryHistory } from '../storage/queryHistory';

/** The most entries listed per connection; older ones are found with Search Query History. */
const SHOWN = 200;

/** A connection's part of the history. */
export class HistoryConnectionNode {
  constructor(readonly profileId: string, readonly count: number) {}
}

/** One statement of the history. */
export class HistoryEntryNode {
  constructor(readonly entry: HistoryEntry) {}
}

export type HistoryNode = HistoryConnectionNode | HistoryEntryNode;

export function firstLine(sql: string): string {
  const line = sql.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

export function ago(at: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return vscode.l10n.t('just now');
  if (seconds < 3600) return vscode.l10n.t('{0} min ago', Math.round(seconds / 60));
  if (seconds < 86_400) return vscode.l10n.t('{0} h ago', Math.round(seconds / 3600));
  return new Date(at).toLocaleDateString();
}

/** "12 ms · 3 rows" or "failed: Unknown column…": how a statement went, in a few words. */
export function outcomeText(entry: HistoryEntry): string {
  const time = entry.ms < 1000 ? `${Math.round(entry.ms)} ms` : `${(entry.ms / 1000).toFixed(1)} s`;
  if (entry.outcome === 'error') return vscode.l10n.t('failed after {0}: {1}', time, entry.error ?? '');
  if (entry.outcome === 'cancelled') return vscode.l10n.t('cancelled after {0}', time);
  return `${time}${entry.rows !== undefined ? ` · ${entry.rows === 1 ? vscode.l10n.t('1 row') : vscode.l10n.t('{0} rows', entry.rows.toLocaleString())}` : ''}`;
}

/** The "Query History" view: statements run from editors, per connection, newest first. */
export class QueryHistoryTree extends Disposable implements vscode.TreeDataProvider<HistoryNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly history: QueryHistory, private readonly profiles: ConnectionCatalog) {
    super();
    this.register(vscode.window.createTreeView('switchboard.queryHistory', { treeDataProvider: this }));
    this.register(profiles.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node instanceof HistoryConnectionNode) {
      const profile = this.profiles.get(node.profileId);
      const item = new vscode.TreeItem(profile?.name ?? vscode.l10n.t('A deleted connection'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `history/${node.profileId}`;
      item.description = node.count === 1 ? vscode.l10n.t('1 statement') : vscode.l10n.t('{0} statements', node.count.toLocaleString());
      item.iconPath = new vscode.ThemeIcon('database');
      item.contextValue = 'history:connection';
      return item;
    }
    const { entry } = node;
    const item = new vscode.TreeItem(firstLine(entry.sql), vscode.TreeItemCollapsibleState.None);
    item.id = `history/${entry.profileId}/${entry.id}`;
    item.description = `${ago(entry.at)} · ${outcomeText(entry)}`;
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    tooltip.appendCodeblock(entry.sql.length > 4000 ? `${entry.sql.slice(0, 4000)}\n…` : entry.sql, 'sql');
    tooltip.appendText(`${new Date(entry.at).toLocaleString()}${entry.database ? ` · ${entry.database}` : ''} · ${outcomeText(entry)}`);
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(entry.outcome === 'ok' ? 'pass' : entry.outcome === 'error' ? 'error' : 'circle-slash', new vscode.ThemeColor(entry.outcome === 'ok' ? 'testing.iconPassed' : entry.outcome === 'error' ? 'list.errorForeground' : 'disabledForeground'));
    item.contextValue = 'history:entry';
    item.command = { title: vscode.l10n.t('Open in Editor'), command: 'switchboard.mysql.openHistoryEntry', arguments: [node] };
    return item;
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (node instanceof HistoryEntryNode) return [];
    const entries = await this.history.list(node?.profileId);
    if (node) return entries.slice(0, SHOWN).map((entry) => new HistoryEntryNode(entry));
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(entry.profileId, (counts.get(entry.profileId) ?? 0) + 1);
    return [...counts].map(([profileId, count]) => new HistoryConnectionNode(profileId, count));
  }
}
