import { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestCertificates } from './tls';
import { freePort, listeningDaemon, onFreePort, RunningService, startDaemon, stopDaemon, waitListening } from './process';

/* Redis servers set up as production ones often are, started by the tests that need them: a Sentinel with a password
 * of its own (plain or TLS only), and a TLS-only server that asks every client for a certificate. */

export interface SentinelService extends RunningService {
  /** "127.0.0.1:port" */
  readonly address: string;
  readonly port: number;
}

export interface SecuredSentinelSetup {
  /** The master it monitors, by the name `master`, and that master's password. */
  readonly master: string;
  readonly masterPort: number;
  readonly masterPassword: string;
  /** requirepass of the Sentinel itself. */
  readonly password: string;
  /** TLS only (no plain port), to a master on a TLS port; the Sentinel's own certificate is the master's. */
  readonly tls?: TestCertificates;
}

export async function startSecuredSentinel(root: string, name: string, setup: SecuredSentinelSetup): Promise<SentinelService> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'sentinel.conf');
  const tls = setup.tls
    ? [`port 0`, `tls-port ${port}`, `tls-cert-file ${setup.tls.certFile}`, `tls-key-file ${setup.tls.keyFile}`, `tls-ca-cert-file ${setup.tls.caFile}`, 'tls-auth-clients no', 'tls-replication yes']
    : [`port ${port}`];
  // Sentinel rewrites its configuration file, so each gets one of its own.
  writeFileSync(conf, [
    ...tls, 'bind 127.0.0.1', `dir ${dir}`, `logfile ${join(dir, 'sentinel.log')}`, `requirepass ${setup.password}`,
    `sentinel monitor ${setup.master} 127.0.0.1 ${setup.masterPort} 1`, `sentinel auth-pass ${setup.master} ${setup.masterPassword}`, '',
  ].join('\n'));
  const child: ChildProcess = startDaemon(name, dir, '/usr/bin/redis-server', [conf, '--sentinel']);
  await waitListening(name, port, child);
  return { name, port, address: `127.0.0.1:${port}`, stop: () => stopDaemon(child) };
}

export interface MutualTlsRedis extends RunningService {
  readonly port: number;
}

/** A TLS-only Redis (no plain port) with `certificates`, that refuses clients without a certificate of the same CA. */
export async function startMutualTlsRedis(root: string, certificates: TestCertificates, password: string): Promise<MutualTlsRedis> {
  const dir = join(root, 'redis-mtls');
  mkdirSync(dir, { recursive: true });
  return onFreePort(async (port) => {
    const child = await listeningDaemon('redis-mtls', dir, '/usr/bin/redis-server', [
      '--bind', '127.0.0.1', '--port', '0', '--tls-port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, 'log'),
      '--requirepass', password, '--tls-cert-file', certificates.certFile, '--tls-key-file', certificates.keyFile, '--tls-ca-cert-file', certificates.caFile, '--tls-auth-clients', 'yes',
    ], port);
    return { name: 'redis-mtls', port, stop: () => stopDaemon(child) };
  });
}
