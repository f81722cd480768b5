import { createConnection, Socket } from 'node:net';
import { connect as tlsConnect, ConnectionOptions, TLSSocket } from 'node:tls';
import { AbstractConnector, RedisOptions } from 'ioredis';
import { Tunnel } from '../types';
import { DriverError } from '../errors';

/*
 * Redis servers reached through an SSH tunnel when the profile's server names others: the nodes a cluster announces,
 * the Sentinels and the master they name. Each address gets a tunnel of its own through the same SSH connection, and
 * ioredis dials it with a connector of ours, as ioredis takes only a socket from a connector (never an SSH channel).
 */

/**
 * The suffix that marks a host as reached through SSH. ioredis knows cluster nodes by this name (through its NAT map),
 * and the `.invalid` domain never resolves (RFC 6761): any connection ioredis might open without our connector (its
 * cluster subscriber does) fails to resolve instead of dialling the address from this machine, where another process
 * may listen and receive the password.
 */
const CARRIED = '.via-ssh.invalid';

/** How ioredis knows a host reached through SSH. */
export const carriedName = (host: string): string => `${host}${CARRIED}`;

/** The host a server announced, from the name ioredis knows it by (the same name when it is not carried). */
export const announcedHost = (host: string): string => (host.endsWith(CARRIED) ? host.slice(0, -CARRIED.length) : host);

/** A cluster that names more servers than this is not believed: each one would be a tunnel and a socket. */
const MAX_ADDRESSES = 256;

/** Connections to any host:port on the far side of an SSH tunnel: the tunnel itself for its own target, siblings for the rest. */
export class TunnelDialer {
  private readonly tunnels = new Map<string, Tunnel>();

  /**
   * `first` is where `tunnel` goes; `tls` gives the TLS options for a connection to a host (undefined: plain), so each
   * server's certificate is checked against the address it was dialled by on the far side.
   */
  constructor(private readonly tunnel: Tunnel, first: { host: string; port: number }, private readonly tls: ((host: string) => ConnectionOptions) | undefined) {
    this.tunnels.set(`${first.host}:${first.port}`, tunnel);
  }

  /** A stream to host:port through SSH (TLS over it when the profile uses TLS), as a socket ioredis can use. */
  async dial(host: string, port: number): Promise<Socket | TLSSocket> {
    const key = `${host}:${port}`;
    let tunnel = this.tunnels.get(key);
    if (!tunnel) {
      if (this.tunnels.size >= MAX_ADDRESSES) throw new DriverError('protocol', `The servers named more than ${MAX_ADDRESSES} addresses to reach through SSH; ${key} was not dialled.`, 'Check the cluster\'s configuration (CLUSTER NODES).');
      tunnel = this.tunnel.to(host, port);
      this.tunnels.set(key, tunnel);
    }
    const path = await tunnel.socketPath();
    const tls = this.tls?.(host);
    return tls ? tlsConnect({ ...tls, path }) : createConnection({ path });
  }
}

type ConnectorClass = NonNullable<RedisOptions['Connector']>;

/** The host and port ioredis gives a connector, from the options it was made with. */
function addressOf(options: unknown): { host: string; port: number; disconnectTimeout: number } {
  const record = typeof options === 'object' && options !== null ? options : {};
  const host = 'host' in record && typeof record.host === 'string' ? record.host : '';
  const port = 'port' in record && typeof record.port === 'number' ? record.port : 6379;
  const disconnectTimeout = 'disconnectTimeout' in record && typeof record.disconnectTimeout === 'number' ? record.disconnectTimeout : 2000;
  return { host: announcedHost(host), port, disconnectTimeout };
}

/** What every connector of ours does: takes the options ioredis gives it, and hands over a stream it dialled. */
export abstract class CarryingConnector extends AbstractConnector {
  protected readonly address: { host: string; port: number };

  constructor(options: unknown) {
    const { host, port, disconnectTimeout } = addressOf(options);
    super(disconnectTimeout);
    this.address = { host, port };
  }

  /** Makes `stream` the connection, unless ioredis gave up on it while it was being dialled. */
  protected adopt(stream: Socket | TLSSocket): Socket | TLSSocket {
    if (!this.connecting) {
      stream.destroy();
      // ioredis' own wording for a connection ended while it was being made.
      throw new Error('Connection is closed.');
    }
    this.stream = stream;
    stream.once('error', (error: Error) => (this.firstError = error));
    return stream;
  }
}

/** An ioredis connector that reaches the server its options name through `dialer`. */
export function carriedConnector(dialer: TunnelDialer): ConnectorClass {
  return class CarriedConnector extends CarryingConnector {
    async connect(): Promise<Socket | TLSSocket> {
      this.connecting = true;
      return this.adopt(await dialer.dial(this.address.host, this.address.port));
    }
  };
}
