import * as vscode from 'vscode';
import { DriverError } from '../drivers/errors';
import { Profile } from '../drivers/types';
import { Disposable } from '../core/disposable';
import { ProfileStore } from './profileStore';
import { WORKSPACE_FILE, WorkspaceConnections } from './workspaceConnections';
import { isWorkspaceId } from './workspaceFile/workspaceIds';

const WORDS = {
  defined: (name: string, file: string) => vscode.l10n.t('"{0}" is defined in {1}, shared with everyone who opens this workspace.', name, file),
  change: () => vscode.l10n.t('Change it in the file (Edit Connection opens it there), or use "Move to My Connections" to have a copy of your own.'),
};

/**
 * Every connection Switchboard knows: the user's own (ProfileStore, globalState) and those of the open workspace's
 * .vscode/switchboard.json files. What reads connections reads them here; the workspace's are changed only in
 * their file, so saving or deleting one here is refused with where to change it.
 */
export class ConnectionCatalog extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(readonly user: ProfileStore, readonly workspace: WorkspaceConnections) {
    super();
    this.register(user.onDidChange(() => this.changed.fire()));
    this.register(workspace.onDidChange(() => this.changed.fire()));
  }

  all(): Profile[] {
    return [...this.user.all(), ...this.workspace.all()];
  }

  get(id: string): Profile | undefined {
    return isWorkspaceId(id) ? this.workspace.get(id) : this.user.get(id);
  }

  isWorkspace(id: string): boolean {
    return isWorkspaceId(id);
  }

  async save(profile: Profile): Promise<void> {
    this.refuseWorkspace(profile);
    await this.user.save(profile);
  }

  async saveMany(profiles: readonly Profile[]): Promise<void> {
    for (const profile of profiles) this.refuseWorkspace(profile);
    await this.user.saveMany(profiles);
  }

  async delete(id: string): Promise<void> {
    const profile = this.get(id);
    if (profile) this.refuseWorkspace(profile);
    await this.user.delete(id);
  }

  private refuseWorkspace(profile: Profile): void {
    if (!isWorkspaceId(profile.id)) return;
    const where = this.workspace.entry(profile.id)?.folder.file.fsPath ?? WORKSPACE_FILE;
    throw new DriverError('config', WORDS.defined(profile.name, where), { worded: WORDS.change() });
  }
}
