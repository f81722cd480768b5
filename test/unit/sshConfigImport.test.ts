import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSshConfig } from '../../src/drivers/ssh/sshConfigImport';

const CONFIG = `
# bastion first
Host bastion
  HostName bastion.example.com
  User ops
  Port 2222
  IdentityFile ~/.ssh/id_ed25519

Host db-* web1 web2
  ProxyJump bastion
  User app

Host web1
  HostName 10.0.0.11
  Port 2200

Host inner
  HostName 10.0.0.99
  ProxyJump bastion,web1

Host *
  User fallback
  IdentityFile ~/.ssh/id_rsa
`;

test('concrete hosts are imported with HostName, User, Port, IdentityFile and ProxyJump', () => {
  const hosts = readSshConfig(CONFIG);
  assert.deepEqual(hosts.map((h) => h.alias), ['bastion', 'web1', 'web2', 'inner']);
  assert.deepEqual(hosts[0], { alias: 'bastion', host: 'bastion.example.com', port: 2222, user: 'ops', identityFile: '~/.ssh/id_ed25519', proxyJump: [] });
  // First obtained value wins, as in ssh: User from the "db-* web1 web2" block, HostName and Port from "web1".
  assert.deepEqual(hosts[1], { alias: 'web1', host: '10.0.0.11', port: 2200, user: 'app', identityFile: '~/.ssh/id_rsa', proxyJump: ['bastion'] });
  assert.equal(hosts[2]?.host, 'web2');
  assert.deepEqual(hosts[3]?.proxyJump, ['bastion', 'web1']);
  assert.equal(hosts[3]?.user, 'fallback');
});

test('an empty or comment-only config has no hosts', () => {
  assert.deepEqual(readSshConfig(''), []);
  assert.deepEqual(readSshConfig('# nothing\n\nHost *\n  User x\n'), []);
});
