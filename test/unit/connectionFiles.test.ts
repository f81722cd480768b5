import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Profile } from '../../src/drivers/types';
import { asCopies, exportDocument, importDocument, planImport, profileChanges } from '../../src/storage/connectionFiles';
import { describeEndpoint, sameEndpoint, secretEndpoint } from '../../src/storage/secretEndpoint';

const bastion: Profile = { id: 'bastion', name: 'Bastion', kind: 'ssh', host: 'bastion.example.com', port: 22, username: 'ops', useAgent: false, readOnly: false };
const cache: Profile = { id: 'cache', name: 'Cache', kind: 'redis', host: '10.0.0.5', port: 6379, tls: false, db: 0, readOnly: true, viaSsh: 'bastion' };
const lookup = (profiles: readonly Profile[]) => (id: string): Profile | undefined => profiles.find((p) => p.id === id);

test('an import splits into new connections and ones that would replace an existing one, with what would change', () => {
  const incoming: Profile = { ...cache, host: '10.0.0.9', readOnly: false };
  const other: Profile = { ...cache, id: 'new-one', name: 'New' };
  const { profiles } = importDocument(exportDocument([incoming, other]));
  const { fresh, collisions } = planImport(profiles, [bastion, cache]);
  assert.deepEqual(fresh.map((p) => p.id), ['new-one']);
  assert.equal(collisions.length, 1);
  assert.equal(collisions[0]!.existing, cache);
  assert.deepEqual(collisions[0]!.changes, ['Host: 10.0.0.5 → 10.0.0.9', 'Read-only: yes → (none)']);
  assert.deepEqual(profileChanges(cache, cache), []);
});

test('imported copies get fresh ids and unique names, and links among them follow the copies', () => {
  const copies = asCopies([bastion, cache], [bastion, cache]);
  const [sshCopy, redisCopy] = copies;
  assert.notEqual(sshCopy!.id, 'bastion');
  assert.notEqual(redisCopy!.id, 'cache');
  assert.deepEqual(copies.map((p) => p.name), ['Bastion 2', 'Cache 2']);
  assert.equal(redisCopy!.kind === 'redis' && redisCopy!.viaSsh, sshCopy!.id, 'the copied Redis rides on the copied SSH host');
  const alone = asCopies([cache], [bastion, cache]);
  assert.equal(alone[0]!.kind === 'redis' && alone[0]!.viaSsh, 'bastion', 'a link outside the copied set is kept');
});

test('a secret endpoint changes with the host, port, user, transport and the carriers it goes through, not with the name', () => {
  const all = [bastion, cache];
  const base = secretEndpoint(cache, lookup(all));
  assert.ok(sameEndpoint(base, secretEndpoint({ ...cache, name: 'Renamed', readOnly: false, db: 3 }, lookup(all))));
  for (const changed of [{ ...cache, host: '10.0.0.9' }, { ...cache, port: 6380 }, { ...cache, username: 'admin' }, { ...cache, tls: true }, { ...cache, viaSsh: undefined }] as Profile[]) {
    assert.ok(!sameEndpoint(base, secretEndpoint(changed, lookup(all))), JSON.stringify(changed));
  }
  const movedBastion: Profile = { ...bastion, host: 'other-bastion.example.com' };
  assert.ok(!sameEndpoint(base, secretEndpoint(cache, lookup([movedBastion, cache]))), 'an edited carrier is another path');
  assert.equal(describeEndpoint(base), '10.0.0.5:6379, without TLS, through SSH ops@bastion.example.com:22');
  const rabbit: Profile = { id: 'r', name: 'R', kind: 'rabbitmq', host: 'mq', port: 5672, username: 'app', vhost: '/', tls: false, readOnly: false, managementUrl: 'http://mq:15672' };
  assert.ok(!sameEndpoint(secretEndpoint(rabbit, lookup([])), secretEndpoint({ ...rabbit, managementUrl: 'http://elsewhere:15672' }, lookup([]))), 'the management API receives the password too');
});

test('carrier chains that loop or lead to a missing connection still give an endpoint', () => {
  const a: Profile = { ...bastion, id: 'a', jumpHost: 'b' };
  const b: Profile = { ...bastion, id: 'b', host: 'b.example.com', jumpHost: 'a' };
  assert.equal(secretEndpoint(a, lookup([a, b])).via, 'ops@b.example.com:22', 'the chain stops where it comes back to itself');
  assert.match(secretEndpoint(cache, lookup([])).via ?? '', /missing SSH connection/);
});
