import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Profile } from '../../src/drivers/types';
import { planImport } from '../../src/storage/connectionFiles';
import { readConnectionFile } from '../../src/storage/imports/connectionFile';
import { importRedisInsight } from '../../src/storage/imports/redisInsight';
import { importArdm, parseArdmFile } from '../../src/storage/imports/anotherRedisDesktopManager';
import { importDbeaver } from '../../src/storage/imports/dbeaver';
import { ImportReport } from '../../src/storage/imports/importReport';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'imports');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const byName = (report: ImportReport, name: string): Profile => {
  const found = report.profiles.find((p) => p.name === name);
  assert.ok(found, `${name} is among ${report.profiles.map((p) => p.name).join(', ')}`);
  return found;
};
const notesOf = (list: ImportReport['notes'], name: string): string[] => list.filter((n) => n.name === name).map((n) => n.text);
/** No value of the file's secrets is anywhere in what was imported. */
function assertNoSecrets(report: ImportReport, secrets: readonly string[]): void {
  const imported = JSON.stringify(report.profiles);
  for (const secret of secrets) assert.ok(!imported.includes(secret), `${secret} was left out`);
  assert.ok(!/"(password|passphrase|auth|privateKey)"/.test(imported), imported);
}

test('RedisInsight export: each connection type mapped, secrets left out and listed, an invalid entry skipped with the reason', () => {
  const report = readConnectionFile(fixture('redisinsight-export.json'));
  assert.equal(report.tool, 'RedisInsight');
  const staging = byName(report, 'Staging cache');
  assert.deepEqual(staging, { id: 'redisinsight-5a1c0d3e-6f38-4a52-9c43-0d1a6e7b9f21', name: 'Staging cache', kind: 'redis', host: 'cache.staging.internal', port: 6379, db: 2, tls: false, username: 'app', readOnly: false });
  const cloud = byName(report, 'Cloud (TLS)');
  assert.ok(cloud.kind === 'redis' && cloud.tls && cloud.caFile === undefined);
  assert.deepEqual(notesOf(report.notes, 'Cloud (TLS)').length, 3, 'CA as text, client certificate, SNI name');
  const cluster = byName(report, 'Orders cluster');
  assert.ok(cluster.kind === 'redis' && cluster.cluster === true && cluster.host === '10.20.0.11' && cluster.port === 7000);
  const sentinel = byName(report, 'Sessions (Sentinel)');
  assert.ok(sentinel.kind === 'redis' && sentinel.sentinelMaster === 'mymaster');
  assert.deepEqual(sentinel.kind === 'redis' && sentinel.sentinels, ['sentinel-1.internal:26379']);
  const queue = byName(report, 'Queue via bastion');
  const jobs = byName(report, 'Jobs via bastion (key)');
  const bastion = report.profiles.find((p) => p.kind === 'ssh');
  assert.ok(bastion?.kind === 'ssh' && bastion.host === 'bastion.example.com' && bastion.port === 2222 && bastion.username === 'deploy');
  assert.equal(queue.viaSsh, bastion.id);
  assert.equal(jobs.viaSsh, bastion.id, 'both go through one SSH connection');
  assert.equal(report.profiles.filter((p) => p.kind === 'ssh').length, 1);
  assert.deepEqual(report.skipped.map((s) => s.name), ['Broken port']);
  assert.match(report.skipped[0]!.text, /Port must be a whole number/);
  assert.deepEqual(
    report.secretsLeftOut.map((s) => `${s.name}: ${s.text.replace(/ \(.*/, '')}`),
    ['Staging cache: password', 'Cloud (TLS): password', 'Sessions (Sentinel): password', 'Sessions (Sentinel): Sentinel master password', 'Queue via bastion: SSH password', 'Jobs via bastion (key): SSH key passphrase', 'Jobs via bastion (key): SSH private key'],
  );
  assertNoSecrets(report, ['st4ging-secret', 'cl0ud-pass', 'sentinel-pass', 'master-pass', 'bastion-pw', 'key-pass', 'OPENSSH PRIVATE KEY', 'PRIVATE KEY']);
});

test('RedisInsight export without passwords lists no secrets; importing it twice collides instead of duplicating', () => {
  const withoutSecrets = (JSON.parse(fixture('redisinsight-export.json')) as Record<string, unknown>[]).map(({ password: _p, ...rest }) => rest);
  const first = importRedisInsight(withoutSecrets, 'me');
  assert.ok(!first.secretsLeftOut.some((s) => s.text === 'password'));
  const again = importRedisInsight(withoutSecrets, 'me');
  const { fresh, collisions } = planImport(again.profiles, first.profiles);
  assert.equal(fresh.length, 0);
  assert.equal(collisions.length, first.profiles.length);
  assert.ok(collisions.every((c) => c.changes.length === 0));
});

