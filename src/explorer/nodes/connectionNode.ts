import * as vscode from 'vscode';
import { Profile } from '../../drivers/types';
import { addressOf, kindInfo } from '../../drivers/kinds';
import { describeError } from '../../core/errorWords';
import { SessionManager } from '../../core/sessionManager';
import { BrowseItemNode } from './browseItemNode';
import { MessageNode } from './messageNode';
import { TreeNode } from './treeNode';
import { SavedQueriesNode } from './savedQueryNode';
import { SavedQuery } from '../../storage/savedQueries';

const STATE_ICON_COLOR: Record<string, string | undefined> = {
  connected: 'testing.iconPassed',
  reconnecting: 'list.warningForeground',
  error: 'list.errorForeground',
};

/** A connection profile: connects on expand, children come from its driver. */
/** Where a connection is defined, when it is not one of the user's own. */
export interface WorkspaceOrigin {
  readonly trusted: boolean;
}

const WORDS = {
  restricted: () => vscode.l10n.t('restricted · trust the workspace to connect'),
  fromWorkspace: () => vscode.l10n.t('from the workspace\'s connection file'),
  untrusted: () => vscode.l10n.t('This workspace is not trusted: this connection is listed, not connected.'),
  trust: () => vscode.l10n.t('Manage Workspace Trust'),
  readOnly: () => vscode.l10n.t('read-only'),
  status: (status: 'connecting' | 'reconnecting' | 'error') =>
    status === 'connecting' ? vscode.l10n.t('connecting') : status === 'reconnecting' ? vscode.l10n.t('reconnecting') : vscode.l10n.t('error'),
  reconnecting: (reason: string | undefined) => (reason ? vscode.l10n.t('reconnecting…: {0}', reason) : vscode.l10n.t('reconnecting…')),
  empty: () => vscode.l10n.t('Nothing here yet'),
  couldNotConnect: (message: string) => vscode.l10n.t('Couldn\'t connect: {0}', message),
  clickToRetry: () => vscode.l10n.t('Click to retry.'),
  retry: () => vscode.l10n.t('Retry'),
};

export class ConnectionNode implements TreeNode {
  readonly id: string;

  /** `saved`: the connection's saved queries, listed first below it; `workspace`: where a workspace connection comes from. */
  constructor(readonly profile: Profile, private readonly sessions: SessionManager, private readonly saved: readonly SavedQuery[] = [], readonly workspace?: WorkspaceOrigin) {
    this.id = `conn/${profile.id}`;
  }

  treeItem(): vscode.TreeItem {
    const state = this.sessions.state(this.profile.id);
    const info = kindInfo(this.profile.kind);
    const item = new vscode.TreeItem(this.profile.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const color = STATE_ICON_COLOR[state.status];
    item.iconPath = state.status === 'connecting' ? new vscode.ThemeIcon('loading~spin') : new vscode.ThemeIcon(info.icon, color ? new vscode.ThemeColor(color) : undefined);
    // contextValue grammar: conn:<kind>:<state>[:readonly][:workspace]
    item.contextValue = `conn:${this.profile.kind}:${state.status}${this.profile.readOnly ? ':readonly' : ''}${this.workspace ? ':workspace' : ''}`;
    const address = addressOf(this.profile);
    const restricted = this.workspace && !this.workspace.trusted;
    item.description = restricted ? WORDS.restricted() : `${this.profile.readOnly ? `${WORDS.readOnly()} · ` : ''}${state.status === 'connected' || state.status === 'disconnected' ? address : WORDS.status(state.status)}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    tooltip.appendMarkdown(`$(${info.icon}) **`).appendText(this.profile.name).appendMarkdown(`** — ${info.title}\n\n`);
    tooltip.appendText(address);
    if (this.profile.readOnly) tooltip.appendMarkdown('\n\n$(lock) ').appendText(WORDS.readOnly());
    if (this.workspace) tooltip.appendMarkdown('\n\n$(root-folder) ').appendText(WORDS.fromWorkspace());
    if (restricted) tooltip.appendMarkdown('\n\n$(workspace-untrusted) ').appendText(WORDS.untrusted());
    if (state.status === 'connected' || state.status === 'reconnecting') tooltip.appendMarkdown('\n\n').appendText(`${state.description}${state.status === 'reconnecting' ? ` (${WORDS.reconnecting(state.reason)})` : ''}`);
    if (state.status === 'error') tooltip.appendMarkdown('\n\n$(error) ').appendText(describeError(state.error));
    item.tooltip = tooltip;
    return item;
  }

  async children(): Promise<TreeNode[]> {
    if (this.workspace && !this.workspace.trusted) {
      return [new MessageNode(`${this.id}/untrusted`, WORDS.untrusted(), new vscode.ThemeIcon('workspace-untrusted'), undefined, { title: WORDS.trust(), command: 'workbench.trust.manage' })];
    }
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
    const saved = this.saved.length ? [new SavedQueriesNode(this.profile.id, this.saved)] : [];
    if (nodes.length === 0 && saved.length === 0) return [new MessageNode(`${this.id}/empty`, WORDS.empty(), new vscode.ThemeIcon('info'))];
    return [...saved, ...nodes.map((node) => new BrowseItemNode(this.profile, node, this.sessions))];
  }

  private errorNode(error: unknown): MessageNode {
    const message = describeError(error);
    return new MessageNode(`${this.id}/error`, WORDS.couldNotConnect(message), new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')), `${message}\n\n${WORDS.clickToRetry()}`, {
      title: WORDS.retry(),
      command: 'switchboard.connect',
      arguments: [this],
    });
  }
}
