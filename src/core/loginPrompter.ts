import * as vscode from 'vscode';
import { Prompter } from '../drivers/types';

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
