import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { SshSession } from '../src/drivers/ssh';
import type { Driver } from '../src/drivers/types';
import { knownHostsLine } from '../src/drivers/ssh/knownHosts';
import { SshProfile } from '../src/drivers/types';
import { Figure, LoadWatch } from './figures';

const TERMINAL_BYTES = 50 * 1024 * 1024;
const SFTP_BYTES = 100 * 1024 * 1024;

/** Wall time of fn in seconds. */
async function seconds(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * SSH throughput against OpenSSH in the same run: `cat` of 50 MB through a pty shell (the terminal's path, decoded
 * as the terminal decodes it) against `ssh -tt ... cat`, and an SFTP download of 100 MB against `sftp get`.
 */
export async function sshFigures(root: string, env: Record<string, string | undefined>): Promise<Figure[]> {
  // The shipped bundle, exactly as the extension loads it.
  const { driver } = require(join(root, 'dist', 'drivers', 'ssh.js')) as { driver: Driver<SshProfile> };
  const need = (k: string): string => env[k] ?? (() => { throw new Error(`${k} is not set`); })();
  const host = need('SSH_HOST');
  const port = Number(need('SSH_PORT'));
  const user = need('SSH_USER');
  const key = need('SSH_KEY_FILE');
  const hostKey = Buffer.from(need('SSH_HOST_KEY').split(' ')[1]!, 'base64');
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-ssh-'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${knownHostsLine(host, port, hostKey)}\n`);
  const opensshArgs = ['-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-i', key];
  const profile: SshProfile = { id: 'bench', name: 'bench', kind: 'ssh', host, port, username: user, keyFile: key, useAgent: false, readOnly: false };
  const session = (await driver.connect(profile, { secrets: {}, timeoutMs: 10_000, hostKeys: { verify: async (_h, _p, k) => Buffer.from(k).equals(hostKey) } })) as SshSession;
  try {
    const home = await session.homeDirectory();
    const text = `${home}/bench-terminal.txt`;
    const blob = `${home}/bench-sftp.bin`;
    // Terminal output is text: base64 lines of 100 characters, 50 MB in all.
    await session.exec(`head -c ${(TERMINAL_BYTES / 4) * 3} /dev/urandom | base64 -w 100 > ${text}; head -c ${SFTP_BYTES} /dev/urandom > ${blob}`, () => undefined, () => undefined);

    const watch = await LoadWatch.start();
    const oursTerminal = await seconds(() => new Promise<void>((resolve, reject) => {
      let received = 0;
      session.shell({ rows: 40, cols: 120 }, { onOutput: (chunk) => (received += chunk.length), onExit: () => (received >= TERMINAL_BYTES * 0.99 ? resolve() : reject(new Error(`only ${received} characters arrived`))) }, `cat ${text}`).catch(reject);
    }));
    watch.done();
    const terminalLoad = await watch.figures('terminal', 'cat of 50 MB');
    const rawTerminal = await seconds(() => {
      const run = spawnSync('ssh', [...opensshArgs, '-tt', '-p', String(port), `${user}@${host}`, `cat ${text}`], { stdio: ['ignore', 'ignore', 'ignore'] });
      if (run.status !== 0) throw new Error(`ssh exited ${run.status}`);
    });

    const local = join(dir, 'download.bin');
    const oursSftp = await seconds(async () => session.transfers.run(await session.transfers.planDownload(blob, local), false, () => undefined));
    if (statSync(local).size !== SFTP_BYTES) throw new Error('the SFTP download is incomplete');
    rmSync(local);
    const batch = join(dir, 'batch');
    writeFileSync(batch, `get ${blob} ${local}\n`);
    const rawSftp = await seconds(() => {
      const run = spawnSync('sftp', [...opensshArgs, '-q', '-b', batch, '-P', String(port), `${user}@${host}`], { stdio: ['ignore', 'ignore', 'ignore'] });
      if (run.status !== 0) throw new Error(`sftp exited ${run.status}`);
    });
    await session.exec(`rm -f ${text} ${blob}`, () => undefined, () => undefined);
    const mbps = (bytes: number, s: number): number => bytes / 1024 / 1024 / s;
    return [
      { name: 'terminal: cat of 50 MB through a pty shell', value: mbps(TERMINAL_BYTES, oursTerminal), unit: 'MB/s', baseline: { name: 'OpenSSH ssh -tt cat', value: mbps(TERMINAL_BYTES, rawTerminal) }, target: '>= 0.5' },
      ...terminalLoad,
      { name: 'SFTP download of 100 MB', value: mbps(SFTP_BYTES, oursSftp), unit: 'MB/s', baseline: { name: 'OpenSSH sftp get', value: mbps(SFTP_BYTES, rawSftp) }, target: '>= 0.7' },
    ];
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
