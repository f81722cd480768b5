import * as vscode from 'vscode';
import { Profile } from '../drivers/types';
import { addressOf, kindInfo } from '../drivers/kinds';
import { ProfileStore } from '../storage/profileStore';
import { ConnectionNode } from '../explorer/nodes/connectionNode';

/**
 * The profile a command acts on: the tree row it was invoked on, a profile id (from another command or a keybinding),
 * or one the user picks (command palette).
 */
export async function profileFor(arg: unknown, profiles: ProfileStore, placeHolder: string, filter: (p: Profile) => boolean = () => true): Promise<Profile | undefined> {
  if (arg instanceof ConnectionNode) return profiles.get(arg.profile.id);
  if (typeof arg === 'string') return [profiles.get(arg)].find((p): p is Profile => p !== undefined && filter(p));
  const candidates = profiles.all().filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('There are no Switchboard connections yet.', 'Add Connection').then((choice) => choice && vscode.commands.executeCommand('switchboard.addConnection'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((profile) => ({
      label: `$(${kindInfo(profile.kind).icon}) ${profile.name}`,
      description: addressOf(profile),
      detail: [kindInfo(profile.kind).title, profile.group, profile.readOnly ? 'read-only' : undefined].filter(Boolean).join(' · '),
      profile,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.profile;
}
