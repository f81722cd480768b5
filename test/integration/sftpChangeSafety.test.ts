import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver, SshSession } from '../../src/drivers/ssh';
import { SshProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

const profile: SshProfile = { id: 'ch', name: 'ssh', kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false };
let session: SshSession;
let remote: string;
let local: string;

/** Runs a shell script on the server as the SSH user and returns its output. */
async function sh(script: string): Promise<string> {
  const out: Buffer[] = [];
  const errors: Buffer[] = [];
  const exit = await session.exec(script, (chunk) => out.push(chunk), (chunk) => errors.push(chunk));
  assert.equal(exit.code, 0, Buffer.concat(errors).toString());
  return Buffer.concat(out).toString();
}

before(async () => {
  session = await driver.connect(profile, { secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() });
  remote = `${await session.homeDirectory()}/change-safety-${process.pid}`;
  local = mkdtempSync(join(tmpdir(), 'switchboard-change-safety-'));
  await sh(`mkdir -p ${remote}`);
});

after(async () => {
  await sh(`rm -rf ${remote}`);
  await session.close();
  rmSync(local, { recursive: true, force: true });
});

test('an upload lists what it would replace; skip keeps it, replace keeps its mode; a remote link in the way is not followed', async () => {
  const source = join(local, 'up');
  mkdirSync(join(source, 'sub'), { recursive: true });
  mkdirSync(join(source, 'linked'));
  writeFileSync(join(source, 'a.txt'), 'new a');
  writeFileSync(join(source, 'sub', 'b.txt'), 'new b');
  writeFileSync(join(source, 'linked', 'c.txt'), 'new c');
  symlinkSync('.', join(source, 'loop'));
  symlinkSync('/etc', join(source, 'out'));
  const target = `${remote}/up`;
  await sh(`mkdir -p ${target}/sub ${remote}/elsewhere && printf theirs > ${target}/a.txt && chmod 600 ${target}/a.txt && ln -s ../elsewhere ${target}/linked`);
  const plan = await session.transfers.planUpload([{ source, target }]);
  assert.deepEqual(plan.files.filter((f) => f.replaces).map((f) => f.target), [`${target}/a.txt`]);
  const reasons = Object.fromEntries(plan.leftOut.map((item) => [item.path, item.reason]));
  assert.match(reasons[join(source, 'loop')] ?? '', /a folder already included/);
  assert.match(reasons[join(source, 'out')] ?? '', /outside the folder/);
  assert.match(reasons[join(source, 'linked')] ?? '', /a symbolic link \(not followed\)/);
  const skipped = await session.transfers.run(plan, false, () => undefined);
  assert.deepEqual(skipped.kept, [`${target}/a.txt`]);
  assert.equal(await sh(`cat ${target}/a.txt; echo; cat ${target}/sub/b.txt; echo; ls ${remote}/elsewhere | wc -l`), 'theirs\nnew b\n0\n');
  // A file that appears after the plan was shown is not replaced, even with "replace all".
  await sh(`rm ${target}/sub/b.txt`);
  const again = await session.transfers.planUpload([{ source, target }]);
  await sh(`printf 'appeared meanwhile' > ${target}/sub/b.txt`);
  const replaced = await session.transfers.run(again, true, () => undefined);
  assert.deepEqual(replaced.appeared, [`${target}/sub/b.txt`]);
  assert.equal(await sh(`cat ${target}/a.txt; echo; stat -c %a ${target}/a.txt; cat ${target}/sub/b.txt; echo; ls -A ${target} ${target}/sub | grep -c switchboard || true`), 'new a\n600\nappeared meanwhile\n0\n');
});

test('rename refuses an existing folder, ".", ".." and paths; it replaces a file only when told to', async () => {
  await sh(`mkdir -p ${remote}/r/folder/deep && printf keep > ${remote}/r/folder/deep/keep.txt && printf one > ${remote}/r/one.txt && printf two > ${remote}/r/two.txt`);
  const files = session.files;
  const refusedWith = (pattern: RegExp) => (error: unknown) => isDriverError(error) && error.code === 'config' && pattern.test(error.message);
  await assert.rejects(files.rename(`${remote}/r/one.txt`, `${remote}/r/folder`, true), refusedWith(/is an existing folder/));
  for (const bad of ['.', '..', '']) await assert.rejects(files.rename(`${remote}/r/one.txt`, `${remote}/r/${bad}`, true), refusedWith(/refused/), bad);
  await assert.rejects(files.rename(`${remote}/r/one.txt`, `${remote}/r/../escaped.txt`, true), refusedWith(/refused/));
  await assert.rejects(files.rename(`${remote}/r/one.txt`, `${remote}/r/two.txt`), refusedWith(/already exists/));
  assert.equal(await sh(`cat ${remote}/r/folder/deep/keep.txt ${remote}/r/one.txt ${remote}/r/two.txt; ls ${remote} | grep -c escaped || true`), 'keeponetwo0\n');
  await files.rename(`${remote}/r/one.txt`, `${remote}/r/two.txt`, true);
  assert.equal(await sh(`cat ${remote}/r/two.txt; ls ${remote}/r`), 'onefolder\ntwo.txt\n');
});

test('a folder delete counts what goes with it, deletes that, and keeps what was added since', async () => {
  await sh(`mkdir -p ${remote}/d/a/b && head -c 1000 /dev/zero > ${remote}/d/x.bin && head -c 234 /dev/zero > ${remote}/d/a/y.bin && printf z > ${remote}/d/a/b/z.txt && printf safe > ${remote}/outside.txt && ln -s ../outside.txt ${remote}/d/link`);
  const tally = await session.files.countForDeletion(`${remote}/d`);
  const linkSize = Number((await sh(`stat -c %s ${remote}/d/link`)).trim());
  assert.deepEqual({ files: tally.files, folders: tally.folders, bytes: tally.bytes }, { files: 4, folders: 3, bytes: 1000 + 234 + 1 + linkSize });
  await sh(`printf new > ${remote}/d/a/added.txt`);
  await assert.rejects(session.files.deleteCounted(tally), (e: unknown) => isDriverError(e) && new RegExp(`${remote}/d/a was not deleted`).test(e.message));
  assert.equal(await sh(`find ${remote}/d | sort; cat ${remote}/outside.txt`), `${remote}/d\n${remote}/d/a\n${remote}/d/a/added.txt\nsafe`);
  await session.files.deleteCounted(await session.files.countForDeletion(`${remote}/d`));
  assert.equal(await sh(`ls ${remote} | grep -c '^d$' || true; cat ${remote}/outside.txt`), '0\nsafe');
});

test('saving through a symbolic link writes the file it points to and keeps that file\'s mode; the link stays', async () => {
  await sh(`mkdir -p ${remote}/s/real && printf old > ${remote}/s/real/target.txt && chmod 640 ${remote}/s/real/target.txt && ln -s real/target.txt ${remote}/s/link.txt && ln -s nowhere ${remote}/s/dangling.txt && ln -s real ${remote}/s/dirlink`);
  await session.files.writeFile(`${remote}/s/link.txt`, Buffer.from('new ✓'));
  assert.equal(await sh(`readlink ${remote}/s/link.txt; cat ${remote}/s/real/target.txt; echo; stat -c %a ${remote}/s/real/target.txt; ls -A ${remote}/s ${remote}/s/real | grep -c switchboard || true`), 'real/target.txt\nnew ✓\n640\n0\n');
  await assert.rejects(session.files.writeFile(`${remote}/s/dangling.txt`, Buffer.from('x')), (e: unknown) => isDriverError(e) && /symbolic link to .*nowhere, which does not exist/.test(e.message));
  await assert.rejects(session.files.writeFile(`${remote}/s/dirlink`, Buffer.from('x')), (e: unknown) => isDriverError(e) && /not a regular file/.test(e.message));
  assert.equal(await sh(`readlink ${remote}/s/dangling.txt ${remote}/s/dirlink`), 'nowhere\nreal\n');
});

test('a new file is created only where nothing is: an existing one is reported, not emptied', async () => {
  await sh(`printf precious > ${remote}/taken.txt && ln -s nowhere ${remote}/dangling-new`);
  await assert.rejects(session.files.createEmpty(`${remote}/taken.txt`), (e: unknown) => isDriverError(e) && /already exists/.test(e.message));
  await assert.rejects(session.files.createEmpty(`${remote}/dangling-new`), (e: unknown) => isDriverError(e) && /already exists/.test(e.message), 'not even through a dangling link');
  await session.files.createEmpty(`${remote}/fresh.txt`);
  assert.equal(await sh(`cat ${remote}/taken.txt; echo; stat -c %s ${remote}/fresh.txt; readlink ${remote}/dangling-new; ls ${remote} | grep -c nowhere || true`), 'precious\n0\nnowhere\n0\n');
});
