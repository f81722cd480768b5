import { createServer, Server, Socket } from 'node:net';
import { Client } from 'ssh2';
import { Tunnel } from '../types';

/**
 * A local listener on 127.0.0.1 whose connections are carried over the SSH connection to host:port on the far side.
 * Drivers then dial the local end as if it were the server.
 */
export function openTunnel(client: Client, host: string, port: number, localPort = 0): Promise<Tunnel> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((local) => {
    sockets.add(local);
    local.on('close', () => sockets.delete(local));
    local.on('error', () => local.destroy());
    client.forwardOut('127.0.0.1', local.localPort ?? 0, host, port, (error, remote) => {
      if (error) {
        local.destroy();
        return;
      }
      remote.on('error', () => local.destroy());
      local.pipe(remote).pipe(local);
      local.on('close', () => remote.destroy());
      remote.on('close', () => local.destroy());
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPort, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) return reject(new Error('the tunnel has no local port'));
      resolve({
        host: '127.0.0.1',
        port: address.port,
        close: () => {
          for (const socket of sockets) socket.destroy();
          server.close();
        },
      });
    });
  });
}
