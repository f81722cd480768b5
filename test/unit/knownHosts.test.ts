import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { checkKnownHosts, fingerprint, keyType, knownHostsLine } from '../../src/drivers/ssh/knownHosts';

/** An ed25519 public key in SSH wire format, as a server presents it. */
function sshKey(): Buffer {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(der.length - 32);
  const type = Buffer.from('ssh-ed25519');
  const len = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([len(type.length), type, len(raw.length), raw]);
}

const key = sshKey();
const other = sshKey();
const b64 = key.toString('base64');

test('a plain entry on port 22 and a bracketed entry on another port match', () => {
  assert.equal(checkKnownHosts(`example.com ssh-ed25519 ${b64}\n`, 'example.com', 22, key), 'trusted');
  assert.equal(checkKnownHosts(`[example.com]:2222 ssh-ed25519 ${b64}\n`, 'example.com', 2222, key), 'trusted');
  assert.equal(checkKnownHosts(`example.com ssh-ed25519 ${b64}\n`, 'example.com', 2222, key), 'unknown');
});

test('hashed host names match as OpenSSH writes them', () => {
  const salt = Buffer.from('0123456789abcdefghij');
  const hash = createHmac('sha1', salt).update('[10.0.0.7]:2200').digest('base64');
  assert.equal(checkKnownHosts(`|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${b64}`, '10.0.0.7', 2200, key), 'trusted');
  assert.equal(checkKnownHosts(`|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${b64}`, '10.0.0.8', 2200, key), 'unknown');
});

test('the same host with another key of the same type has changed', () => {
  assert.equal(checkKnownHosts(`h ssh-ed25519 ${other.toString('base64')}`, 'h', 22, key), 'changed');
  assert.equal(checkKnownHosts(`h ssh-rsa AAAAB3Nza`, 'h', 22, key), 'unknown', 'another key type is not a change');
  assert.equal(checkKnownHosts(`h ssh-ed25519 ${other.toString('base64')}\nh ssh-ed25519 ${b64}`, 'h', 22, key), 'trusted');
});

test('wildcards, negations, comments, revoked keys and CA lines', () => {
  assert.equal(checkKnownHosts(`*.internal,!db.internal ssh-ed25519 ${b64}`, 'web.internal', 22, key), 'trusted');
  assert.equal(checkKnownHosts(`*.internal,!db.internal ssh-ed25519 ${b64}`, 'db.internal', 22, key), 'unknown');
  assert.equal(checkKnownHosts(`# h ssh-ed25519 ${b64}\n\n`, 'h', 22, key), 'unknown');
  assert.equal(checkKnownHosts(`@revoked * ssh-ed25519 ${b64}\nh ssh-ed25519 ${b64}`, 'h', 22, key), 'revoked');
  assert.equal(checkKnownHosts(`@cert-authority * ssh-ed25519 ${b64}`, 'h', 22, key), 'unknown');
});

test('fingerprints read like ssh-keygen -l, lines like known_hosts', () => {
  assert.equal(fingerprint(key), `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`);
  assert.equal(keyType(key), 'ssh-ed25519');
  assert.equal(knownHostsLine('h', 2222, key), `[h]:2222 ssh-ed25519 ${b64}`);
  assert.equal(checkKnownHosts(knownHostsLine('h', 2222, key), 'h', 2222, key), 'trusted');
});
