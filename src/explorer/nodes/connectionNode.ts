import * as vscode from 'vscode';
import { Profile } from '../../drivers/types';
import { addressOf, kindInfo } from '../../drivers/kinds';
import { messageOf } from '../../drivers/errors';
import { SessionManager } from '../../core/sessionManager';
import { BrowseItemNode } from './browseItemNode';
import { MessageNode } from './messageNode';
import { TreeNode } from './treeNode';

const STATE_ICON_COLOR: Record<string, string | undefined> = {
  connected: 'testing.iconPassed',
  reconnecting: 'list.warningForeground',
  error: 'list.errorForeground',
};

/** A connection profile: connects on expand, children come from its driver. */
export class ConnectionNode implements TreeNode {
  readonly id: string;

  constructor(readonly profile: Profile, private readonly sessions: SessionManager) {
    this.id = `conn/${profile.id}`;
  }

  treeItem(): vscode.TreeItem {
    const state = this.sessions.state(this.profile.id);
    const info = kindInfo(this.profile.kind);
    const item = new vscode.TreeItem(this.profile.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const color = STATE_ICON_COLOR[state.status];
    item.iconPath = state.status === 'connecting' ? new vscode.ThemeIcon('loading~spin') : new vscode.ThemeIcon(info.icon, color ? new vscode.ThemeColor(color) : undefined);
    // contextValue grammar: conn:<kind>:<state>[:readonly]
    item.contextValue = `conn:${this.profile.kind}:${state.status}${this.profile.readOnly ? ':readonly' : ''}`;
    const address = addressOf(this.profile);
    item.description = `${this.profile.readOnly ? 'read-only · ' : ''}${state.status === 'connected' || state.status === 'disconnected' ? address : state.status}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendMarkdown(`$(${info.icon}) **`).appendText(this.profile.name).appendMarkdown(`** — ${info.title}\n\n`);
    tooltip.appendText(address);
    if (this.profile.readOnly) tooltip.appendMarkdown('\n\n$(lock) read-only');
    if (state.status === 'connected' || state.status === 'reconnecting') tooltip.appendMarkdown('\n\n').appendText(`${state.description}${state.status === 'reconnecting' ? ' (reconnecting…)' : ''}`);
    if (state.status === 'error') tooltip.appendMarkdown('\n\n$(error) ').appendText(messageOf(state.error));
    item.tooltip = tooltip;
    return item;
  }

  async children(): Promise<TreeNode[]> {
    const state = this.sessions.state(this.profile.id);
    // After a failure, expanding again shows the reason; "Retry" (or Connect) tries again, so nothing loops.
    if (state.status === 'error') return [this.errorNode(state.error)];
    let nodes;
    try {
      const session = await this.sessions.session(this.profile);
      nodes = await session.children();
    } catch (error) {
      return [this.errorNode(error)];
    }
    if (nodes.length === 0) return [new MessageNode(`${this.id}/empty`, 'Nothing here yet', new vscode.ThemeIcon('info'))];
    return nodes.map((node) => new BrowseItemNode(this.profile, node, this.sessions));
  }

  private errorNode(error: unknown): MessageNode {
    return new MessageNode(`${this.id}/error`, `Couldn't connect: ${messageOf(error)}`, new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')), `${messageOf(error)}\n\nClick to retry.`, {
      title: 'Retry',
      command: 'switchboard.connect',
      arguments: [this],
    });
  }
}
