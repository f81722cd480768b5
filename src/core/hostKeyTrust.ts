import * as vscode from 'vscode';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { HostKeyPolicy, HostKeyVerifier } from '../drivers/types';
import { checkKnownHosts, fingerprint, HostKeyStatus, hostField, keyType, knownHostsLine, knownKeysFor } from '../drivers/ssh/knownHosts';
import { config } from './config';
import { Log } from './log';
import type { SyncedKnownHosts } from './settingsSync';

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/** What the known_hosts files say of one presented host key. */
export interface HostKeyAssessment {
  readonly status: HostKeyStatus;
  /** "host" or "[host]:port", as known_hosts names it. */
  readonly where: string;
  /** "ssh-ed25519 SHA256:…" */
  readonly presented: string;
  /** The keys on file for the host, each "type SHA256:…". */
  readonly known: readonly string[];
}

/** The warning for a changed key: what it is now, what was known, and how to accept a change the user expected. */
export function changedKeyWarning({ where, presented, known }: HostKeyAssessment): { message: string; detail: string } {
  const otherType = !known.some((line) => line.startsWith(`${presented.split(' ')[0] ?? ''} `));
  return {
    message: vscode.l10n.t('WARNING: the host key of {0} has changed. Someone could be intercepting the connection, or the server was reinstalled. Switchboard refused to connect.', where),
    detail: [
      vscode.l10n.t('It now presents {0}.', presented),
      vscode.l10n.t('Known for this host: {0}.', known.join(', ')),
      ...(otherType ? [vscode.l10n.t('The new key is of another type than the known one: a server that suddenly shows another type of key is treated as a changed key.')] : []),
      vscode.l10n.t('If you know why it changed, remove the old key: run "{0}" and, if it is in ~/.ssh/known_hosts, "{1}", then connect again.', `Switchboard: ${vscode.l10n.t('Forget SSH Host Key')}`, `ssh-keygen -R '${where}'`),
    ].join('\n'),
  };
}

/**
 * Verifies SSH host keys against ~/.ssh/known_hosts and Switchboard's own known_hosts file.
 * Unknown keys are shown with their fingerprint and asked about; changed or revoked keys are refused. Never silent.
 */
export class HostKeyTrust implements HostKeyVerifier {
  constructor(
    readonly storeFile: string,
    private readonly log: Log,
    /** Keys trusted on the user's other machines, when they opted in to syncing them. */
    private readonly synced?: Pick<SyncedKnownHosts, 'text' | 'add' | 'remove'>,
    private readonly userFiles = [join(homedir(), '.ssh', 'known_hosts')],
  ) {}

  /** Every known_hosts text: the user's files, Switchboard's own, and the keys synced from other machines (opt-in). */
  private async texts(): Promise<string[]> {
    return [...(await Promise.all([...this.userFiles, this.storeFile].map(readText))), this.synced?.text() ?? ''];
  }

  /** The key types on file for the host, and whether the user allowed SHA-1 "ssh-rsa" signatures from it. */
  async policy(host: string, port: number): Promise<HostKeyPolicy> {
    const knownTypes = [...new Set((await this.texts()).flatMap((text) => knownKeysFor(text, host, port)).map((known) => known.type))];
    const names = [host.toLowerCase(), `${host.toLowerCase()}:${port}`];
    const allowSha1Rsa = config.sshAllowSha1RsaHosts().some((entry) => names.includes(entry.trim().toLowerCase()));
    return { knownTypes, allowSha1Rsa };
  }

  /** What the known_hosts files say of a presented key, without asking anything. */
  async assess(host: string, port: number, presented: Uint8Array): Promise<HostKeyAssessment> {
    const key = Buffer.from(presented);
    const texts = await this.texts();
    const statuses = texts.map((text) => checkKnownHosts(text, host, port, key));
    const status: HostKeyStatus = statuses.includes('revoked') ? 'revoked' : statuses.includes('trusted') ? 'trusted' : statuses.includes('changed') ? 'changed' : 'unknown';
    const known = [...new Set(texts.flatMap((text) => knownKeysFor(text, host, port)).map((k) => `${k.type} ${fingerprint(k.key)}`))];
    return { status, where: hostField(host, port), presented: `${keyType(key)} ${fingerprint(key)}`, known };
  }

  async verify(host: string, port: number, presented: Uint8Array): Promise<boolean> {
    const assessment = await this.assess(host, port, presented);
    const { status, where, presented: print } = assessment;
    if (status === 'revoked') {
      this.log.channel.error(`Host key for ${where} is revoked (${print}); connection refused.`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The host key of {0} is marked @revoked in known_hosts. Switchboard refused to connect.', where), { modal: true }).then(undefined, () => undefined);
      return false;
    }
    if (status === 'trusted') return true;
    if (status === 'changed') {
      const { message, detail } = changedKeyWarning(assessment);
      this.log.channel.error(`Host key for ${where} CHANGED (now ${print}; known: ${assessment.known.join(', ')}); connection refused.`);
      void vscode.window.showErrorMessage(message, { modal: true, detail }).then(undefined, () => undefined);
      return false;
    }
    const trust = vscode.l10n.t('Trust and Connect');
    const [type, print256] = [print.slice(0, print.indexOf(' ')), print.slice(print.indexOf(' ') + 1)];
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The authenticity of host {0} can\'t be established.', where),
      { modal: true, detail: `${vscode.l10n.t('Its {0} key fingerprint is {1}.', type, print256)}\n${vscode.l10n.t('Compare it with the server\'s own (ssh-keygen -lf on the host key) before you trust it.')}` },
      trust,
    );
    if (choice !== trust) return false;
    await this.remember(host, port, Buffer.from(presented));
    return true;
  }

  /** Adds a key to Switchboard's own known_hosts file. */
  async remember(host: string, port: number, key: Buffer): Promise<void> {
    await mkdir(dirname(this.storeFile), { recursive: true });
    await appendFile(this.storeFile, `${knownHostsLine(host, port, key)}\n`);
    await this.synced?.add([knownHostsLine(host, port, key)]);
    this.log.info(`Trusted host key for ${hostField(host, port)}: ${keyType(key)} ${fingerprint(key)}`);
  }

  /** Hosts in Switchboard's own file, for "Forget SSH Host Key". */
  async storedHosts(): Promise<string[]> {
    const lines = `${await readText(this.storeFile)}\n${this.synced?.text() ?? ''}`.split('\n').filter(Boolean);
    return [...new Set(lines.map((line) => line.split(' ')[0] ?? ''))].filter(Boolean);
  }

  async forget(hostEntry: string): Promise<void> {
    const lines = (await readText(this.storeFile)).split('\n').filter((line) => line && line.split(' ')[0] !== hostEntry);
    await writeFile(this.storeFile, lines.length ? `${lines.join('\n')}\n` : '');
    await this.synced?.remove(hostEntry);
  }

  /**
   * When the user opts in, the keys trusted on this machine start to travel; when they opt out, the keys that came
   * from other machines stay trusted here, in the local file.
   */
  async syncOptInChanged(enabled: boolean, synced: Pick<SyncedKnownHosts, 'add' | 'lines'>): Promise<void> {
    if (enabled) return synced.add((await readText(this.storeFile)).split('\n').filter(Boolean));
    const local = (await readText(this.storeFile)).split('\n').filter(Boolean);
    const missing = synced.lines().filter((line) => !local.includes(line));
    if (!missing.length) return;
    await mkdir(dirname(this.storeFile), { recursive: true });
    await appendFile(this.storeFile, `${missing.join('\n')}\n`);
  }
}
