import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { utils } from 'ssh2';
import { changedKeyWarning } from '../../src/core/hostKeyTrust';
import { fingerprint } from '../../src/drivers/ssh/knownHosts';
import { extension } from './api';
import { ed25519PublicBlob } from '../fixtures/sshKeys';

const blobOf = (publicLine: string): Buffer => Buffer.from(publicLine.split(' ')[1] ?? '', 'base64');

describe('SSH host keys in VS Code', () => {
  // A port no test server uses: only what this test remembers is known for it.
  const host = '127.0.0.1';
  const port = 2;
  const known = ed25519PublicBlob();
  const rsa = blobOf(utils.generateKeyPairSync('rsa', { bits: 2048 }).public);

  after(async () => {
    const api = await extension();
    await api.hostKeys.forget(`[${host}]:${port}`);
    await vscode.workspace.getConfiguration('switchboard').update('ssh.allowSha1RsaHosts', undefined, vscode.ConfigurationTarget.Global);
  });

  it('treats a known host showing a key of another type as a changed key, naming the known type and fingerprint', async () => {
    const api = await extension();
    await api.hostKeys.remember(host, port, known);
    const assessment = await api.hostKeys.assess(host, port, rsa);
    assert.equal(assessment.status, 'changed', 'not a first-contact question');
    assert.deepEqual(assessment.known, [`ssh-ed25519 ${fingerprint(known)}`]);
    assert.equal(assessment.presented, `ssh-rsa ${fingerprint(rsa)}`);
    const { message, detail } = changedKeyWarning(assessment);
    assert.match(message, /host key of \[127\.0\.0\.1\]:2 has changed/);
    assert.ok(detail.includes(`Known for this host: ssh-ed25519 ${fingerprint(known)}.`), detail);
    assert.match(detail, /another type than the known one/);
    assert.equal(await api.hostKeys.verify(host, port, rsa), false, 'and refused');
    assert.equal((await api.hostKeys.assess(host, port, known)).status, 'trusted');
  });

  it('offers the known key types first, and SHA-1 ssh-rsa only for hosts the user allowed', async () => {
    const api = await extension();
    await api.hostKeys.remember(host, port, known);
    assert.deepEqual(await api.hostKeys.policy(host, port), { knownTypes: ['ssh-ed25519'], allowSha1Rsa: false });
    await vscode.workspace.getConfiguration('switchboard').update('ssh.allowSha1RsaHosts', [`${host}:${port}`], vscode.ConfigurationTarget.Global);
    assert.equal((await api.hostKeys.policy(host, port)).allowSha1Rsa, true);
    assert.equal((await api.hostKeys.policy(host, 22)).allowSha1Rsa, false, 'an entry with a port names that port only');
    await vscode.workspace.getConfiguration('switchboard').update('ssh.allowSha1RsaHosts', [host], vscode.ConfigurationTarget.Global);
    assert.equal((await api.hostKeys.policy(host, 22)).allowSha1Rsa, true, 'a bare host name covers every port');
  });
});
