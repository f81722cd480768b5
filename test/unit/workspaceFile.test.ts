import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWorkspaceFile, ParsedWorkspaceFile } from '../../src/storage/workspaceFile/parse';
import { workspaceFileSchema } from '../../src/storage/workspaceFile/schema';

const FIXTURE = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'switchboard.json'), 'utf8');
const context = { folderPath: '/work/shop', runtimeId: (id: string) => `ws-f00d-${id}` };
const parse = (text: string): ParsedWorkspaceFile => parseWorkspaceFile(text, context);
const file = (...profiles: unknown[]): string => JSON.stringify({ profiles }, null, 2);
const redis = { id: 'cache', name: 'Cache', kind: 'redis', host: '10.0.0.5', port: 6379 };
/** The text a diagnostic points at. */
const at = (text: string, d: { offset: number; length: number }): string => text.slice(d.offset, d.offset + d.length);

test('a team file with comments loads every connection, namespaced, linked, with relative paths from the folder and pinned keys', () => {
  const { entries, diagnostics } = parse(FIXTURE);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(entries.map((e) => e.localId), ['bastion', 'app-box', 'cache', 'orders-db', 'sessions', 'events']);
  const byId = new Map(entries.map((e) => [e.localId, e.profile]));
  const cache = byId.get('cache');
  assert.deepEqual(cache, { id: 'ws-f00d-cache', name: 'Cache (staging)', kind: 'redis', host: '10.0.0.5', port: 6379, db: 0, tls: true, caFile: '/work/shop/certs/staging-ca.pem', readOnly: true, viaSsh: 'ws-f00d-bastion' });
  const appBox = byId.get('app-box');
  assert.ok(appBox?.kind === 'ssh' && appBox.jumpHost === 'ws-f00d-bastion' && appBox.keyFile === '~/.ssh/id_ed25519' && appBox.port === 22);
  assert.deepEqual(appBox.forwards, [{ localPort: 18080, remoteHost: 'localhost', remotePort: 8080 }]);
  const sessions = byId.get('sessions');
  assert.deepEqual(sessions?.kind === 'memcached' && sessions.servers, [{ host: '10.0.0.7', port: 11211, weight: 1 }, { host: '10.0.0.8', port: 11211, weight: 2 }]);
  const bastion = entries.find((e) => e.localId === 'bastion');
  assert.equal(bastion?.pin?.type, 'ssh-ed25519');
  assert.equal(bastion?.pin?.key.length, 51);
  assert.ok(entries.find((e) => e.localId === 'app-box')?.pin, 'a pin without a host field is for the entry\'s own host');
  assert.equal(at(FIXTURE, entries[2]!).trim().startsWith('{'), true, 'each entry knows where it is in the file');
});

test('a password, in any spelling, refuses its connection with a diagnostic on the field, and its value is never read', () => {
  const secret = 'hunter2-in-the-repo';
  const variants: string[] = ['password', 'Password', 'PASSWORD', 'passphrase', 'redisPassword', 'auth', 'pass', 'pwd', 'secret', 'token', 'sshPrivateKey', 'credentials'];
  for (const key of variants) {
    const text = file({ ...redis, [key]: secret }, { ...redis, id: 'other', name: 'Other' });
    const result = parse(text);
    assert.deepEqual(result.entries.map((e) => e.localId), ['other'], key);
    const diagnostic = result.diagnostics.find((d) => /never holds a password/.test(d.message));
    assert.ok(diagnostic, key);
    assert.equal(at(text, diagnostic), JSON.stringify(key));
    assert.ok(!JSON.stringify(result).includes(secret), `${key}: the value is nowhere in the result`);
  }
  // Escaped in the key, it is still the field "password".
  const escaped = `{"profiles": [{"id": "cache", "name": "C", "kind": "redis", "host": "h", "pass\\u0077ord": "${secret}"}]}`;
  assert.equal(parse(escaped).entries.length, 0);
  assert.ok(!JSON.stringify(parse(escaped)).includes(secret));
  // Hidden inside a value's object: the shape of that value is checked exactly.
  const nested = file({ ...redis, kind: 'ssh', username: 'u', port: 22, forwards: [{ localPort: 1, remoteHost: 'h', remotePort: 2, password: secret }] });
  assert.equal(parse(nested).entries.length, 0);
  assert.ok(!JSON.stringify(parse(nested)).includes(secret));
  // In a comment it is not a field, so nothing is refused (and nothing is read from it).
  const commented = `{"profiles": [{"id": "cache", "name": "C", "kind": "redis", "host": "h" /* "password": "${secret}" */}]}`;
  assert.equal(parse(commented).entries.length, 1);
  assert.ok(!JSON.stringify(parse(commented).entries).includes(secret));
});

test('fields outside the kind\'s allow-list, wrong types and a field given twice refuse the connection, each marked where it is', () => {
  const cases: [unknown, RegExp, string][] = [
    [{ ...redis, hots: 'typo' }, /"hots" is not a field of a redis connection/, '"hots"'],
    [{ ...redis, port: '6379' }, /"port" must be a whole number/, '"6379"'],
    [{ ...redis, tls: 'yes' }, /"tls" must be true or false/, '"yes"'],
    [{ ...redis, sentinels: 'a:1,b:2' }, /"sentinels" must be a list of strings/, '"a:1,b:2"'],
    [{ ...redis, keyFile: '~/.ssh/id' }, /"keyFile" is not a field of a redis connection/, '"keyFile"'],
    [{ ...redis, port: 70000 }, /Port must be a whole number from 1 to 65535/, '70000'],
    [{ ...redis, kind: 'postgres' }, /"kind" is one of redis, memcached/, '"postgres"'],
    [{ ...redis, id: 'has space' }, /The "id" is 1 to 64 letters/, '"has space"'],
    [{ ...redis, name: ' ' }, /Give the connection a "name"/, '" "'],
  ];
  for (const [entry, message, marked] of cases) {
    const text = file(entry);
    const result = parse(text);
    assert.equal(result.entries.length, 0, String(message));
    const diagnostic = result.diagnostics.find((d) => message.test(d.message));
    assert.ok(diagnostic, `${message} in ${JSON.stringify(result.diagnostics)}`);
    assert.equal(at(text, diagnostic), marked);
  }
  const twice = `{"profiles": [{"id": "cache", "name": "C", "kind": "redis", "host": "10.0.0.5", "host": "203.0.113.9"}]}`;
  assert.equal(parse(twice).entries.length, 0);
  assert.match(parse(twice).diagnostics[0]!.message, /"host" is given twice/);
});

