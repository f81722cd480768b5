import * as vscode from 'vscode';
import { FolderConnections, WORKSPACE_FILE } from '../../storage/workspaceConnections';
import { MessageNode } from './messageNode';
import { TreeNode } from './treeNode';

const WORDS = {
  description: (trusted: boolean) => (trusted ? vscode.l10n.t('workspace') : vscode.l10n.t('workspace · restricted')),
  tooltip: (file: string, trusted: boolean) =>
    vscode.l10n.t('From {0}, shared with everyone who opens this workspace. Passwords are not in the file: each is asked for once and kept in your own SecretStorage.', file) +
    (trusted ? '' : `\n\n${vscode.l10n.t('This workspace is not trusted: its connections are listed but not connected until you trust it.')}`),
  problems: (count: number) => (count === 1 ? vscode.l10n.t('1 problem in {0}', WORKSPACE_FILE) : vscode.l10n.t('{0} problems in {1}', count, WORKSPACE_FILE)),
  problemsTooltip: () => vscode.l10n.t('Connections with problems are not loaded. Open the file to see them marked.'),
  empty: () => vscode.l10n.t('No connections in {0} yet', WORKSPACE_FILE),
  open: () => vscode.l10n.t('Open the connection file'),
};

/** The connections of one workspace folder's .vscode/switchboard.json, marked as coming from the workspace. */
export class WorkspaceGroupNode implements TreeNode {
  readonly id: string;

  constructor(private readonly folder: FolderConnections, readonly members: readonly TreeNode[], private readonly trusted: boolean) {
    this.id = `workspace/${folder.folder.uri.toString()}`;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.folder.folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.trusted ? 'root-folder' : 'workspace-untrusted');
    item.contextValue = 'group:workspace';
    item.description = WORDS.description(this.trusted);
    item.tooltip = WORDS.tooltip(this.folder.file.fsPath, this.trusted);
    item.resourceUri = this.folder.file;
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const open: vscode.Command = { title: WORDS.open(), command: 'vscode.open', arguments: [this.folder.file] };
    const notes: TreeNode[] = [];
    if (this.folder.problems) notes.push(new MessageNode(`${this.id}/problems`, WORDS.problems(this.folder.problems), new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')), WORDS.problemsTooltip(), open));
    if (!this.members.length && !this.folder.problems) notes.push(new MessageNode(`${this.id}/empty`, WORDS.empty(), new vscode.ThemeIcon('info'), undefined, open));
    return [...notes, ...this.members];
  }
}
