import * as vscode from 'vscode';
import { Profile } from '../drivers/types';
import { Log } from '../core/log';
import { carrierOf } from '../core/sessionManager';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { asCopies } from '../storage/connectionFiles';
import { SecretStore } from '../storage/secretStore';
import { WORKSPACE_FILE, WorkspaceConnections } from '../storage/workspaceConnections';
import { addEntries, fileEntry, fileIdFor, idsInFile, removeEntry } from '../storage/workspaceFile/edit';
import { profileFor } from './pickProfile';

const WORDS = {
  pickOwn: () => vscode.l10n.t('Save which of your connections to the workspace?'),
  pickWorkspace: () => vscode.l10n.t('Copy which workspace connection into your own?'),
  pickFolder: () => vscode.l10n.t('Save it in the connection file of which workspace folder?'),
  noFolder: () => vscode.l10n.t('Open a folder first: workspace connections live in its .vscode/switchboard.json.'),
  saved: (names: string, file: string) => vscode.l10n.t('Saved {0} to {1}, shared with everyone who opens this workspace. Passwords are not in the file; yours stays in your SecretStorage.', names, file),
  moved: (name: string, file: string) => vscode.l10n.t('"{0}" is now one of your own connections. It is still in {1} for everyone else.', name, file),
  remove: () => vscode.l10n.t('Remove It from {0}', WORKSPACE_FILE),
  definedHere: (name: string) => vscode.l10n.t('"{0}" is defined in this workspace\'s {1}: change or remove it there.', name, WORKSPACE_FILE),
  saving: (file: string) => vscode.l10n.t('Saving to {0}', file),
  removing: (file: string) => vscode.l10n.t('Removing from {0}', file),
};

interface Services {
  readonly profiles: ConnectionCatalog;
  readonly secrets: SecretStore;
  readonly log: Log;
}

/** "Save to Workspace" and "Move to My Connections": connections between the user's own list and the workspace file. */
export function registerWorkspaceCommands({ profiles, secrets, log }: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.saveToWorkspace', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, WORDS.pickOwn(), (p) => !profiles.isWorkspace(p.id));
      if (!profile || profiles.isWorkspace(profile.id)) return;
      const folders = vscode.workspace.workspaceFolders ?? [];
      if (!folders.length) return void vscode.window.showInformationMessage(WORDS.noFolder());
      const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: WORDS.pickFolder() });
      if (!folder) return;
      const file = vscode.Uri.joinPath(folder.uri, WORKSPACE_FILE);
      try {
        const chain = withCarriers(profile, (id) => profiles.user.get(id));
        const document = await openOrCreate(file);
        const taken = idsInFile(document.getText());
        const fileIds = new Map(chain.map((p) => [p.id, fileIdFor(p.name, taken)]));
        await replaceText(document, addEntries(document.getText(), chain.map((p) => fileEntry(p, fileIds, folder.uri.fsPath))));
        for (const p of chain) await secrets.copy(p.id, WorkspaceConnections.runtimeId(folder, fileIds.get(p.id) ?? p.id));
        await profiles.workspace.read(folder);
        await showEntry(profiles.workspace, WorkspaceConnections.runtimeId(folder, fileIds.get(profile.id) ?? ''));
        void vscode.window.showInformationMessage(WORDS.saved(chain.map((p) => `"${p.name}"`).join(', '), vscode.workspace.asRelativePath(file)));
      } catch (error) {
        log.report(WORDS.saving(file.fsPath), error);
      }
    }),
    vscode.commands.registerCommand('switchboard.moveToMyConnections', async (arg?: unknown) => {
      const profile = await profileFor(arg, profiles, WORDS.pickWorkspace(), (p) => profiles.isWorkspace(p.id));
      const found = profile && profiles.workspace.entry(profile.id);
      if (!profile || !found) return;
      // The SSH connections it goes through come along, so that the copy connects the same way.
      const chain = withCarriers(profile, (id) => profiles.workspace.get(id));
      const copies = asCopies(chain, profiles.user.all());
      await profiles.user.saveMany(copies);
      for (const [index, original] of chain.entries()) await secrets.copy(original.id, copies[index]?.id ?? original.id);
      const file = found.folder.file;
      const remove = WORDS.remove();
      void vscode.window.showInformationMessage(WORDS.moved(copies[copies.length - 1]?.name ?? profile.name, vscode.workspace.asRelativePath(file)), remove).then(async (choice) => {
        if (choice !== remove) return;
        try {
          const document = await vscode.workspace.openTextDocument(file);
          await replaceText(document, removeEntry(document.getText(), found.entry.localId));
          await vscode.window.showTextDocument(document);
        } catch (error) {
          log.report(WORDS.removing(file.fsPath), error);
        }
      });
    }),
  ];
}

/** Opens a workspace connection's entry in its file, selected (Edit and Delete of a workspace connection). */
export async function showEntry(workspace: WorkspaceConnections, profileId: string): Promise<void> {
  const found = workspace.entry(profileId);
  if (!found) return;
  const document = await vscode.workspace.openTextDocument(found.folder.file);
  const range = new vscode.Range(document.positionAt(found.entry.offset), document.positionAt(found.entry.offset + found.entry.length));
  await vscode.window.showTextDocument(document, { selection: range });
}

export function definedInWorkspace(profile: Profile): string {
  return WORDS.definedHere(profile.name);
}

/** The connection and the SSH connections it is carried through, carriers first. */
function withCarriers(profile: Profile, lookup: (id: string) => Profile | undefined): Profile[] {
  const chain = [profile];
  for (let next = carrierOf(profile); next; ) {
    const carrier = lookup(next);
    if (!carrier || chain.some((p) => p.id === carrier.id)) break;
    chain.unshift(carrier);
    next = carrierOf(carrier);
  }
  return chain;
}

async function openOrCreate(file: vscode.Uri): Promise<vscode.TextDocument> {
  try {
    await vscode.workspace.fs.stat(file);
  } catch {
    await vscode.workspace.fs.writeFile(file, new Uint8Array());
  }
  return vscode.workspace.openTextDocument(file);
}

/** Replaces the document's text as one edit (undoable in the editor) and saves it, so the file watcher sees it. */
async function replaceText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit)) || !(await document.save())) throw new Error(vscode.l10n.t('{0} could not be changed.', document.uri.fsPath));
}
