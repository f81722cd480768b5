import * as vscode from 'vscode';
import { Profile, Prompter } from '../drivers/types';

/** Answers keyboard-interactive prompts (one-time codes, passwords) in VS Code input boxes; Escape cancels the login. */
export const loginPrompter: Prompter = async (title, instructions, prompts) => {
  const answers: string[] = [];
  for (const [index, prompt] of prompts.entries()) {
    const answer = await vscode.window.showInputBox({
      title: prompts.length > 1 ? `${title} (${index + 1}/${prompts.length})` : title,
      prompt: [instructions, prompt.prompt].filter(Boolean).join(' — '),
      password: !prompt.echo,
      ignoreFocusOut: true,
    });
    if (answer === undefined) return undefined;
    answers.push(answer);
  }
  return answers;
};

/** Asks whether a saved password may go to the endpoint a connection now points at (see SecretGate). */
export async function confirmSecretEndpoint(profile: Profile, enteredFor: string, goesTo: string, what = 'password'): Promise<boolean> {
  const send = vscode.l10n.t('Send It');
  const secret = what === 'Sentinel password' ? vscode.l10n.t('Sentinel password') : vscode.l10n.t('password');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('"{0}" now points somewhere else than when its {1} was saved. Send the saved {1} there?', profile.name, secret),
    { modal: true, detail: vscode.l10n.t('The {0} was entered for:\n{1}\n\nThe connection now goes to:\n{2}', secret, enteredFor, goesTo) },
    send,
  );
  return choice === send;
}

const ASK = {
  title: (name: string) => vscode.l10n.t('Password for {0}', name),
  prompt: (endpoint: string) => vscode.l10n.t('{0}. From this workspace\'s connection file; kept in your own SecretStorage, not in the file. Leave it empty if the server needs none.', endpoint),
};

/** Asks for the password of a workspace connection the first time it is needed (see SecretGate's MissingPassword). */
export async function askWorkspacePassword(profile: Profile, endpoint: string): Promise<string | undefined> {
  return vscode.window.showInputBox({ title: ASK.title(profile.name), prompt: ASK.prompt(endpoint), password: true, ignoreFocusOut: true });
}
