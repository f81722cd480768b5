import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { driver, SshSession } from '../../src/drivers/ssh';
import { SshProfile } from '../../src/drivers/types';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

const profile: SshProfile = { id: 'dl', name: 'ssh', kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false };
let session: SshSession;
let remote: string;
let local: string;

/** Runs a shell script on the server as the SSH user. */
async function sh(script: string): Promise<void> {
  const errors: Buffer[] = [];
  const exit = await session.exec(script, () => undefined, (chunk) => errors.push(chunk));
  assert.equal(exit.code, 0, Buffer.concat(errors).toString());
}

before(async () => {
  session = await driver.connect(profile, { secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() });
  remote = `${await session.homeDirectory()}/download-safety-${process.pid}`;
  local = mkdtempSync(join(tmpdir(), 'switchboard-download-safety-'));
  // Hostile names a real server can hold, links round loops and out of the tree, and a pipe that never ends.
  await sh([
    'set -e', `mkdir -p ${remote}/tree/sub`, `cd ${remote}/tree`,
    'printf ok > ok.txt', "printf back > '..\\..\\evil.txt'", 'printf nl > "$(printf \'line\\nbreak\')"',
    'printf esc > "$(printf \'esc\\033[31mred\')"', 'printf bad > "$(printf \'bad\\377name\')"',
    'ln -s .. sub/loop', 'ln -s . self', 'ln -s /etc out', 'ln -s /etc/passwd passwd', 'printf outside > ../outside.txt', 'ln -s ../outside.txt up.txt',
    'ln -s ok.txt alias.txt', 'ln -s nowhere dangling', 'mkfifo fifo', 'printf inner > sub/inner.txt',
  ].join('\n'));
});

after(async () => {
  await sh(`rm -rf ${remote}`);
  await session.close();
  rmSync(local, { recursive: true, force: true });
});

/** Every file and link under a local folder, relative to it. */
function entriesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => relative(root, join(e.parentPath, e.name))).sort();
}

test('a folder download: hostile names as data, no loop followed, no link out followed, no pipe read', async () => {
  const chosen = join(local, 'first');
  mkdirSync(chosen);
  const plan = await session.transfers.planDownload(`${remote}/tree`, join(chosen, 'tree'));
  const reasons = Object.fromEntries(plan.leftOut.map((item) => [relative(`${remote}/tree`, item.path), item.reason]));
  assert.match(reasons['bad\ufffdname'] ?? '', /not valid UTF-8/);
  assert.match(reasons[join('sub', 'loop')] ?? '', /a folder already included/);
  assert.match(reasons['self'] ?? '', /a folder already included/);
  assert.match(reasons['out'] ?? '', /a symbolic link to \/etc, outside the folder/);
  assert.match(reasons['passwd'] ?? '', /outside the folder/);
  assert.match(reasons['up.txt'] ?? '', /outside the folder/);
  assert.match(reasons['dangling'] ?? '', /a symbolic link to nothing/);
  assert.match(reasons['fifo'] ?? '', /not a regular file or folder/);
  assert.equal(Object.keys(reasons).length, 8, JSON.stringify(reasons));
  assert.deepEqual(plan.files.filter((f) => f.replaces), [], 'nothing is there yet, so nothing is replaced');
  const outcome = await session.transfers.run(plan, false, () => undefined);
  assert.equal(outcome.files, 6);
  assert.deepEqual(entriesUnder(chosen), ['tree/..\\..\\evil.txt', 'tree/alias.txt', 'tree/esc\u001b[31mred', 'tree/line\nbreak', 'tree/ok.txt', 'tree/sub/inner.txt'].sort());
  assert.equal(readFileSync(join(chosen, 'tree', 'alias.txt'), 'utf8'), 'ok', 'a link to a file inside the tree is copied as that file');
  assert.deepEqual(readdirSync(local), ['first'], 'nothing was written beside the chosen folder');
});

test('existing local files are listed before anything is replaced: skip keeps them, replace replaces only them', async () => {
  const target = join(local, 'existing', 'tree');
  mkdirSync(join(target, 'sub'), { recursive: true });
  writeFileSync(join(target, 'ok.txt'), 'mine');
  writeFileSync(join(target, 'sub', 'inner.txt'), 'mine too');
  const plan = await session.transfers.planDownload(`${remote}/tree`, target);
  assert.deepEqual(plan.files.filter((f) => f.replaces).map((f) => relative(target, f.target)).sort(), ['ok.txt', join('sub', 'inner.txt')]);
  const skipped = await session.transfers.run(plan, false, () => undefined);
  assert.deepEqual([...skipped.kept].sort(), [join(target, 'ok.txt'), join(target, 'sub', 'inner.txt')]);
  assert.equal(readFileSync(join(target, 'ok.txt'), 'utf8'), 'mine');
  assert.equal(readFileSync(join(target, 'sub', 'inner.txt'), 'utf8'), 'mine too');
  // Planned again: now every file is there. A file that appears after the plan is never replaced, even with "replace all".
  const again = await session.transfers.planDownload(`${remote}/tree`, target);
  assert.equal(again.files.filter((f) => f.replaces).length, 6);
  rmSync(join(target, 'alias.txt'));
  const planned = await session.transfers.planDownload(`${remote}/tree`, target);
  writeFileSync(join(target, 'alias.txt'), 'appeared meanwhile');
  const replaced = await session.transfers.run(planned, true, () => undefined);
  assert.deepEqual(replaced.appeared, [join(target, 'alias.txt')]);
  assert.equal(readFileSync(join(target, 'alias.txt'), 'utf8'), 'appeared meanwhile');
  assert.equal(readFileSync(join(target, 'ok.txt'), 'utf8'), 'ok', 'a listed file is replaced when the user said so');
  assert.ok(!readdirSync(target).some((name) => name.includes('.switchboard-')), 'no part file left');
});

test('a local link where a folder goes is not followed: what it points to stays untouched', async () => {
  const elsewhere = join(local, 'elsewhere');
  mkdirSync(elsewhere);
  const target = join(local, 'linked', 'tree');
  mkdirSync(target, { recursive: true });
  symlinkSync(elsewhere, join(target, 'sub'));
  const plan = await session.transfers.planDownload(`${remote}/tree`, target);
  assert.match(plan.leftOut.find((item) => item.path === `${remote}/tree/sub`)?.reason ?? '', /a symbolic link \(not followed\)/);
  await session.transfers.run(plan, true, () => undefined);
  assert.deepEqual(readdirSync(elsewhere), []);
  assert.ok(lstatSync(join(target, 'sub')).isSymbolicLink());
});

test('a single file download to an existing name replaces it only when told to', async () => {
  const file = join(local, 'single.txt');
  writeFileSync(file, 'mine');
  const plan = await session.transfers.planDownload(`${remote}/tree/ok.txt`, file);
  assert.equal(plan.files[0]?.replaces?.kind, 'file');
  await session.transfers.run(plan, false, () => undefined);
  assert.equal(readFileSync(file, 'utf8'), 'mine');
  await session.transfers.run(plan, true, () => undefined);
  assert.equal(readFileSync(file, 'utf8'), 'ok');
  assert.equal(existsSync(join(local, 'fifo')), false);
});
