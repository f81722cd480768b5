import * as vscode from 'vscode';
import { walkthroughDone } from '../core/walkthrough';
import { isKind, MemcachedProfile } from '../drivers/types';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { MemcachedBrowserPanel } from '../panels/memcachedBrowser/memcachedBrowserPanel';
import { profileFor } from './pickProfile';
import { CommandServices } from './commandServices';
import { rowOf } from './treeArgs';


/** The key browser and flush_all of Memcached connections. */
export function registerMemcachedCommands(services: CommandServices): vscode.Disposable[] {
  const { profiles, sessions, tree, log } = services;
  // The panel's writes change the servers' item counts, which the connection's rows show.
  const panelOptions = { extensionUri: services.extensionUri, log, sessions, wrote: (profile: MemcachedProfile) => {
    const node = tree.connectionNode(profile.id);
    if (node) tree.refresh(node);
  } };
  return [
    vscode.commands.registerCommand('switchboard.memcached.browseKeys', async (arg?: unknown) => {
      const picked = arg instanceof BrowseItemNode ? arg.profile : await profileFor(arg, profiles, vscode.l10n.t('Browse the keys of…'), (p) => p.kind === 'memcached');
      if (!isKind(picked, 'memcached')) return undefined;
      walkthroughDone('browsedKeys');
      return MemcachedBrowserPanel.show(panelOptions, picked);
    }),
    vscode.commands.registerCommand('switchboard.memcached.flushAll', async (arg?: unknown) => {
      const row = rowOf(arg, 'memcached');
      if (row?.place.of !== 'server') return;
      const { profile, place: { server } } = row;
      const flush = vscode.l10n.t('Flush All');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Flush every item on {0} ({1})?', server, profile.name),
        { modal: true, detail: vscode.l10n.t('flush_all invalidates all items on this server at once. There is no undo.') },
        flush,
      );
      if (choice !== flush) return;
      try {
        await (await sessions.session(profile)).flushAll(server);
        void vscode.window.showInformationMessage(vscode.l10n.t('Flushed {0}.', server));
        tree.refresh();
      } catch (error) {
        log.report(`flush_all on ${server}`, error);
      }
    }),
  ];
}
