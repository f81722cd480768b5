import * as vscode from 'vscode';
import { sftpUri } from '../fs/sftpFileSystem';
import { remotePath } from './sshCommands';
import { redisTarget } from './redisCommands';

/** Activating a row: a remote file opens in the editor, a Redis database in the key browser. */
export function registerOpenNode(): vscode.Disposable {
  return vscode.commands.registerCommand('switchboard.openNode', async (arg?: unknown) => {
    const file = remotePath(arg);
    if (file && !file.isDir) return vscode.commands.executeCommand('vscode.open', sftpUri(file.profile.id, file.path));
    if (redisTarget(arg)) return vscode.commands.executeCommand('switchboard.redis.browseKeys', arg);
    return undefined;
  });
}
