import * as vscode from 'vscode';
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Profile } from '../drivers/types';
import { readSshConfig, SshConfigHost } from '../drivers/ssh/sshConfigImport';
import { ProfileStore } from '../storage/profileStore';
import { asCopies, exportDocument, ImportCollision, planImport, profilesFromSshConfig } from '../storage/connectionFiles';
import { readConnectionFile } from '../storage/imports/connectionFile';
import { ImportReport, importReportText } from '../storage/imports/importReport';
import { Log } from '../core/log';
import { config } from '../core/config';

export function registerConnectionFileCommands(profiles: ProfileStore, log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.exportConnections', async () => {
      const all = profiles.all();
      if (all.length === 0) return void vscode.window.showInformationMessage(vscode.l10n.t('There are no connections to export.'));
      const target = await vscode.window.showSaveDialog({ filters: { JSON: ['json'] }, defaultUri: vscode.Uri.file(join(homedir(), 'switchboard-connections.json')), saveLabel: vscode.l10n.t('Export') });
      if (!target) return;
      await writeFile(target.fsPath, exportDocument(all));
      void vscode.window.showInformationMessage(all.length === 1 ? vscode.l10n.t('Exported 1 connection to {0}. Passwords are not included.', target.fsPath) : vscode.l10n.t('Exported {0} connections to {1}. Passwords are not included.', all.length, target.fsPath));
    }),
    vscode.commands.registerCommand('switchboard.importConnections', async (file?: unknown) => {
      const [source] = file instanceof vscode.Uri ? [file] : ((await vscode.window.showOpenDialog({ filters: importFilters(), canSelectMany: false, openLabel: WORDS.importLabel(), title: WORDS.importTitle() })) ?? []);
      if (source) await importFile(source, profiles, log);
    }),
    vscode.commands.registerCommand('switchboard.importFromTool', async () => {
      const tool = await vscode.window.showQuickPick(otherTools(), { placeHolder: WORDS.pickTool() });
      if (!tool) return;
      const [source] = (await vscode.window.showOpenDialog({ filters: importFilters(), canSelectMany: false, openLabel: WORDS.importLabel(), title: tool.label, defaultUri: vscode.Uri.file(tool.where) })) ?? [];
      if (source) await importFile(source, profiles, log);
    }),
    vscode.commands.registerCommand('switchboard.importSshConfig', async () => {
      const path = config.sshConfigFile() || join(homedir(), '.ssh', 'config');
      let hosts: SshConfigHost[];
      try {
        hosts = readSshConfig(await readFile(path, 'utf8'));
      } catch (error) {
        return log.report(vscode.l10n.t('Reading {0}', path), error);
      }
      if (hosts.length === 0) return void vscode.window.showInformationMessage(vscode.l10n.t('{0} names no concrete hosts to import.', path));
      const picked = await vscode.window.showQuickPick(
        hosts.map((host) => ({ label: host.alias, description: `${host.user}@${host.host}:${host.port}`, detail: host.proxyJump.length ? vscode.l10n.t('via {0}', host.proxyJump.join(' → ')) : vscode.l10n.t('direct'), picked: true, host })),
        { canPickMany: true, placeHolder: vscode.l10n.t('Import which hosts from {0}?', path) },
      );
      if (!picked || picked.length === 0) return;
      try {
        const created = profilesFromSshConfig(picked.map((p) => p.host), profiles.all());
        await profiles.saveMany(created);
        void vscode.window.showInformationMessage(created.length === 1 ? vscode.l10n.t('Imported 1 SSH host into the group "{0}".', 'ssh config') : vscode.l10n.t('Imported {0} SSH hosts into the group "{1}".', created.length, 'ssh config'));
      } catch (error) {
        log.report(vscode.l10n.t('Importing SSH hosts'), error);
      }
    }),
  ];
}

