import * as vscode from 'vscode';
import { HostKeyVerifier } from '../drivers/types';
import { fingerprint, hostField, keyType } from '../drivers/ssh/knownHosts';
import { PinnedHostKey } from '../storage/workspaceFile/hostKeyPin';
import { Log } from './log';

const WORDS = {
  changed: (where: string) => vscode.l10n.t('WARNING: the host key of {0} is not the one pinned in the workspace\'s connection file. Someone could be intercepting the connection, or the server was reinstalled. Switchboard refused to connect.', where),
  detail: (file: string, pinned: string, presented: string) =>
    vscode.l10n.t('{0} pins {1}.\nThe server presents {2}.\nIf the server\'s key really changed, update "hostKey" in the file (ssh-keyscan prints the new one) after checking it with the server\'s administrator.', file, pinned, presented),
  log: (where: string, presented: string) => `Host key for ${where} does not match the pinned one (presented ${presented}); connection refused.`,
};

/**
 * The host key check of an SSH connection whose key is pinned in a workspace connection file: that key and no other,
 * without asking (the team's file vouches for it), and a different key is refused as a changed one, whatever the
 * user's own known_hosts files say.
 */
export class PinnedHostKeyVerifier implements HostKeyVerifier {
  constructor(
    private readonly pin: PinnedHostKey,
    private readonly target: { readonly host: string; readonly port: number },
    private readonly file: string,
    private readonly others: HostKeyVerifier,
    private readonly log: Log,
  ) {}

  async verify(host: string, port: number, presented: Uint8Array): Promise<boolean> {
    if (host !== this.target.host || port !== this.target.port) return this.others.verify(host, port, presented);
    const key = Buffer.from(presented);
    if (key.equals(this.pin.key)) return true;
    const where = hostField(host, port);
    const shown = `${keyType(key)} ${fingerprint(key)}`;
    this.log.channel.error(WORDS.log(where, shown));
    // Shown, not awaited: the refusal does not wait for the dialog (nor fail when it cannot be shown).
    void vscode.window.showErrorMessage(WORDS.changed(where), { modal: true, detail: WORDS.detail(this.file, `${this.pin.type} ${fingerprint(this.pin.key)}`, shown) }).then(undefined, () => undefined);
    return false;
  }
}
