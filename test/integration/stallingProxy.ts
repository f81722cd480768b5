import { createServer, connect, Server, Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server that can stop forwarding without closing anything, the way a server
 * that hangs (or a network path that silently drops packets) looks to a client: sockets stay open, no reset, no bytes.
 * `resume()` delivers what was held back and forwards again, as a server that wakes up would.
 */
export class StallingProxy {
  private stalled = false;
  private readonly held: (() => void)[] = [];
  private readonly holding = new Set<() => void>();
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(targetPort: number): Promise<StallingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
    const proxy = new StallingProxy(server, address.port);
    server.on('connection', (client) => proxy.pair(client, connect(targetPort, '127.0.0.1')));
    return proxy;
  }

  private pair(client: Socket, upstream: Socket): void {
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      this.sockets.add(from);
      from.on('data', (data: Buffer) => {
        if (!this.stalled) return void to.write(data);
        this.held.push(() => to.write(data));
        for (const wake of this.holding) wake();
        this.holding.clear();
      });
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    }
  }

  /** Stops forwarding in both directions, on every connection, new ones included. */
  stall(): void {
    this.stalled = true;
  }

  /** Resolves once the stalled proxy holds bytes back (at once if it already does): a request reached the "server". */
  holdsData(timeoutMs = 15_000): Promise<void> {
    if (this.held.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.holding.delete(wake);
        reject(new Error(`the stalled proxy was sent nothing within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.holding.add(wake);
    });
  }

  resume(): void {
    this.stalled = false;
    for (const deliver of this.held.splice(0)) deliver();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
