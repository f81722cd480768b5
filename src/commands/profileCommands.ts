import * as vscode from 'vscode';
import { Profile } from '../drivers/types';
import { addressOf } from '../drivers/kinds';
import { messageOf } from '../drivers/errors';
import { SessionManager } from '../core/sessionManager';
import { ProfileStore } from '../storage/profileStore';
import { SecretStore } from '../storage/secretStore';
import { ProfileFormPanel } from '../panels/profileForm/profileFormPanel';
import { profileFor } from './pickProfile';

interface Services {
  readonly extensionUri: vscode.Uri;
  readonly profiles: ProfileStore;
  readonly secrets: SecretStore;
  readonly sessions: SessionManager;
}

/** Add, edit, duplicate, delete and test connection profiles, from the tree or the command palette. */
export function registerProfileCommands(services: Services): vscode.Disposable[] {
  const { profiles, secrets, sessions } = services;
  return [
    vscode.commands.registerCommand('switchboard.addConnection', () => ProfileFormPanel.show(services)),
    vscode.commands.registerCommand('switchboard.editConnection', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, 'Edit which connection?');
      if (profile) ProfileFormPanel.show(services, profile);
    }),
    vscode.commands.registerCommand('switchboard.duplicateConnection', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, 'Duplicate which connection?');
      if (!profile) return;
      const copy: Profile = { ...profile, id: ProfileStore.newId(), name: uniqueName(`${profile.name} (copy)`, profiles.all()) };
      await secrets.copy(profile.id, copy.id);
      await profiles.save(copy);
      ProfileFormPanel.show(services, copy);
    }),
    vscode.commands.registerCommand('switchboard.deleteConnection', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, 'Delete which connection?');
      if (!profile) return;
      const riders = profiles.all().filter((p) => (p.kind === 'ssh' ? p.jumpHost : p.viaSsh) === profile.id);
      const detail = `${addressOf(profile)}. Its saved password is removed from SecretStorage.${riders.length ? `\n${riders.map((r) => r.name).join(', ')} go${riders.length === 1 ? 'es' : ''} through it and will no longer connect.` : ''}`;
      const choice = await vscode.window.showWarningMessage(`Delete the connection "${profile.name}"?`, { modal: true, detail }, 'Delete');
      if (choice !== 'Delete') return;
      await sessions.disconnect(profile.id);
      await secrets.delete(profile.id);
      await profiles.delete(profile.id);
    }),
    vscode.commands.registerCommand('switchboard.testConnection', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, 'Test which connection?');
      if (!profile) return;
      try {
        const description = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Testing ${profile.name} (${addressOf(profile)})…` },
          async () => sessions.test(profile, await secrets.read(profile.id)),
        );
        void vscode.window.showInformationMessage(`${profile.name}: connected to ${description}.`);
      } catch (error) {
        void vscode.window.showErrorMessage(`${profile.name}: ${messageOf(error)}`);
      }
    }),
  ];
}

export function uniqueName(name: string, existing: readonly Profile[]): string {
  const taken = new Set(existing.map((p) => p.name));
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name} ${n}`)) return `${name} ${n}`;
}
