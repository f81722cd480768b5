import * as vscode from 'vscode';
import { TreeNode } from './treeNode';

/** A profile group ("staging", "prod"). */
export class GroupNode implements TreeNode {
  readonly id: string;

  constructor(readonly name: string, private readonly members: TreeNode[]) {
    this.id = `group/${name}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('folder');
    item.contextValue = 'group';
    item.description = `${this.members.length}`;
    return item;
  }

  async children(): Promise<TreeNode[]> {
    return this.members;
  }
}
