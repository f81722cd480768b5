import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Inodes of the sockets this process holds open, from /proc/self/fd. */
function ownSocketInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // The descriptor closed while it was listed.
    }
  }
  return inodes;
}

/**
 * The TCP ports this process listens on ("127.0.0.1:40001"), read from /proc/net/tcp and tcp6 as the kernel sees
 * them: a listener any local process could connect to, whoever opened it.
 */
export function ownTcpListeners(): string[] {
  const own = ownSocketInodes();
  const listeners: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = fields;
      if (state !== '0A' || !local || !inode || !own.has(inode)) continue;
      const [address = '', port = '0'] = local.split(':');
      listeners.push(`${address.length === 8 ? address.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.') : address}:${parseInt(port, 16)}`);
    }
  }
  return listeners.sort();
}

/** The remote ports of this process's TCP connections to 127.0.0.1, as the kernel sees them (listeners left out). */
export function ownTcpPeerPorts(): number[] {
  const own = ownSocketInodes();
  const ports: number[] = [];
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, , remote, state, , , , , , inode] = line.trim().split(/\s+/);
    if (state === '0A' || !remote || !inode || !own.has(inode)) continue;
    const [address = '', port = '0'] = remote.split(':');
    if (address === '0100007F') ports.push(parseInt(port, 16));
  }
  return ports.sort((a, b) => a - b);
}

/**
 * Bytes that reached TCP connections accepted on local port `port` and that the process holding them has not read,
 * as the kernel counts them (whoever holds them: a server stopped with SIGSTOP keeps here what is sent to it).
 */
export function unreadBytesAt(port: number): number {
  let unread = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state, queues] = line.trim().split(/\s+/);
      if (state !== '01' || !local || !queues || parseInt(local.split(':')[1] ?? '', 16) !== port) continue;
      unread += parseInt(queues.split(':')[1] ?? '0', 16);
    }
  }
  return unread;
}
