import * as vscode from 'vscode';
import { HostKeyTrust } from '../core/hostKeyTrust';

/** Forget a host key Switchboard trusted, so that a legitimately changed key can be accepted again. */
export function registerHostKeyCommands(hostKeys: HostKeyTrust): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('switchboard.forgetHostKey', async () => {
      const hosts = await hostKeys.storedHosts();
      if (hosts.length === 0) return void vscode.window.showInformationMessage(vscode.l10n.t('Switchboard has not stored any SSH host keys.'));
      const host = await vscode.window.showQuickPick(hosts, { placeHolder: vscode.l10n.t('Forget the stored host key of…') });
      if (!host) return;
      const forget = vscode.l10n.t('Forget');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Forget the host key of {0}?', host), { modal: true, detail: vscode.l10n.t('The next connection will show its fingerprint and ask again.') }, forget);
      if (choice === forget) await hostKeys.forget(host);
    }),
  ];
}
