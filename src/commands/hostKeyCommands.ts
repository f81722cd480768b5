import * as vscode from 'vscode';
import { HostKeyTrust } from '../core/hostKeyTrust';

/** Forget a host key Switchboard trusted, so that a legitimately changed key can be accepted again. */
export function registerHostKeyCommands(hostKeys: HostKeyTrust): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.forgetHostKey', async () => {
      const hosts = await hostKeys.storedHosts();
      if (hosts.length === 0) return void vscode.window.showInformationMessage('Switchboard has not stored any SSH host keys.');
      const host = await vscode.window.showQuickPick(hosts, { placeHolder: 'Forget the stored host key of…' });
      if (!host) return;
      const choice = await vscode.window.showWarningMessage(`Forget the host key of ${host}?`, { modal: true, detail: 'The next connection will show its fingerprint and ask again.' }, 'Forget');
      if (choice === 'Forget') await hostKeys.forget(host);
    }),
  ];
}
