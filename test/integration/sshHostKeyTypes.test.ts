import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver as ssh } from '../../src/drivers/ssh';
import { HostKeyVerifier, SshProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { checkKnownHosts, HostKeyStatus, keyType, knownHostsLine, knownKeysFor } from '../../src/drivers/ssh/knownHosts';
import { OpenSshService, startOpenSsh } from '../services/openssh';
import { TIMEOUT_MS } from './env';

const root = mkdtempSync(join(tmpdir(), 'switchboard-hostkeys-'));
let all: OpenSshService;
let rsaOnly: OpenSshService;
let sha1Only: OpenSshService;

before(async () => {
  [all, rsaOnly, sha1Only] = await Promise.all([
    startOpenSsh(root, 'sshd-all-types', undefined, { hostKeyTypes: ['ed25519', 'ecdsa', 'rsa'] }),
    startOpenSsh(root, 'sshd-rsa-only', undefined, { hostKeyTypes: ['rsa'] }),
    // An old server's way of signing: SHA-1 only (OpenSSH before 7.2, or one configured like it).
    startOpenSsh(root, 'sshd-sha1', undefined, { hostKeyTypes: ['rsa'], config: ['HostKeyAlgorithms ssh-rsa'] }),
  ]);
});

after(async () => {
  await Promise.all([all, rsaOnly, sha1Only].map((server) => server?.stop()));
  rmSync(root, { recursive: true, force: true });
});

const profileOf = (server: OpenSshService): SshProfile => ({ id: server.name, name: server.name, kind: 'ssh', host: '127.0.0.1', port: server.port, username: server.user, useAgent: false, readOnly: false });
const blob = (line: string): Buffer => Buffer.from(line.split(' ')[1] ?? '', 'base64');

/** A verifier over known_hosts text that records what each presented key was found to be, and the policy it gives. */
function recording(text: string, allowSha1Rsa = false): HostKeyVerifier & { seen: { type: string; status: HostKeyStatus }[] } {
  const seen: { type: string; status: HostKeyStatus }[] = [];
  return {
    seen,
    async verify(host, port, key) {
      const status = checkKnownHosts(text, host, port, Buffer.from(key));
      seen.push({ type: keyType(Buffer.from(key)), status });
      return status === 'trusted';
    },
    async policy(host, port) {
      return { knownTypes: [...new Set(knownKeysFor(text, host, port).map((k) => k.type))], allowSha1Rsa };
    },
  };
}

test('a known host is asked for the key type it is known by, whichever of its keys that is', async () => {
  for (const type of ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ssh-rsa']) {
    const line = all.hostPublicKeys[type];
    assert.ok(line, `the server has a ${type} key`);
    const verifier = recording(knownHostsLine('127.0.0.1', all.port, blob(line)));
    const session = await ssh.connect(profileOf(all), { secrets: { password: all.password }, timeoutMs: TIMEOUT_MS, hostKeys: verifier });
    await session.close();
    assert.deepEqual(verifier.seen, [{ type, status: 'trusted' }]);
  }
});

test('a known host offering a key of another type is a changed key, and refused', async () => {
  // known_hosts holds an Ed25519 key for this host; the server now has only RSA.
  const verifier = recording(knownHostsLine('127.0.0.1', rsaOnly.port, blob(all.hostPublicKeys['ssh-ed25519'] ?? '')));
  await assert.rejects(ssh.connect(profileOf(rsaOnly), { secrets: { password: rsaOnly.password }, timeoutMs: TIMEOUT_MS, hostKeys: verifier }), (e: unknown) => isDriverError(e) && e.code === 'hostKey');
  assert.deepEqual(verifier.seen, [{ type: 'ssh-rsa', status: 'changed' }]);
});

test('SHA-1 ssh-rsa host key signatures are refused unless allowed for the host', async () => {
  const text = knownHostsLine('127.0.0.1', sha1Only.port, blob(sha1Only.hostPublicKey));
  const refusing = recording(text);
  await assert.rejects(ssh.connect(profileOf(sha1Only), { secrets: { password: sha1Only.password }, timeoutMs: TIMEOUT_MS, hostKeys: refusing }), (e: unknown) => {
    assert.ok(isDriverError(e), String(e));
    assert.equal(e.code, 'hostKey');
    assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${sha1Only.port} offers only host key signatures that Switchboard refuses: SHA-1 "ssh-rsa"`));
    return true;
  });
  assert.deepEqual(refusing.seen, [], 'the handshake stopped before any key was presented');
  const allowing = recording(text, true);
  const session = await ssh.connect(profileOf(sha1Only), { secrets: { password: sha1Only.password }, timeoutMs: TIMEOUT_MS, hostKeys: allowing });
  await session.close();
  assert.deepEqual(allowing.seen, [{ type: 'ssh-rsa', status: 'trusted' }]);
  // The same RSA key signed with SHA-2 needs no allowance.
  const modern = recording(knownHostsLine('127.0.0.1', rsaOnly.port, blob(rsaOnly.hostPublicKey)));
  await (await ssh.connect(profileOf(rsaOnly), { secrets: { password: rsaOnly.password }, timeoutMs: TIMEOUT_MS, hostKeys: modern })).close();
  assert.deepEqual(modern.seen, [{ type: 'ssh-rsa', status: 'trusted' }]);
});
