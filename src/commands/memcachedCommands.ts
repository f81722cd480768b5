import * as vscode from 'vscode';
import type { MemcachedSession } from '../drivers/memcached';
import { MemcachedProfile } from '../drivers/types';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';
import { MemcachedBrowserPanel } from '../panels/memcachedBrowser/memcachedBrowserPanel';
import { profileFor } from './pickProfile';
import { CommandServices } from './commandServices';

const isMemcached = (p: { kind: string } | undefined): p is MemcachedProfile => p?.kind === 'memcached';

/** The key browser and flush_all of Memcached connections. */
export function registerMemcachedCommands(services: CommandServices): vscode.Disposable[] {
  const { profiles, sessions, tree, log } = services;
  return [
    vscode.commands.registerCommand('switchboard.memcached.browseKeys', async (arg?: unknown) => {
      const picked = arg instanceof BrowseItemNode ? arg.profile : await profileFor(arg, profiles, 'Browse the keys of…', (p) => p.kind === 'memcached');
      return isMemcached(picked) ? MemcachedBrowserPanel.show(services.extensionUri, picked, sessions, log) : undefined;
    }),
    vscode.commands.registerCommand('switchboard.memcached.flushAll', async (arg?: unknown) => {
      if (!(arg instanceof BrowseItemNode) || !isMemcached(arg.profile) || arg.node.path[0] !== 'server') return;
      const server = arg.node.path[1]!;
      const profile = arg.profile;
      const choice = await vscode.window.showWarningMessage(
        `Flush every item on ${server} (${profile.name})?`,
        { modal: true, detail: 'flush_all invalidates all items on this server at once. There is no undo.' },
        'Flush All',
      );
      if (choice !== 'Flush All') return;
      try {
        await ((await sessions.session(profile)) as MemcachedSession).flushAll(server);
        void vscode.window.showInformationMessage(`Flushed ${server}.`);
        tree.refresh();
      } catch (error) {
        log.report(`flush_all on ${server}`, error);
      }
    }),
  ];
}