test('Another Redis Desktop Manager .ano: base64 JSON with groups, SSH key files, TLS files and Sentinel; secrets left out', () => {
  const text = fixture('ardm-connections.ano');
  assert.ok(!text.trim().startsWith('{'), 'the real export is base64, not JSON');
  const report = readConnectionFile(text);
  assert.equal(report.tool, 'Another Redis Desktop Manager');
  const local = byName(report, 'Local');
  assert.deepEqual(local, { id: 'ardm-1718000000000_ab12c', name: 'Local', kind: 'redis', host: '127.0.0.1', port: 6379, db: 0, tls: false, readOnly: false });
  const reporting = byName(report, 'Reporting (read-only)');
  assert.ok(reporting.kind === 'redis' && reporting.readOnly && reporting.group === 'Analytics' && reporting.username === 'reader' && reporting.port === 6380);
  assert.match(notesOf(report.notes, 'Reporting (read-only)')[0] ?? '', /separator "::"/);
  const behind = byName(report, 'Behind SSH');
  const jump = report.profiles.find((p) => p.id === behind.viaSsh);
  assert.ok(jump?.kind === 'ssh' && jump.host === 'jump.example.com' && jump.username === 'ops' && jump.keyFile === '/home/ops/.ssh/id_ed25519' && jump.group === 'Analytics');
  const sentinel = byName(report, 'Sentinel');
  assert.ok(sentinel.kind === 'redis' && sentinel.sentinelMaster === 'primary-group-1');
  // ARDM names an unnamed connection host@port.
  const tls = byName(report, 'tls.example.com@6390');
  assert.ok(tls.kind === 'redis' && tls.tls && tls.caFile === '/etc/ssl/ca.pem' && tls.cluster === true && tls.group === undefined, JSON.stringify(tls));
  assert.equal(notesOf(report.notes, 'tls.example.com@6390').length, 2, 'client certificate and SNI');
  assert.deepEqual(report.skipped.map((s) => s.name), ['Bad port']);
  assert.deepEqual(
    report.secretsLeftOut.map((s) => `${s.name}: ${s.text}`),
    ['Local: password', 'Behind SSH: password', 'Behind SSH: SSH key passphrase', 'Sentinel: password', 'Sentinel: Redis node password (behind the Sentinel)'],
  );
  assertNoSecrets(report, ['local-pass', 'tunnel-redis-pass', 'key-phrase', 'sentinel-auth', 'node-pass']);
});

test('Another Redis Desktop Manager: the older plain list, and a decoded file, read the same', () => {
  const legacy = readConnectionFile(fixture('ardm-legacy.ano'));
  assert.deepEqual(legacy.profiles.map((p) => p.name), ['Legacy with password', 'legacy-no-name@12001']);
  assert.deepEqual(legacy.secretsLeftOut.map((s) => s.name), ['Legacy with password']);
  const decoded = Buffer.from(fixture('ardm-connections.ano'), 'base64').toString('utf8');
  assert.deepEqual(importArdm(parseArdmFile(decoded)).profiles, importArdm(parseArdmFile(fixture('ardm-connections.ano'))).profiles);
});

test('DBeaver data-sources.json: MySQL and MariaDB only, folders as groups, SSH tunnels with jump servers, credentials left out', () => {
  const report = importDbeaver(JSON.parse(fixture('dbeaver-data-sources.json')), 'localuser');
  assert.equal(report.tool, 'DBeaver');
  const shop = byName(report, 'Shop (local)');
  assert.deepEqual(shop, { id: 'dbeaver-mysql8-18f2b3c4d5e-6a7b8c9d0e1f2a3b', name: 'Shop (local)', kind: 'mysql', host: 'localhost', port: 3306, username: 'localuser', tls: false, database: 'shop', readOnly: false });
  assert.match(notesOf(report.notes, 'Shop (local)')[0] ?? '', /encrypted credentials-config\.json.*localuser/);
  const replica = byName(report, 'Reports replica');
  assert.ok(replica.kind === 'mysql' && replica.readOnly && replica.group === 'Production/Reporting' && replica.port === 3307 && replica.database === 'reports');
  const bastion = report.profiles.find((p) => p.id === replica.viaSsh);
  assert.ok(bastion?.kind === 'ssh' && bastion.host === 'db-bastion.example.com' && bastion.keyFile === '/home/dev/.ssh/id_ed25519' && !bastion.useAgent, JSON.stringify(bastion));
  const edge = report.profiles.find((p) => p.id === bastion.jumpHost);
  assert.ok(edge?.kind === 'ssh' && edge.host === 'edge.example.com' && edge.port === 2022 && edge.username === 'edge-user' && edge.useAgent && edge.jumpHost === undefined, JSON.stringify(edge));
  const billing = byName(report, 'Billing (TLS)');
  assert.ok(billing.kind === 'mysql' && billing.tls && billing.username === 'billing_ro' && billing.group === 'Production');
  const legacy = byName(report, 'Legacy by URL');
  assert.ok(legacy.kind === 'mysql' && legacy.host === 'legacy-db.internal' && legacy.port === 3310 && legacy.database === 'old_app' && legacy.username === 'legacy', JSON.stringify(legacy));
  assert.deepEqual(report.skipped.map((s) => s.name), ['Analytics warehouse', 'Broken port']);
  assert.match(report.skipped[0]!.text, /postgresql connection/);
  assert.deepEqual(report.secretsLeftOut.map((s) => `${s.name}: ${s.text}`), ['Billing (TLS): password', 'Legacy by URL: password']);
  assertNoSecrets(report, ['plain-billing-pass', 'legacy-pass']);
});

test('a hand-edited Switchboard export with a password keeps the connection, drops the password and says so', () => {
  const report = readConnectionFile(JSON.stringify({ format: 'switchboard-profiles', version: 1, profiles: [{ id: 'x', name: 'X', kind: 'redis', host: 'h', port: 6379, tls: false, db: 0, readOnly: false, password: 'typed-in' }] }));
  assert.equal(report.profiles.length, 1);
  assert.deepEqual(report.secretsLeftOut, [{ name: 'X', text: 'password' }]);
  assertNoSecrets(report, ['typed-in']);
});

test('a file of none of these formats is refused with what Switchboard reads', () => {
  for (const text of ['{"connections": []}', '[]', 'not json at all', Buffer.from('{"a":1}').toString('base64'), '[{"host": 1}]']) {
    assert.throws(() => readConnectionFile(text), /RedisInsight export.*data-sources\.json/, text);
  }
});