test('ids are unique without case; links must name an SSH connection of the file that loads; loops load nothing', () => {
  const dup = parse(file(redis, { ...redis, id: 'CACHE', name: 'Again' }));
  assert.deepEqual(dup.entries.map((e) => e.profile.name), ['Cache']);
  assert.ok(dup.diagnostics.some((d) => /has the id "CACHE"/.test(d.message)));
  const missing = parse(file({ ...redis, viaSsh: 'nowhere' }));
  assert.equal(missing.entries.length, 0);
  assert.ok(missing.diagnostics.some((d) => /"viaSsh" names "nowhere", which is not an SSH connection/.test(d.message)));
  const notSsh = parse(file(redis, { ...redis, id: 'second', name: 'Second', viaSsh: 'cache' }));
  assert.deepEqual(notSsh.entries.map((e) => e.localId), ['cache']);
  const ssh = { kind: 'ssh', host: 'h', username: 'u' };
  const loop = parse(file({ ...ssh, id: 'a', name: 'A', jumpHost: 'b' }, { ...ssh, id: 'b', name: 'B', jumpHost: 'a' }, { ...redis, viaSsh: 'a' }));
  assert.equal(loop.entries.length, 0, JSON.stringify(loop.entries));
  const brokenCarrier = parse(file({ ...ssh, id: 'a', name: 'A', port: 0 }, { ...redis, viaSsh: 'a' }));
  assert.equal(brokenCarrier.entries.length, 0, 'a server whose tunnel is refused does not connect directly instead');
  assert.ok(brokenCarrier.diagnostics.some((d) => /goes through "a", which is not loaded/.test(d.message)));
});

test('a pinned host key must be a key of the stated type, for this host and port', () => {
  const { entries } = parse(FIXTURE);
  const good = entries.find((e) => e.localId === 'bastion')!;
  const encoded = good.pin!.key.toString('base64');
  const ssh = { id: 'b', name: 'B', kind: 'ssh', host: 'bastion.example.com', port: 2222, username: 'u' };
  const cases: [string, RegExp][] = [
    [`other.example.com ssh-ed25519 ${encoded}`, /hostKey is for other\.example\.com, not for \[bastion\.example\.com\]:2222/],
    [`bastion.example.com ssh-ed25519 ${encoded}`, /not for \[bastion\.example\.com\]:2222/],
    [`ssh-rsa ${encoded}`, /hostKey says ssh-rsa, but the key itself is ssh-ed25519/],
    ['ssh-ed25519 not*base64', /not base64/],
    ['ssh-ed25519 AAAA', /hostKey says ssh-ed25519, but the key itself is not an SSH public key/],
    [`@revoked [bastion.example.com]:2222 ssh-ed25519 ${encoded}`, /@cert-authority and @revoked/],
    ['ssh-ed25519', /hostKey is a known_hosts line/],
  ];
  for (const [hostKey, message] of cases) {
    const result = parse(file({ ...ssh, hostKey }));
    assert.equal(result.entries.length, 0, hostKey);
    assert.ok(result.diagnostics.some((d) => message.test(d.message)), `${hostKey}: ${JSON.stringify(result.diagnostics)}`);
  }
  const wildcard = parse(file({ ...ssh, hostKey: `[bastion.*]:2222 ssh-ed25519 ${encoded} comment` }));
  assert.ok(wildcard.entries[0]?.pin, 'a known_hosts pattern naming the host is accepted');
});

test('a file that is not valid JSON, or not a connection file, loads nothing and says why; unknown top-level fields only warn', () => {
  const broken = parse('{"profiles": [{"id": "cache", "name": "C", "kind": "redis", "host": "h"}');
  assert.equal(broken.entries.length, 0);
  assert.match(broken.diagnostics[0]!.message, /Not valid JSON here/);
  assert.match(parse('[]').diagnostics[0]!.message, /object with a "profiles" list/);
  assert.match(parse('{}').diagnostics[0]!.message, /Add a "profiles" list/);
  const extra = parse(JSON.stringify({ profiles: [redis], connections: [] }));
  assert.equal(extra.entries.length, 1);
  assert.deepEqual(extra.diagnostics.map((d) => d.severity), ['warning']);
  // The export file is a workspace file too.
  assert.equal(parse(JSON.stringify({ format: 'switchboard-profiles', version: 1, profiles: [redis] })).diagnostics.length, 0);
});

test('the schema contributed for the editor is the one built from the parser\'s allow-list', () => {
  const shipped: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'media', 'switchboard.schema.json'), 'utf8'));
  assert.deepEqual(shipped, workspaceFileSchema(), 'regenerate it: node -e "process.stdout.write(JSON.stringify(require(\'./out/src/storage/workspaceFile/schema.js\').workspaceFileSchema(), null, 2) + \'\\n\')" > media/switchboard.schema.json');
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } };
  assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '/.vscode/switchboard.json', url: './media/switchboard.schema.json' }]);
});
