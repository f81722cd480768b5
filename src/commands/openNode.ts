import * as vscode from 'vscode';
import { sftpUri } from '../fs/sftpFileSystem';
import { remotePath } from './remoteFileCommands';
import { redisTarget } from './redisCommands';
import { mysqlServerView } from './mysqlServerCommands';

/** Activating a row: a remote file opens in the editor, a Redis database in the key browser, a MySQL server view in its panel. */
export function registerOpenNode(): vscode.Disposable {
  return vscode.commands.registerCommand('switchboard.openNode', async (arg?: unknown) => {
    const file = remotePath(arg);
    if (file && !file.isDir) return vscode.commands.executeCommand('vscode.open', sftpUri(file.profile.id, file.path));
    if (redisTarget(arg)) return vscode.commands.executeCommand('switchboard.redis.browseKeys', arg);
    const view = mysqlServerView(arg);
    if (view) return vscode.commands.executeCommand(view, arg);
    return undefined;
  });
}
