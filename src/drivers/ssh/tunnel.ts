import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { Tunnel } from '../types';
import { DriverError, messageOf } from '../errors';

/** ssh2's reason codes for a refused channel open (RFC 4254 5.1). */
const OPEN_FAILURES: Record<number, string> = { 1: 'the SSH server does not allow TCP forwarding', 2: 'connection refused on the far side', 3: 'unknown channel type', 4: 'the SSH server is short of resources' };

function openError(error: unknown, target: string): DriverError {
  const reason = typeof error === 'object' && error !== null && 'reason' in error && typeof error.reason === 'number' ? OPEN_FAILURES[error.reason] : undefined;
  return new DriverError('refused', `${target} could not be reached through SSH: ${reason ?? messageOf(error)}.`,
    reason === OPEN_FAILURES[1] ? 'Allow TCP forwarding on the SSH server (AllowTcpForwarding yes).' : 'Check that the server runs and listens on that address as seen from the SSH host.', { cause: error });
}

/** Carries one accepted local connection over a new channel of `tunnel`; `sockets` holds it while it lasts. */
export function relay(tunnel: Tunnel, local: Socket, sockets: Set<Socket>): void {
  sockets.add(local);
  local.on('close', () => sockets.delete(local));
  local.on('error', () => local.destroy());
  tunnel.open().then(
    (remote) => {
      if (local.destroyed) return void remote.destroy();
      remote.on('error', () => local.destroy());
      local.pipe(remote).pipe(local);
      local.on('close', () => remote.destroy());
      remote.on('close', () => local.destroy());
    },
    () => local.destroy(),
  );
}

/**
 * host:port on the far side of an SSH connection, reached over SSH channels handed straight to the client library;
 * only a library that dials addresses gets a Unix socket, in a fresh 0700 directory. Nothing listens on a TCP port.
 */
export class SshTunnel implements Tunnel {
  readonly target: string;
  private readonly streams = new Set<Duplex>();
  /** Tunnels to other addresses through the same SSH connection, closed with this one. */
  private readonly siblings = new Set<SshTunnel>();
  private listener: Promise<{ server: Server; sockets: Set<Socket>; dir: string; path: string }> | undefined;
  private closed = false;

  constructor(private readonly client: Client, private readonly host: string, private readonly port: number) {
    this.target = `${host}:${port}`;
  }

  open(): Promise<Duplex> {
    if (this.closed) return Promise.reject(new DriverError('closed', `The SSH tunnel to ${this.target} is closed.`));
    return new Promise((resolve, reject) => {
      try {
        this.client.forwardOut('127.0.0.1', 0, this.host, this.port, (error, channel) => {
          if (error) return reject(openError(error, this.target));
          if (this.closed) {
            channel.destroy();
            return reject(new DriverError('closed', `The SSH tunnel to ${this.target} is closed.`));
          }
          this.streams.add(channel);
          channel.on('close', () => this.streams.delete(channel));
          resolve(channel);
        });
      } catch (error) {
        // ssh2 throws at once when the connection is already gone.
        reject(openError(error, this.target));
      }
    });
  }

  socketPath(): Promise<string> {
    this.listener ??= this.listen();
    return this.listener.then((listener) => listener.path);
  }

  private async listen(): Promise<{ server: Server; sockets: Set<Socket>; dir: string; path: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-tunnel-'));
    await chmod(dir, 0o700);
    // Windows has no Unix sockets for Node: a named pipe with a name nobody can guess stands in for the directory.
    const path = process.platform === 'win32' ? `\\\\.\\pipe\\switchboard-tunnel-${randomBytes(16).toString('hex')}` : join(dir, 'socket');
    const sockets = new Set<Socket>();
    const server = createServer((local) => relay(this, local, sockets));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    return { server, sockets, dir, path };
  }

  to(host: string, port: number): Tunnel {
    if (this.closed) throw new DriverError('closed', `The SSH tunnel to ${this.target} is closed.`);
    const sibling = new SshTunnel(this.client, host, port);
    this.siblings.add(sibling);
    return sibling;
  }

  close(): void {
    this.closed = true;
    for (const sibling of this.siblings) sibling.close();
    this.siblings.clear();
    for (const stream of this.streams) stream.destroy();
    this.streams.clear();
    void this.listener?.then(({ server, sockets, dir }) => {
      for (const socket of sockets) socket.destroy();
      server.close();
      return rm(dir, { recursive: true, force: true });
    }, () => undefined);
  }
}
