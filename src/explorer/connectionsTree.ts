import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { SessionManager } from '../core/sessionManager';
import type { Place } from '../drivers/places';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { ConnectionNode } from './nodes/connectionNode';
import { GroupNode } from './nodes/groupNode';
import { WorkspaceGroupNode } from './nodes/workspaceGroupNode';
import { TreeNode } from './nodes/treeNode';
import { browseNodeId } from './nodes/browseItemNode';
import { SavedQueries } from '../storage/savedQueries';

/** The "Connections" view: groups, then profiles, then what each driver lists. */
export class ConnectionsTree extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private connectionNodes = new Map<string, ConnectionNode>();
  private parents = new Map<TreeNode, TreeNode>();
  /** The rows the view was last given below each expanded row, by id, so that a change can refresh just them. */
  private readonly shown = new Map<string, TreeNode>();
  /** A connection just saved: shown and selected once the view lists it, wherever it falls in a long tree. */
  private revealing: string | undefined;
  readonly view: vscode.TreeView<TreeNode>;

  constructor(private readonly profiles: ConnectionCatalog, private readonly sessions: SessionManager, private readonly saved: SavedQueries) {
    super();
    this.view = this.register(vscode.window.createTreeView('switchboard.connections', { treeDataProvider: this, showCollapseAll: true }));
    this.register(profiles.onDidChange(() => this.refresh()));
    this.register(saved.onDidChange(() => this.refresh()));
    this.register(sessions.onDidChange((id) => this.changed.fire(this.connectionNodes.get(id))));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()));
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  /** Lists the connections again and then scrolls to `profileId`'s row and selects it, leaving the focus where it is. */
  revealWhenListed(profileId: string): void {
    this.revealing = profileId;
    this.refresh();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  /**
   * Lists again what the driver shows at `place` below a connection (a vhost's queues after a publish), if the view
   * shows it; a row that is not shown is listed afresh when it is expanded anyway.
   */
  refreshPlace(profileId: string, place: Place): void {
    const node = this.shown.get(browseNodeId(profileId, place));
    if (node) this.changed.fire(node);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) {
      const children = await node.children();
      for (const child of children) this.shown.set(child.id, child);
      return children;
    }
    this.shown.clear();
    const nodes = new Map<string, ConnectionNode>();
    const ungrouped: TreeNode[] = [];
    const groups = new Map<string, TreeNode[]>();
    for (const profile of this.profiles.user.all()) {
      const connection = new ConnectionNode(profile, this.sessions, this.saved.of(profile.id));
      nodes.set(profile.id, connection);
      if (profile.group) groups.set(profile.group, [...(groups.get(profile.group) ?? []), connection]);
      else ungrouped.push(connection);
    }
    const trusted = vscode.workspace.isTrusted;
    const workspaceGroups = this.profiles.workspace.list().map((folder) => {
      const members = folder.entries.map((entry) => new ConnectionNode(entry.profile, this.sessions, this.saved.of(entry.profile.id), { trusted }));
      for (const member of members) nodes.set(member.profile.id, member);
      return new WorkspaceGroupNode(folder, members, trusted);
    });
    this.connectionNodes = nodes;
    const wanted = this.revealing === undefined ? undefined : nodes.get(this.revealing);
    if (wanted) {
      this.revealing = undefined;
      // After this listing has reached the view: a reveal asks the view for the row it is being given now.
      setTimeout(() => void this.view.reveal(wanted, { select: true, focus: false }).then(undefined, () => undefined), 0);
    }
    const groupNodes = [...groups].map(([name, members]) => new GroupNode(name, members));
    this.parents = new Map<TreeNode, TreeNode>([
      ...groupNodes.flatMap((group) => (groups.get(group.name) ?? []).map((member) => [member, group] as const)),
      ...workspaceGroups.flatMap((group) => group.members.map((member) => [member, group] as const)),
    ]);
    return [...workspaceGroups, ...groupNodes, ...ungrouped];
  }

  /** Only connection rows are revealed programmatically; their parent is their group, if any. */
  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node);
  }

  connectionNode(profileId: string): ConnectionNode | undefined {
    return this.connectionNodes.get(profileId);
  }
}
