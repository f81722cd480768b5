import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { driver, SshSession } from '../../src/drivers/ssh';
import { SshProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';
import { eventually } from '../eventually';

const profile: SshProfile = {
  id: 'h2', name: 'ssh', kind: 'ssh', host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false,
};
let session: SshSession;
let local: string;

before(async () => {
  session = await driver.connect(profile, { secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey() });
  local = mkdtempSync(join(tmpdir(), 'switchboard-sftp-test-'));
});

after(async () => {
  await session.close();
  rmSync(local, { recursive: true, force: true });
});

/** Runs a shell on a pty and collects its output until it exits. */
function shellRun(input: string, size = { rows: 24, cols: 80 }, during?: (shell: { resize(s: { rows: number; cols: number }): void; write(d: string): void }) => void): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    let output = '';
    session
      .shell(size, { onOutput: (text) => (output += text), onExit: (code) => resolve({ output, code }) })
      .then((shell) => {
        during?.(shell);
        shell.write(input);
      }, reject);
  });
}

test('terminal: a pty of the initial size, resized live, with the exit status', async () => {
  const { output, code } = await shellRun('stty size; exit 3\n', { rows: 24, cols: 80 });
  assert.match(output, /^24 80\r?$/m);
  assert.equal(code, 3);
  let text = '';
  let exited!: () => void;
  const ended = new Promise<void>((resolve) => (exited = resolve));
  const shell = await session.shell({ rows: 24, cols: 80 }, { onOutput: (t) => (text += t), onExit: () => exited() });
  shell.resize({ rows: 30, cols: 100 });
  // Nothing answers a window-change: the pty is asked its size until it reports the new one.
  await eventually('the pty to report 30 rows and 100 columns', () => {
    if (/^30 100\r?$/m.test(text)) return true;
    shell.write('stty size\n');
    return false;
  });
  shell.write('exit\n');
  await ended;
});

test('terminal: TERM is xterm-256color and UTF-8 survives chunk boundaries', async () => {
  const { output } = await shellRun("echo \"term=$TERM\"; for i in $(seq 1 4000); do printf '\\342\\202\\254'; done; echo; exit\n");
  assert.match(output, /term=xterm-256color/);
  assert.ok(output.includes('€'.repeat(4000)), 'every euro sign arrives whole');
  assert.ok(!output.includes('\ufffd'), 'no replacement characters');
});

test('exec: output streams and the exit code comes back', async () => {
  const chunks: string[] = [];
  const errors: string[] = [];
  const exit = await session.exec('echo out; echo err >&2; exit 7', (c) => chunks.push(c.toString()), (c) => errors.push(c.toString()));
  assert.equal(chunks.join(''), 'out\n');
  assert.equal(errors.join(''), 'err\n');
  assert.equal(exit.code, 7);
});

test('exec: an abort ends a running command', async () => {
  const controller = new AbortController();
  let abortedAt = 0;
  // Aborted once the command has started (its first output), not at a guessed moment.
  const exit = await session.exec('echo started; sleep 30', () => {
    abortedAt = Date.now();
    controller.abort();
  }, () => undefined, controller.signal);
  assert.ok(abortedAt > 0, 'the command started');
  assert.ok(Date.now() - abortedAt < 10_000);
  assert.notEqual(exit.code, 0, 'it did not run to its end');
});

test('sftp: list, atomic save keeping the mode, no-overwrite rename, recursive delete', async () => {
  const home = await session.homeDirectory();
  const dir = `${home}/sftp-test-${process.pid}`;
  const files = session.files;
  await files.mkdir(dir);
  await files.writeFile(`${dir}/notes.txt`, Buffer.from('first'));
  await session.exec(`chmod 640 ${dir}/notes.txt`, () => undefined, () => undefined);
  await files.writeFile(`${dir}/notes.txt`, Buffer.from('second ✓'));
  assert.equal((await files.readFile(`${dir}/notes.txt`, 1024)).toString(), 'second ✓');
  const listed = (await files.list(dir)).entries;
  assert.deepEqual(listed.map((e) => [e.name, e.type, e.mode & 0o777]), [['notes.txt', 'file', 0o640]], 'no temporary file is left and the mode is kept');
  await files.writeFile(`${dir}/other.txt`, Buffer.from('x'));
  await assert.rejects(files.rename(`${dir}/notes.txt`, `${dir}/other.txt`));
  await files.rename(`${dir}/notes.txt`, `${dir}/renamed.txt`);
  await assert.rejects(files.readFile(`${dir}/notes.txt`, 1024), (e: unknown) => isDriverError(e) && /no such file/.test(e.message));
  await assert.rejects(files.readFile(`${dir}/renamed.txt`, 2), (e: unknown) => isDriverError(e) && /limit/.test(e.message));
  await files.mkdir(`${dir}/sub`);
  await files.writeFile(`${dir}/sub/deep.txt`, Buffer.from('deep'));
  await files.deleteCounted(await files.countForDeletion(dir));
  await assert.rejects(files.stat(dir));
});

test('sftp: upload and download folders with progress, and cancel', async () => {
  const home = await session.homeDirectory();
  const source = join(local, 'up');
  mkdirSync(join(source, 'nested'), { recursive: true });
  writeFileSync(join(source, 'a.bin'), Buffer.alloc(300_000, 7));
  writeFileSync(join(source, 'nested', 'b.txt'), 'hello');
  const remote = `${home}/sftp-transfer-${process.pid}`;
  const seen = new Set<string>();
  const uploaded = await session.transfers.run(await session.transfers.planUpload([{ source, target: remote }]), false, (_done, _total, file) => seen.add(file));
  assert.equal(uploaded.bytes, 300_005);
  assert.ok(seen.has(join(source, 'a.bin')));
  const back = join(local, 'down');
  assert.equal((await session.transfers.run(await session.transfers.planDownload(remote, back), false, () => undefined)).bytes, 300_005);
  assert.deepEqual(readFileSync(join(back, 'a.bin')), Buffer.alloc(300_000, 7));
  assert.equal(readFileSync(join(back, 'nested', 'b.txt'), 'utf8'), 'hello');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(session.transfers.run(await session.transfers.planDownload(remote, join(local, 'never')), false, () => undefined, controller.signal), (e: unknown) => isDriverError(e) && /cancelled/.test(e.message));
  await session.files.deleteCounted(await session.files.countForDeletion(remote));
});

test('forwards: a local port reaches a port on the far side, and stops', async () => {
  const redis = new URL(need('REDIS_URL'));
  const { freePort } = await import('../services/process');
  const forward = { localPort: await freePort(), remoteHost: '127.0.0.1', remotePort: Number(redis.port) };
  await session.startForward(forward);
  assert.ok(session.isForwarding(forward));
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(forward.localPort, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d: Buffer) => {
      socket.destroy();
      resolve(d.toString());
    });
    socket.once('error', reject);
  });
  assert.match(reply, /NOAUTH|PONG/);
  await assert.rejects(session.startForward({ localPort: forward.localPort, remoteHost: '127.0.0.1', remotePort: 2 }), (e: unknown) => isDriverError(e) && /already in use/.test(e.message));
  session.stopForward(forward);
  assert.equal(session.isForwarding(forward), false);
  const { portAccepts } = await import('../services/process');
  assert.equal(await portAccepts(forward.localPort), false);
});
