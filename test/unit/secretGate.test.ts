import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDriverError } from '../../src/drivers/errors';
import { Profile } from '../../src/drivers/types';
import { SecretGate } from '../../src/core/secretGate';
import { SecretStore } from '../../src/storage/secretStore';

/** SecretStorage's three calls over a Map, as VS Code keeps them: strings by key. */
function memoryStorage(): { get(key: string): Promise<string | undefined>; store(key: string, value: string): Promise<void>; delete(key: string): Promise<void> } {
  const entries = new Map<string, string>();
  return {
    get: async (key) => entries.get(key),
    store: async (key, value) => void entries.set(key, value),
    delete: async (key) => void entries.delete(key),
  };
}

const mysql: Profile = { id: 'db', name: 'Orders DB', kind: 'mysql', host: 'db.internal', port: 3306, username: 'app', tls: true, readOnly: false };

function gate(answers: boolean[]) {
  const profiles = new Map<string, Profile>([[mysql.id, mysql]]);
  const store = new SecretStore(memoryStorage());
  const asked: string[] = [];
  const gate = new SecretGate(store, (id) => profiles.get(id), async (_profile, enteredFor, goesTo) => {
    asked.push(`${enteredFor} => ${goesTo}`);
    return answers.shift() ?? false;
  });
  return { store, gate, asked, lookup: (id: string) => profiles.get(id) };
}

test('a password goes to the endpoint it was entered for without a question', async () => {
  const { store, gate: g, asked, lookup } = gate([]);
  await store.write(mysql, { password: 'pw' }, lookup);
  assert.deepEqual(await g.secretsFor({ ...mysql, name: 'Renamed', readOnly: true }), { password: 'pw' });
  assert.deepEqual(asked, []);
});

test('a changed endpoint asks first; "no" sends nothing and asks again next time, "yes" is remembered', async () => {
  const { store, gate: g, asked, lookup } = gate([false, true]);
  await store.write(mysql, { password: 'pw' }, lookup);
  const moved: Profile = { ...mysql, host: 'attacker.example', tls: false };
  await assert.rejects(g.secretsFor(moved), (error: unknown) => isDriverError(error) && error.code === 'auth' && /was not sent/.test(error.message));
  assert.deepEqual(asked, ['app@db.internal:3306, over TLS => app@attacker.example:3306, without TLS']);
  assert.deepEqual(await g.secretsFor(moved), { password: 'pw' });
  assert.deepEqual(await g.secretsFor(moved), { password: 'pw' });
  assert.equal(asked.length, 2, 'the agreed endpoint is not asked about again');
  await assert.rejects(g.secretsFor(mysql), /was not sent/, 'and going back is another change');
});

test('a test run does not remember an agreed endpoint; typed secrets are used as they are; a failing question is a no', async () => {
  const { store, gate: g, asked, lookup } = gate([true]);
  await store.write(mysql, { password: 'pw', passphrase: 'local' }, lookup);
  const moved: Profile = { ...mysql, port: 3307 };
  assert.deepEqual(await g.secretsFor(moved, { remember: false }), { password: 'pw', passphrase: 'local' });
  assert.deepEqual(await g.secretsFor(moved, { typed: { password: 'typed' } }), { password: 'typed', passphrase: 'local' });
  assert.equal(asked.length, 1);
  const failing = new SecretGate(store, lookup, async () => Promise.reject(new Error('no window')));
  await assert.rejects(failing.secretsFor(moved), /was not sent/);
});

test('a password saved before endpoints were recorded is bound to where the connection points at first use', async () => {
  const storage = memoryStorage();
  await storage.store('switchboard.db.password', 'old');
  const store = new SecretStore(storage);
  const g = new SecretGate(store, () => undefined, async () => false);
  assert.deepEqual(await g.secretsFor(mysql), { password: 'old' });
  await assert.rejects(g.secretsFor({ ...mysql, username: 'root' }), /was not sent/);
});

test('a Sentinel password goes only to the Sentinels it was entered for: others ask first, naming it, and a profile without Sentinels sends none', async () => {
  const sentinel: Profile = { id: 'cache', name: 'Cache', kind: 'redis', host: 'unused', port: 6379, db: 0, tls: false, readOnly: false, sentinels: ['s1.internal:26379', 's2.internal:26379'], sentinelMaster: 'main' };
  const storage = memoryStorage();
  const store = new SecretStore(storage);
  const asked: string[] = [];
  const answers = [true, false];
  const g = new SecretGate(store, () => undefined, async (_profile, enteredFor, goesTo, what) => {
    asked.push(`${what}: ${enteredFor} => ${goesTo}`);
    return answers.shift() ?? false;
  });
  await store.write(sentinel, { password: 'master-pw', sentinelPassword: 'sentinel-pw' }, () => undefined);
  assert.deepEqual(await g.secretsFor(sentinel), { password: 'master-pw', sentinelPassword: 'sentinel-pw' });
  assert.deepEqual(asked, []);
  // Another master name on the same Sentinels: the master's password goes elsewhere, the Sentinels' does not.
  assert.deepEqual(await g.secretsFor({ ...sentinel, sentinelMaster: 'other' }), { password: 'master-pw', sentinelPassword: 'sentinel-pw' });
  assert.deepEqual(asked, ['password: Sentinels s1.internal:26379, s2.internal:26379 (master main), without TLS => Sentinels s1.internal:26379, s2.internal:26379 (master other), without TLS']);
  // Other Sentinels: the Sentinel password is asked about by its name, and "no" sends nothing.
  const moved: Profile = { ...sentinel, sentinels: ['attacker.example:26379'] };
  await assert.rejects(g.secretsFor(moved), (error: unknown) => isDriverError(error) && /saved password was entered for/.test(error.message));
  assert.match(asked[1] ?? '', /^password: /);
  assert.ok(await storage.get('switchboard.cache.sentinelPassword'), 'the secret itself is kept');
  const onlySentinelAsked: string[] = [];
  const sentinelGate = new SecretGate(store, () => undefined, async (_profile, enteredFor, goesTo, what) => {
    onlySentinelAsked.push(`${what}: ${enteredFor} => ${goesTo}`);
    return what === 'password';
  });
  await assert.rejects(sentinelGate.secretsFor(moved), (error: unknown) => isDriverError(error) && /saved Sentinel password was entered for Sentinels s1\.internal.*attacker\.example.*The Sentinel password was not sent/.test(error.message));
  assert.deepEqual(onlySentinelAsked, [
    'password: Sentinels s1.internal:26379, s2.internal:26379 (master other), without TLS => Sentinels attacker.example:26379 (master main), without TLS',
    'Sentinel password: Sentinels s1.internal:26379, s2.internal:26379, without TLS => Sentinels attacker.example:26379, without TLS',
  ]);
  // Without Sentinels there is nobody to send it to.
  const direct: Profile = { ...sentinel, host: 'cache.internal', sentinels: [] };
  const none = new SecretGate(store, () => undefined, async () => true);
  assert.deepEqual(await none.secretsFor(direct), { password: 'master-pw' });
});
