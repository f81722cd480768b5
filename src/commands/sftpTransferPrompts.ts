import * as vscode from 'vscode';
import type { TransferOutcome } from '../drivers/ssh/sftpTransfers';
import type { LeftOut, TransferPlan } from '../drivers/ssh/transferPlan';
import type { DeletionTally } from '../drivers/ssh/sftp';
import { formatSize } from '../drivers/format';
import { shownName } from '../drivers/ssh/remoteNames';
import { Log } from '../core/log';

const LISTED = 15;

/** The first lines of a list, and how many more there are. */
function listed(lines: readonly string[]): string {
  const shown = lines.slice(0, LISTED).join('\n');
  return lines.length > LISTED ? `${shown}\n${vscode.l10n.t('… and {0} more', lines.length - LISTED)}` : shown;
}

/** "1 file" / "3 files": the count worded, each form a message of its own. */
const files = (n: number): string => (n === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', n));
const folders = (n: number): string => (n === 1 ? vscode.l10n.t('1 folder') : vscode.l10n.t('{0} folders', n));
const otherFiles = (n: number): string => (n === 1 ? vscode.l10n.t('1 other file') : vscode.l10n.t('{0} other files', n));
const newFolders = (n: number): string => (n === 1 ? vscode.l10n.t('1 new folder') : vscode.l10n.t('{0} new folders', n));

function leftOutLines(leftOut: readonly LeftOut[]): string[] {
  return leftOut.map((item) => `${shownName(item.path)}: ${item.reason}`);
}

/**
 * The one question before a transfer replaces anything: every file it would replace, listed. Resolves true to
 * replace them all, false to skip them (or when nothing would be replaced: no question then), undefined to cancel.
 */
export async function confirmReplacements(plan: TransferPlan, where: string, relative: (path: string) => string): Promise<boolean | undefined> {
  const replacing = plan.files.filter((file) => file.replaces !== undefined);
  if (replacing.length === 0) return false;
  const lines = replacing.map((file) => {
    const what = file.replaces?.kind === 'symlink' ? vscode.l10n.t('a symbolic link: the link is replaced, not what it points to') : vscode.l10n.t('{0} now, {1} after', formatSize(file.replaces?.size ?? 0), formatSize(file.size));
    return `${shownName(relative(file.target))} (${what})`;
  });
  const left = plan.leftOut.length ? `\n\n${vscode.l10n.t('Left out ({0}):', plan.leftOut.length)}\n${listed(leftOutLines(plan.leftOut))}` : '';
  const detail = `${listed(lines)}\n\n${vscode.l10n.t('{0} and {1} are written where nothing is.', otherFiles(plan.files.length - replacing.length), newFolders(plan.folders.length))}${left}`;
  const replaceAll = vscode.l10n.t('Replace All');
  const skip = vscode.l10n.t('Skip Existing');
  const question = replacing.length === 1 ? vscode.l10n.t('1 file in {0} already exists and would be replaced.', where) : vscode.l10n.t('{0} files in {1} already exist and would be replaced.', replacing.length, where);
  const choice = await vscode.window.showWarningMessage(question, { modal: true, detail }, replaceAll, skip);
  return choice === replaceAll ? true : choice === skip ? false : undefined;
}

/** Says what a transfer did; what it left out or kept goes to the output channel in full. */
export function reportOutcome(log: Log, verb: 'Uploaded' | 'Downloaded', where: string, plan: TransferPlan, outcome: TransferOutcome): void {
  const done = verb === 'Uploaded' ? vscode.l10n.t('Uploaded {0} ({1}) to {2}.', files(outcome.files), formatSize(outcome.bytes), where) : vscode.l10n.t('Downloaded {0} ({1}) to {2}.', files(outcome.files), formatSize(outcome.bytes), where);
  const parts = [done];
  const kept = outcome.kept.length;
  if (kept) parts.push(kept === 1 ? vscode.l10n.t('1 existing file kept as it was.') : vscode.l10n.t('{0} existing files kept as they were.', kept));
  const appeared = outcome.appeared.length;
  const appearedNames = `${outcome.appeared.slice(0, 3).map(shownName).join(', ')}${appeared > 3 ? ', …' : ''}`;
  if (appeared) parts.push(appeared === 1 ? vscode.l10n.t('1 file appeared meanwhile and was not replaced: {0}.', appearedNames) : vscode.l10n.t('{0} files appeared meanwhile and were not replaced: {1}.', appeared, appearedNames));
  const leftOut = `${leftOutLines(plan.leftOut).slice(0, 3).join('; ')}${plan.leftOut.length > 3 ? '; …' : ''}`;
  if (plan.leftOut.length) parts.push(plan.leftOut.length === 1 ? vscode.l10n.t('1 entry left out: {0}.', leftOut) : vscode.l10n.t('{0} entries left out: {1}.', plan.leftOut.length, leftOut));
  for (const line of leftOutLines(plan.leftOut)) log.channel.warn(`${verb} to ${where}: left out ${line}`);
  for (const path of outcome.appeared) log.channel.warn(`${verb} to ${where}: ${shownName(path)} appeared meanwhile, not replaced`);
  const message = parts.join(' ');
  if (outcome.appeared.length || plan.leftOut.length) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
}

/** The question before a delete, with what goes with it counted. */
export async function confirmDeletion(tally: DeletionTally, folder: boolean, where: string): Promise<boolean> {
  const question = folder
    ? vscode.l10n.t('Delete the folder {0} and everything in it on {1}?', shownName(tally.root), where)
    : vscode.l10n.t('Delete {0} on {1}?', shownName(tally.root), where);
  const holds = folder ? vscode.l10n.t('It holds {0} and {1}, {2} in all (links count as files; what they point to stays).', files(tally.files), folders(tally.folders - 1), formatSize(tally.bytes)) : `${formatSize(tally.bytes)}.`;
  const refused = tally.refused.length ? `\n\n${(tally.refused.length === 1 ? vscode.l10n.t('1 name in it cannot be named exactly and will stay, and so will the folders holding them:') : vscode.l10n.t('{0} names in it cannot be named exactly and will stay, and so will the folders holding them:', tally.refused.length))}\n${listed(tally.refused)}` : '';
  const remove = vscode.l10n.t('Delete');
  const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: `${holds} ${vscode.l10n.t('This cannot be undone.')}${refused}` }, remove);
  return choice === remove;
}
