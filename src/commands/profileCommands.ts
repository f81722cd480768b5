import * as vscode from 'vscode';
import { Profile } from '../drivers/types';
import { addressOf } from '../drivers/kinds';
import { describeError } from '../core/errorWords';
import { SessionManager } from '../core/sessionManager';
import { Log } from '../core/log';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { SecretStore } from '../storage/secretStore';
import { ProfileFormPanel } from '../panels/profileForm/profileFormPanel';
import { profileFor } from './pickProfile';
import { definedInWorkspace, showEntry } from './workspaceCommands';
import type { ConsoleHistory } from '../storage/consoleHistory';
import { newProfileId, uniqueName } from '../storage/connectionFiles';
import { ConnectionsTree } from '../explorer/connectionsTree';

interface Services {
  readonly extensionUri: vscode.Uri;
  readonly log: Log;
  readonly profiles: ConnectionCatalog;
  readonly secrets: SecretStore;
  readonly sessions: SessionManager;
  /** The Redis console's lines per connection: a deleted connection's go with it. */
  readonly consoleHistory: ConsoleHistory;
  /** Where a saved connection is shown. */
  readonly tree: Pick<ConnectionsTree, 'revealWhenListed'>;
}

/** Add, edit, duplicate, delete and test connection profiles, from the tree or the command palette. */
export function registerProfileCommands(services: Services): vscode.Disposable[] {
  const { profiles, secrets, sessions, consoleHistory } = services;
  return [
    vscode.commands.registerCommand('switchboard.addConnection', () => ProfileFormPanel.show(services)),
    vscode.commands.registerCommand('switchboard.editConnection', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, vscode.l10n.t('Edit which connection?'));
      // A workspace connection is edited where it is defined: its entry in the workspace file.
      if (profile && profiles.isWorkspace(profile.id)) await showEntry(profiles.workspace, profile.id);
      else if (profile) ProfileFormPanel.show(services, profile);
    }),
    vscode.commands.registerCommand('switchboard.duplicateConnection', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, vscode.l10n.t('Duplicate which connection?'));
      if (!profile) return;
      const copy: Profile = { ...profile, id: newProfileId(), name: uniqueName(vscode.l10n.t('{0} (copy)', profile.name), profiles.all()) };
      await secrets.copy(profile.id, copy.id);
      await profiles.save(copy);
      ProfileFormPanel.show(services, copy);
    }),
    vscode.commands.registerCommand('switchboard.deleteConnection', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, vscode.l10n.t('Delete which connection?'));
      if (!profile) return;
      if (profiles.isWorkspace(profile.id)) {
        void vscode.window.showInformationMessage(definedInWorkspace(profile));
        return showEntry(profiles.workspace, profile.id);
      }
      const riders = profiles.all().filter((p) => (p.kind === 'ssh' ? p.jumpHost : p.viaSsh) === profile.id);
      const names = riders.map((r) => r.name).join(', ');
      const through = riders.length === 1 ? vscode.l10n.t('{0} goes through it and will no longer connect.', names) : vscode.l10n.t('{0} go through it and will no longer connect.', names);
      const detail = `${vscode.l10n.t('{0}. Its saved password is removed from SecretStorage.', addressOf(profile))}${riders.length ? `\n${through}` : ''}`;
      const remove = vscode.l10n.t('Delete');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Delete the connection "{0}"?', profile.name), { modal: true, detail }, remove);
      if (choice !== remove) return;
      await sessions.disconnect(profile.id);
      await secrets.delete(profile.id);
      await profiles.delete(profile.id);
      await consoleHistory.forget(profile.id);
    }),
    vscode.commands.registerCommand('switchboard.testConnection', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, vscode.l10n.t('Test which connection?'));
      if (!profile) return;
      try {
        const description = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing {0} ({1})…', profile.name, addressOf(profile)) },
          async () => sessions.test(profile),
        );
        void vscode.window.showInformationMessage(vscode.l10n.t('{0}: connected to {1}.', profile.name, description));
      } catch (error) {
        void vscode.window.showErrorMessage(`${profile.name}: ${describeError(error)}`);
      }
    }),
  ];
}
