import * as vscode from 'vscode';
import { BrowseNode, Profile } from '../../drivers/types';
import { SessionManager } from '../../core/sessionManager';
import { TreeNode } from './treeNode';

/** A row the driver supplies below a connection (a database, a queue, a column...). */
export class BrowseItemNode implements TreeNode {
  readonly id: string;

  constructor(readonly profile: Profile, readonly node: BrowseNode, private readonly sessions: SessionManager) {
    this.id = `${profile.id}/${node.path.map(encodeURIComponent).join('/')}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.node.label, this.node.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.node.icon);
    // contextValue grammar: node:<kind>:<type>[:readonly], matched by regex in package.json `when` clauses.
    item.contextValue = `node:${this.profile.kind}:${this.node.type}${this.profile.readOnly ? ':readonly' : ''}`;
    if (this.node.description) item.description = this.node.description;
    if (this.node.tooltip) item.tooltip = this.node.tooltip;
    if (this.node.opens) item.command = { title: 'Open', command: 'switchboard.openNode', arguments: [this] };
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const session = await this.sessions.session(this.profile);
    return (await session.children(this.node)).map((child) => new BrowseItemNode(this.profile, child, this.sessions));
  }
}
