import * as vscode from 'vscode';
import { BrowseNode, Profile } from '../../drivers/types';
import { Place, placeKey } from '../../drivers/places';
import { SessionManager } from '../../core/sessionManager';
import { TreeNode } from './treeNode';
import { wordNode } from '../nodeWords';

/** The tree id of the row a driver lists at `place` below a connection. */
export function browseNodeId(profileId: string, place: Place): string {
  return `${profileId}/${placeKey(place)}`;
}

/** A row the driver supplies below a connection (a database, a queue, a column...). */
export class BrowseItemNode implements TreeNode {
  readonly id: string;

  constructor(readonly profile: Profile, readonly node: BrowseNode, private readonly sessions: SessionManager) {
    this.id = browseNodeId(profile.id, node.place);
  }

  treeItem(): vscode.TreeItem {
    const words = wordNode(this.profile.kind, this.node);
    const item = new vscode.TreeItem(words.label, this.node.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.node.icon);
    // contextValue grammar: node:<kind>:<type>[:readonly], matched by regex in package.json `when` clauses.
    item.contextValue = `node:${this.profile.kind}:${this.node.type}${this.profile.readOnly ? ':readonly' : ''}`;
    if (words.description) item.description = words.description;
    if (words.tooltip) item.tooltip = words.tooltip;
    if (this.node.opens) item.command = { title: vscode.l10n.t('Open'), command: 'switchboard.openNode', arguments: [this] };
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const session = await this.sessions.session(this.profile);
    return (await session.children(this.node)).map((child) => new BrowseItemNode(this.profile, child, this.sessions));
  }
}
