import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { driver, SshSession } from '../../src/drivers/ssh';
import { SshProfile } from '../../src/drivers/types';
import { knownHostsVerifier, TIMEOUT_MS } from './env';
import { LyingSftpServer, startLyingSftpServer } from './lyingSftpServer';

/** Names no real sshd can send, and a lying one can: each must be refused, never joined to a path. */
const HOSTILE = ['../../escape.txt', 'a/b', '.', '..', '', 'nul\0x', '/etc/passwd'];
/** ssh2 drops "." and ".." from READDIR replies itself; the rest reach Switchboard's own check. */
const REFUSED = HOSTILE.filter((name) => name !== '.' && name !== '..');

let server: LyingSftpServer;
let session: SshSession;
let local: string;

before(async () => {
  server = await startLyingSftpServer({
    '/': { kind: 'dir', names: ['tree'] },
    '/tree': { kind: 'dir', names: ['good.txt', ...HOSTILE, 'good.txt', 'sub', 'up'] },
    '/tree/good.txt': { kind: 'file', data: Buffer.from('good\n') },
    '/tree/sub': { kind: 'dir', names: ['inner.txt', '../../../deep-escape.txt'] },
    '/tree/sub/inner.txt': { kind: 'file', data: Buffer.from('inner\n') },
    '/tree/up': { kind: 'link', to: '/etc' },
  });
  const profile: SshProfile = { id: 'liar', name: 'lying server', kind: 'ssh', host: '127.0.0.1', port: server.port, username: 'anyone', useAgent: false, readOnly: false };
  session = await driver.connect(profile, { secrets: { password: 'any' }, timeoutMs: TIMEOUT_MS, hostKeys: knownHostsVerifier(server.knownHosts) });
  local = mkdtempSync(join(tmpdir(), 'switchboard-lying-'));
});

after(async () => {
  await session.close();
  await server.close();
  rmSync(local, { recursive: true, force: true });
});

/** Every file under a local folder, as paths relative to it. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name))).sort();
}

test('a listing refuses names that are not one path component, and says which', async () => {
  const { entries, refused } = await session.files.list('/tree');
  assert.deepEqual(entries.map((e) => e.name).sort(), ['good.txt', 'sub', 'up']);
  assert.deepEqual(refused.map((r) => r.name).sort(), [...REFUSED, 'good.txt'].sort(), 'a name listed twice is shown once');
  assert.ok(refused.every((r) => r.problem.length > 0));
  const rows = await session.children({ place: { kind: 'ssh', of: 'dir', path: '/tree' }, label: 'tree', type: 'dir', icon: 'folder', expandable: true });
  const notice = rows.find((row) => row.place.of === 'refused');
  assert.equal(notice?.label, `${REFUSED.length + 1} names refused`);
  assert.match(notice?.tooltip ?? '', /"\.\.\/\.\.\/escape\.txt": the name contains "\/"/);
  assert.match(notice?.tooltip ?? '', /"nul\\u0000x": the name contains a NUL byte/);
});

test('a folder download writes only inside the chosen folder: lying names and a link out are left out and reported', async () => {
  const chosen = join(local, 'a', 'b', 'c');
  mkdirSync(chosen, { recursive: true });
  const target = join(chosen, 'tree');
  const plan = await session.transfers.planDownload('/tree', target);
  const reasons = new Map(plan.leftOut.map((item) => [item.path, item.reason]));
  for (const name of REFUSED) assert.ok([...reasons.keys()].some((path) => path === `/tree/${JSON.stringify(name).slice(1, -1)}`), `"${name}" is left out: ${[...reasons.keys()].join(', ')}`);
  assert.match(reasons.get('/tree/sub/../../../deep-escape.txt') ?? '', /refused: the name contains "\/"/);
  assert.match(reasons.get('/tree/good.txt') ?? '', /named it twice/);
  assert.match(reasons.get('/tree/up') ?? '', /a symbolic link to \/etc, outside the folder/);
  const outcome = await session.transfers.run(plan, false, () => undefined);
  assert.equal(outcome.files, 2);
  assert.deepEqual(filesUnder(local), [join('a', 'b', 'c', 'tree', 'good.txt'), join('a', 'b', 'c', 'tree', 'sub', 'inner.txt')], 'nothing outside the chosen folder, nothing from the lying names');
  assert.equal(readFileSync(join(target, 'good.txt'), 'utf8'), 'good\n');
  assert.deepEqual(server.changes, [], 'a download changes nothing on the server');
});

test('deleting a folder from a lying server touches only what it counted, inside the folder', async () => {
  const tally = await session.files.countForDeletion('/tree');
  assert.equal(tally.files, 3, 'good.txt, sub/inner.txt and the link up (not what it points to)');
  assert.equal(tally.folders, 2);
  assert.equal(tally.refused.length, REFUSED.length + 1, 'the hostile names in /tree and in /tree/sub');
  await session.files.deleteCounted(tally);
  assert.deepEqual([...server.changes].sort(), ['REMOVE /tree/good.txt', 'REMOVE /tree/sub/inner.txt', 'REMOVE /tree/up', 'RMDIR /tree', 'RMDIR /tree/sub']);
  assert.ok(server.changes.indexOf('RMDIR /tree/sub') > server.changes.indexOf('REMOVE /tree/sub/inner.txt'), 'what a folder holds goes first');
});

test('a server that makes up folders without end gets a download that ends, and says where it stopped', async () => {
  const endless = await startLyingSftpServer((path) => (path === '/' || path.startsWith('/endless') ? { kind: 'dir', names: ['again'] } : undefined));
  const profile: SshProfile = { id: 'endless', name: 'endless', kind: 'ssh', host: '127.0.0.1', port: endless.port, username: 'anyone', useAgent: false, readOnly: false };
  const deep = await driver.connect(profile, { secrets: { password: 'any' }, timeoutMs: TIMEOUT_MS, hostKeys: knownHostsVerifier(endless.knownHosts) });
  try {
    const plan = await deep.transfers.planDownload('/endless', join(local, 'endless'));
    assert.equal(plan.leftOut.length, 1);
    assert.match(plan.leftOut[0]?.reason ?? '', /more than 64 folders deep/);
    assert.equal(plan.folders.length, 65);
  } finally {
    await deep.close();
    await endless.close();
  }
});
