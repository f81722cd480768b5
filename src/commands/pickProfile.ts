import * as vscode from 'vscode';
import { Profile } from '../drivers/types';
import { addressOf, kindInfo } from '../drivers/kinds';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { ConnectionNode } from '../explorer/nodes/connectionNode';
import { kindTitle } from '../panels/profileForm/fieldWords';

const WORDS = {
  workspace: () => vscode.l10n.t('from the workspace'),
  readOnly: () => vscode.l10n.t('read-only'),
  none: () => vscode.l10n.t('There are no Switchboard connections yet.'),
  add: () => vscode.l10n.t('Add Connection'),
};

/**
 * The profile a command acts on: the tree row it was invoked on, a profile id (from another command or a keybinding),
 * or one the user picks (command palette).
 */
export async function profileFor(arg: unknown, profiles: ConnectionCatalog, placeHolder: string, filter: (p: Profile) => boolean = () => true): Promise<Profile | undefined> {
  if (arg instanceof ConnectionNode) return profiles.get(arg.profile.id);
  if (typeof arg === 'string') return [profiles.get(arg)].find((p): p is Profile => p !== undefined && filter(p));
  const candidates = profiles.all().filter(filter);
  if (candidates.length === 0) {
    const add = WORDS.add();
    void vscode.window.showInformationMessage(WORDS.none(), add).then((choice) => choice === add && vscode.commands.executeCommand('switchboard.addConnection'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((profile) => ({
      label: `$(${kindInfo(profile.kind).icon}) ${profile.name}`,
      description: addressOf(profile),
      detail: [kindTitle(profile.kind), profiles.isWorkspace(profile.id) ? WORDS.workspace() : profile.group, profile.readOnly ? WORDS.readOnly() : undefined].filter(Boolean).join(' · '),
      profile,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.profile;
}
