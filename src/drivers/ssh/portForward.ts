import { createServer, Socket } from 'node:net';
import { Client } from 'ssh2';
import { PortForward } from '../types';
import { relay, SshTunnel } from './tunnel';

/**
 * A user's port forward: a TCP listener on 127.0.0.1:localPort whose connections are carried to remoteHost:remotePort
 * on the far side. Unlike the tunnels Switchboard's own connections ride on, this one is meant for other programs.
 */
export async function listenForward(client: Client, forward: PortForward): Promise<{ close(): void }> {
  const tunnel = new SshTunnel(client, forward.remoteHost, forward.remotePort);
  const sockets = new Set<Socket>();
  const server = createServer((local) => relay(tunnel, local, sockets));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(forward.localPort, '127.0.0.1', () => resolve());
  });
  return {
    close: () => {
      for (const socket of sockets) socket.destroy();
      tunnel.close();
      server.close();
    },
  };
}
