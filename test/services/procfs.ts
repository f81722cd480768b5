import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/* What the kernel says of sockets and processes, from /proc (Linux): whose a port is, what a process listens on or
   is connected to, what a stopped server has not read. The one reader of /proc the tests have. */

/** One TCP socket as /proc/net/tcp or tcp6 lists it. */
interface TcpSocket {
  /** IPv4 addresses dotted ("127.0.0.1"); IPv6 as the kernel writes them (32 hex digits). */
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The kernel's state code: 01 established, 0A listening. */
  readonly state: string;
  /** Bytes received that the holder has not read. */
  readonly unread: number;
  readonly inode: string;
}

const LISTEN = '0A';
const ESTABLISHED = '01';

function endpoint(text: string): [string, number] {
  const [address = '', port = '0'] = text.split(':');
  const dotted = address.length === 8 ? (address.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)).join('.') : address;
  return [dotted, parseInt(port, 16)];
}

/** Every TCP socket of the machine, IPv4 and IPv6. */
function tcpSockets(): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, remote, state, queues, , , , , inode] = line.trim().split(/\s+/);
      if (!local || !remote || !state || !queues || !inode) continue;
      const [localAddress, localPort] = endpoint(local);
      const [remoteAddress, remotePort] = endpoint(remote);
      sockets.push({ localAddress, localPort, remoteAddress, remotePort, state, unread: parseInt(queues.split(':')[1] ?? '0', 16), inode });
    }
  }
  return sockets;
}

/** TCP sockets in the LISTEN state: the port of each, by socket inode. */
export function listeners(): Map<string, number> {
  return new Map(tcpSockets().filter((s) => s.state === LISTEN).map((s) => [s.inode, s.localPort]));
}

/** The inodes of the sockets a process holds open ('self': this one); none when it has ended. */
export function socketInodes(pid: number | 'self'): string[] {
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.flatMap((fd) => {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      return inode ? [inode] : [];
    } catch {
      // The descriptor closed while it was listed.
      return [];
    }
  });
}

/** The process listening on local TCP port `port` (a server a test started), as the kernel sees it. */
export function listenerPid(port: number): number {
  const inodes = new Set([...listeners()].filter(([, listening]) => listening === port).map(([inode]) => inode));
  const pid = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).find((candidate) => socketInodes(candidate).some((inode) => inodes.has(inode)));
  if (pid === undefined) throw new Error(`No process listens on TCP port ${port}.`);
  return pid;
}

/** The processes of the group led by `leader` (a daemon started detached leads its own). */
export function groupMembers(leader: number): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === leader;
    } catch {
      return false;
    }
  });
}

/**
 * The TCP ports this process listens on ("127.0.0.1:40001"), as the kernel sees them: a listener any local process
 * could connect to, whoever opened it.
 */
export function ownTcpListeners(): string[] {
  const own = new Set(socketInodes('self'));
  return tcpSockets().filter((s) => s.state === LISTEN && own.has(s.inode)).map((s) => `${s.localAddress}:${s.localPort}`).sort();
}

/** The remote ports of this process's TCP connections to 127.0.0.1, as the kernel sees them (listeners left out). */
export function ownTcpPeerPorts(): number[] {
  const own = new Set(socketInodes('self'));
  return tcpSockets().filter((s) => s.state !== LISTEN && own.has(s.inode) && s.remoteAddress === '127.0.0.1').map((s) => s.remotePort).sort((a, b) => a - b);
}

/**
 * Bytes that reached TCP connections accepted on local port `port` and that the process holding them has not read,
 * as the kernel counts them (whoever holds them: a server stopped with SIGSTOP keeps here what is sent to it).
 */
export function unreadBytesAt(port: number): number {
  return tcpSockets().filter((s) => s.state === ESTABLISHED && s.localPort === port).reduce((sum, s) => sum + s.unread, 0);
}
