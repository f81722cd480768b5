import * as vscode from 'vscode';
import { SavedQuery } from '../../storage/savedQueries';
import { TreeNode } from './treeNode';

/** A connection's saved queries, listed first below it. */
export class SavedQueriesNode implements TreeNode {
  readonly id: string;

  constructor(profileId: string, private readonly queries: readonly SavedQuery[]) {
    this.id = `conn/${profileId}/saved`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Saved Queries'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = String(this.queries.length);
    item.iconPath = new vscode.ThemeIcon('bookmark');
    item.contextValue = 'savedQueries';
    return item;
  }

  async children(): Promise<TreeNode[]> {
    return this.queries.map((query) => new SavedQueryNode(query));
  }
}

/** One saved query: opens in a new SQL editor bound to its connection and database. */
export class SavedQueryNode implements TreeNode {
  readonly id: string;

  constructor(readonly query: SavedQuery) {
    this.id = `conn/${query.profileId}/saved/${query.id}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.query.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.query.database ?? '';
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    tooltip.appendCodeblock(this.query.sql.length > 4000 ? `${this.query.sql.slice(0, 4000)}\n…` : this.query.sql, 'sql');
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon('file-code');
    item.contextValue = 'savedQuery';
    item.command = { title: vscode.l10n.t('Open Saved Query'), command: 'switchboard.mysql.openSavedQuery', arguments: [this] };
    return item;
  }

  async children(): Promise<TreeNode[]> {
    return [];
  }
}
