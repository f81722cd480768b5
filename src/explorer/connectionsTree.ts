import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { SessionManager } from '../core/sessionManager';
import { ProfileStore } from '../storage/profileStore';
import { ConnectionNode } from './nodes/connectionNode';
import { GroupNode } from './nodes/groupNode';
import { TreeNode } from './nodes/treeNode';

/** The "Connections" view: groups, then profiles, then what each driver lists. */
export class ConnectionsTree extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private connectionNodes = new Map<string, ConnectionNode>();
  private parents = new Map<TreeNode, GroupNode>();
  readonly view: vscode.TreeView<TreeNode>;

  constructor(private readonly profiles: ProfileStore, private readonly sessions: SessionManager) {
    super();
    this.view = this.register(vscode.window.createTreeView('switchboard.connections', { treeDataProvider: this, showCollapseAll: true }));
    this.register(profiles.onDidChange(() => this.refresh()));
    this.register(sessions.onDidChange((id) => this.changed.fire(this.connectionNodes.get(id))));
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (node) return node.children();
    const nodes = new Map<string, ConnectionNode>();
    const ungrouped: TreeNode[] = [];
    const groups = new Map<string, TreeNode[]>();
    for (const profile of this.profiles.all()) {
      const connection = new ConnectionNode(profile, this.sessions);
      nodes.set(profile.id, connection);
      if (profile.group) groups.set(profile.group, [...(groups.get(profile.group) ?? []), connection]);
      else ungrouped.push(connection);
    }
    this.connectionNodes = nodes;
    const groupNodes = [...groups].map(([name, members]) => new GroupNode(name, members));
    this.parents = new Map(groupNodes.flatMap((group) => (groups.get(group.name) ?? []).map((member) => [member, group] as const)));
    return [...groupNodes, ...ungrouped];
  }

  /** Only connection rows are revealed programmatically; their parent is their group, if any. */
  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node);
  }

  connectionNode(profileId: string): ConnectionNode | undefined {
    return this.connectionNodes.get(profileId);
  }
}