const WORDS = {
  importLabel: () => vscode.l10n.t('Import'),
  importTitle: () => vscode.l10n.t('Import connections from Switchboard, RedisInsight, Another Redis Desktop Manager or DBeaver'),
  pickTool: () => vscode.l10n.t('Import the connections of which tool?'),
  showDetails: () => vscode.l10n.t('Show Details'),
  summary: (count: number, tool: string, kept: number, skipped: number, secrets: number) =>
    [
      vscode.l10n.t('Imported {0} connections from {1}.', count, tool),
      ...(kept ? [vscode.l10n.t('Kept {0} existing ones as they were.', kept)] : []),
      ...(skipped ? [vscode.l10n.t('Skipped {0} that could not be imported.', skipped)] : []),
      secrets ? vscode.l10n.t('{0} passwords and keys in the file were left out: enter them when you edit or connect.', secrets) : vscode.l10n.t('Enter their passwords by editing them.'),
    ].join(' '),
};
const importFilters = (): Record<string, string[]> => ({ [vscode.l10n.t('Connection files')]: ['json', 'ano'], [vscode.l10n.t('All files')]: ['*'] });

/** The tools people move from, with where their connection files usually are. */
function otherTools(): { label: string; detail: string; where: string }[] {
  const dbeaverData = process.platform === 'darwin' ? join(homedir(), 'Library', 'DBeaverData') : process.platform === 'win32' ? join(process.env['APPDATA'] ?? homedir(), 'DBeaverData') : join(homedir(), '.local', 'share', 'DBeaverData');
  return [
    { label: 'RedisInsight', detail: vscode.l10n.t('The JSON file of "Export" in its database list (RedisInsight_connections_….json)'), where: join(homedir(), 'Downloads') },
    { label: 'Another Redis Desktop Manager', detail: vscode.l10n.t('The connections.ano file of Settings → Export Connections'), where: join(homedir(), 'Downloads') },
    { label: 'DBeaver', detail: vscode.l10n.t('data-sources.json of a DBeaver project (MySQL and MariaDB connections)'), where: join(dbeaverData, 'workspace6', 'General', '.dbeaver', 'data-sources.json') },
  ];
}

/** Reads a connection file of any supported tool, settles id collisions with the user, saves, and reports. */
async function importFile(source: vscode.Uri, profiles: ProfileStore, log: Log): Promise<void> {
  let report: ImportReport;
  try {
    report = readConnectionFile(await readFile(source.fsPath, 'utf8'));
  } catch (error) {
    return log.report(vscode.l10n.t('Importing connections from {0}', source.fsPath), error);
  }
  const { fresh, collisions } = planImport(report.profiles, profiles.all());
  const settled = collisions.length ? await settleCollisions(collisions, profiles.all()) : [];
  if (!settled) return;
  const saved = [...fresh, ...settled];
  try {
    await profiles.saveMany(saved);
  } catch (error) {
    return log.report(vscode.l10n.t('Saving the connections imported from {0}', source.fsPath), error);
  }
  const details = importReportText(report);
  log.info(`Imported ${saved.length} connections from ${source.fsPath} (${report.tool}).\n${details}`);
  const summary = WORDS.summary(saved.length, report.tool, collisions.length - settled.length, report.skipped.length, report.secretsLeftOut.length);
  const showDetails = WORDS.showDetails();
  const show = details ? [showDetails] : [];
  void vscode.window.showInformationMessage(summary, ...show).then((choice) => choice === showDetails && log.channel.show(true));
}


/**
 * Asks what to do with imported connections that already exist here, listing what replacing each would change.
 * Resolves the profiles to save for them (replacements, copies, or none), or undefined to import nothing.
 */
async function settleCollisions(collisions: readonly ImportCollision[], existing: readonly Profile[]): Promise<Profile[] | undefined> {
  const [REPLACE, COPY, KEEP] = [vscode.l10n.t('Replace Them'), vscode.l10n.t('Import as Copies'), vscode.l10n.t('Keep Mine')];
  const shown = collisions.slice(0, 10).map(({ existing: current, changes }) => `${current.name}: ${changes.length ? changes.join('; ') : vscode.l10n.t('no changes')}`);
  if (collisions.length > shown.length) shown.push(vscode.l10n.t('…and {0} more', collisions.length - shown.length));
  // A question that cannot be asked (no window to ask in) leaves everything as it was.
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('{0} of the imported connections already exist here. Replace them?', collisions.length),
    { modal: true, detail: `${shown.join('\n')}\n\n${vscode.l10n.t('A replaced connection keeps its saved password, which is not sent to a changed server or user until you agree.')}` },
    REPLACE, COPY, KEEP,
  ).then(undefined, () => undefined);
  if (choice === REPLACE) return collisions.map((c) => c.incoming);
  if (choice === COPY) return asCopies(collisions.map((c) => c.incoming), existing);
  if (choice === KEEP) return [];
  return undefined;
}
