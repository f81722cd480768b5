import * as vscode from 'vscode';
import { TreeNode } from './treeNode';

/** A leaf that says something: an error with its reason, an empty state, a hint. */
export class MessageNode implements TreeNode {
  constructor(
    readonly id: string,
    private readonly label: string,
    private readonly icon: vscode.ThemeIcon,
    private readonly tooltip?: string,
    private readonly command?: vscode.Command,
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.icon;
    item.contextValue = 'message';
    if (this.tooltip) item.tooltip = this.tooltip;
    if (this.command) item.command = this.command;
    return item;
  }

  async children(): Promise<TreeNode[]> {
    return [];
  }
}
