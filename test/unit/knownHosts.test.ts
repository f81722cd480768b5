import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { checkKnownHosts, fingerprint, keyType, knownHostsLine, knownKeysFor } from '../../src/drivers/ssh/knownHosts';
import { hostKeyAlgorithms } from '../../src/drivers/ssh/hostKeyAlgorithms';
import { ed25519PublicBlob } from '../fixtures/sshKeys';

const key = ed25519PublicBlob();
const other = ed25519PublicBlob();
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

test('the same host with another key has changed, whether of the same type or another', () => {
  assert.equal(checkKnownHosts(`h ssh-ed25519 ${other.toString('base64')}`, 'h', 22, key), 'changed');
  assert.equal(checkKnownHosts(`h ssh-rsa AAAAB3Nza`, 'h', 22, key), 'changed', 'a host known by an RSA key now showing Ed25519');
  assert.equal(checkKnownHosts(`h ecdsa-sha2-nistp256 AAAAE2Vj\nh ssh-rsa AAAAB3Nza`, 'h', 22, key), 'changed');
  assert.equal(checkKnownHosts(`h ssh-ed25519 ${other.toString('base64')}\nh ssh-ed25519 ${b64}`, 'h', 22, key), 'trusted');
  assert.equal(checkKnownHosts(`h ssh-rsa AAAAB3Nza\nh ssh-ed25519 ${b64}`, 'h', 22, key), 'trusted', 'a host may be known by several types');
  assert.equal(checkKnownHosts(`other ssh-rsa AAAAB3Nza`, 'h', 22, key), 'unknown');
  assert.equal(checkKnownHosts(`@revoked h ssh-rsa AAAAB3Nza`, 'h', 22, key), 'unknown', 'a revoked key alone does not make the host known');
  assert.deepEqual(knownKeysFor(`h ssh-rsa AAAAB3Nza\n@revoked h ssh-rsa AAAAB3Nza\nh ssh-ed25519 ${b64}`, 'h', 22).map((k) => k.type), ['ssh-ed25519']);
});

test('host key algorithms: the known types first, SHA-1 ssh-rsa only when allowed, right after the SHA-2 ones', () => {
  assert.deepEqual(hostKeyAlgorithms([], false), ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256']);
  assert.deepEqual(hostKeyAlgorithms(['ssh-rsa'], false), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521']);
  assert.deepEqual(hostKeyAlgorithms(['ssh-rsa'], true).slice(0, 3), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  assert.deepEqual(hostKeyAlgorithms(['ecdsa-sha2-nistp384', 'ssh-ed25519'], false).slice(0, 2), ['ssh-ed25519', 'ecdsa-sha2-nistp384']);
  assert.ok(!hostKeyAlgorithms(['ssh-dss'], false).includes('ssh-dss'));
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
