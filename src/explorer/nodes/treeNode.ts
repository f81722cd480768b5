import * as vscode from 'vscode';

/** Every explorer row wraps its data and builds its own TreeItem. */
export interface TreeNode {
  readonly id: string;
  treeItem(): vscode.TreeItem;
  children(): Promise<TreeNode[]>;
}
