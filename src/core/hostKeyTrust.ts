import * as vscode from 'vscode';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { HostKeyVerifier } from '../drivers/types';
import { checkKnownHosts, fingerprint, hostField, keyType, knownHostsLine } from '../drivers/ssh/knownHosts';
import { Log } from './log';

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Verifies SSH host keys against ~/.ssh/known_hosts and Switchboard's own known_hosts file.
 * Unknown keys are shown with their fingerprint and asked about; changed or revoked keys are refused. Never silent.
 */
export class HostKeyTrust implements HostKeyVerifier {
  constructor(readonly storeFile: string, private readonly log: Log, private readonly userFiles = [join(homedir(), '.ssh', 'known_hosts')]) {}

  async verify(host: string, port: number, presented: Uint8Array): Promise<boolean> {
    const key = Buffer.from(presented);
    const texts = await Promise.all([...this.userFiles, this.storeFile].map(readText));
    const statuses = texts.map((text) => checkKnownHosts(text, host, port, key));
    const where = hostField(host, port);
    const print = `${keyType(key)} ${fingerprint(key)}`;
    if (statuses.includes('revoked')) {
      this.log.channel.error(`Host key for ${where} is revoked (${print}); connection refused.`);
      void vscode.window.showErrorMessage(`The host key of ${where} is marked @revoked in known_hosts. Switchboard refused to connect.`, { modal: true });
      return false;
    }
    if (statuses.includes('trusted')) return true;
    if (statuses.includes('changed')) {
      this.log.channel.error(`Host key for ${where} CHANGED (now ${print}); connection refused.`);
      void vscode.window.showErrorMessage(
        `WARNING: the host key of ${where} has changed. Someone could be intercepting the connection, or the server was reinstalled. Switchboard refused to connect.`,
        {
          modal: true,
          detail: `It now presents ${print}. If you know why it changed, remove the old key: run "Switchboard: Forget SSH Host Key" and, if it is in ~/.ssh/known_hosts, "ssh-keygen -R '${where}'", then connect again.`,
        },
      );
      return false;
    }
    const trust = 'Trust and Connect';
    const choice = await vscode.window.showWarningMessage(
      `The authenticity of host ${where} can't be established.`,
      { modal: true, detail: `Its ${print.replace(' ', ' key fingerprint is ')}.\nCompare it with the server's own (ssh-keygen -lf on the host key) before you trust it.` },
      trust,
    );
    if (choice !== trust) return false;
    await this.remember(host, port, key);
    return true;
  }

  /** Adds a key to Switchboard's own known_hosts file. */
  async remember(host: string, port: number, key: Buffer): Promise<void> {
    await mkdir(dirname(this.storeFile), { recursive: true });
    await appendFile(this.storeFile, `${knownHostsLine(host, port, key)}\n`);
    this.log.info(`Trusted host key for ${hostField(host, port)}: ${keyType(key)} ${fingerprint(key)}`);
  }

  /** Hosts in Switchboard's own file, for "Forget SSH Host Key". */
  async storedHosts(): Promise<string[]> {
    const lines = (await readText(this.storeFile)).split('\n').filter(Boolean);
    return [...new Set(lines.map((line) => line.split(' ')[0] ?? ''))].filter(Boolean);
  }

  async forget(hostEntry: string): Promise<void> {
    const lines = (await readText(this.storeFile)).split('\n').filter((line) => line && line.split(' ')[0] !== hostEntry);
    await writeFile(this.storeFile, lines.length ? `${lines.join('\n')}\n` : '');
  }
}
