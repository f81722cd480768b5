import { join } from 'node:path';
import { ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { freePort, run, RunningService, startDaemon, stopDaemon, waitListening } from './process';

export interface OpenSshService extends RunningService {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** An unencrypted ed25519 client key the server accepts. */
  readonly privateKeyPath: string;
  /** The user's authorized_keys file; tests add keys of other types to it. */
  readonly authorizedKeysFile: string;
  /** The server's host public key line ("ssh-ed25519 AAAA..."). */
  readonly hostPublicKey: string;
  /** Every host public key line, by key type ("ssh-rsa": "ssh-rsa AAAA..."). */
  readonly hostPublicKeys: Readonly<Record<string, string>>;
  kill(): void;
  /** Ends every connection at once, as a crashed session process would; the listener stays and takes new ones. */
  dropConnections(): void;
  /** Starts the listener again after `kill`, on the same port with the same host key. */
  restart(): Promise<void>;
}

const USER = 'sbtest';

export interface OpenSshOptions {
  /** Host key types, the first one's line being `hostPublicKey` (default: ed25519 only). */
  readonly hostKeyTypes?: readonly ('ed25519' | 'ecdsa' | 'rsa')[];
  /** More sshd_config lines, e.g. "HostKeyAlgorithms ssh-rsa". */
  readonly config?: readonly string[];
}

/** A private sshd on loopback, with a real local user (created here, removed at stop) for password and key auth. */
export async function startOpenSsh(root: string, name = 'sshd', password = 'ssh-secret', options: OpenSshOptions = {}): Promise<OpenSshService> {
  const dir = join(root, name);
  const keys = join(dir, 'keys');
  mkdirSync(keys, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const created = await ensureUser(USER, password);
  const hostKeys = (options.hostKeyTypes ?? ['ed25519']).map((type) => join(dir, `host_${type}`));
  const clientKey = join(dir, 'client_ed25519');
  for (const hostKey of hostKeys) await run('/usr/bin/ssh-keygen', ['-q', '-t', hostKey.slice(hostKey.lastIndexOf('_') + 1), '-N', '', '-f', hostKey]);
  if (!existsSync(clientKey)) await run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'switchboard-test', '-f', clientKey]);
  copyFileSync(`${clientKey}.pub`, join(keys, USER));
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    ...hostKeys.map((hostKey) => `HostKey ${hostKey}`),
    `PidFile ${join(dir, 'pid')}`,
    `AuthorizedKeysFile ${keys}/%u`,
    'StrictModes no',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication yes',
    'PubkeyAuthentication yes',
    'UsePAM yes',
    `AllowUsers ${USER}`,
    'AllowTcpForwarding yes',
    'Subsystem sftp internal-sftp',
    ...(options.config ?? []),
    '',
  ].join('\n'));
  const launch = async (): Promise<ChildProcess> => {
    const started = startDaemon(name, dir, '/usr/sbin/sshd', ['-D', '-e', '-f', config]);
    await waitListening(name, port, started);
    return started;
  };
  let child = await launch();
  const publicLines = hostKeys.map((hostKey) => readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' '));
  return {
    name, port, user: USER, password, privateKeyPath: clientKey, authorizedKeysFile: join(keys, USER),
    hostPublicKey: publicLines[0] ?? '',
    hostPublicKeys: Object.fromEntries(publicLines.map((line) => [line.split(' ')[0] ?? '', line])),
    // As a crash of the host would: the listener and every connection it forked (each runs in its own session).
    kill: () => {
      if (child.pid === undefined) return;
      for (const pid of forkedBy(child.pid)) process.kill(-pid, 'SIGKILL');
      process.kill(-child.pid, 'SIGKILL');
    },
    dropConnections: () => {
      if (child.pid !== undefined) for (const pid of forkedBy(child.pid)) process.kill(-pid, 'SIGKILL');
    },
    restart: async () => {
      child = await launch();
    },
    stop: async () => {
      await stopDaemon(child);
      if (created) {
        // Session processes outlive the listener (they run in their own sessions); end them before removing the user.
        await run('/usr/bin/pkill', ['-KILL', '-u', USER]).catch(() => undefined);
        await run('/usr/sbin/userdel', ['-r', USER]).catch(() => undefined);
      }
    },
  };
}

/** The processes sshd forked for its connections. */
function forkedBy(pid: number): number[] {
  return spawnSync('/usr/bin/pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
}

async function ensureUser(user: string, password: string): Promise<boolean> {
  const exists = await run('/usr/bin/id', [user]).then(() => true, () => false);
  if (!exists) await run('/usr/sbin/useradd', ['-m', '-s', '/bin/bash', user]);
  await run('/usr/sbin/chpasswd', [], { input: `${user}:${password}\n` });
  return !exists;
}
