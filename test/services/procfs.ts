import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/* What the kernel says of sockets and processes, from /proc (Linux): for telling whose a listening port is. */

/** TCP sockets in the LISTEN state: the port of each, by socket inode, from /proc/net/tcp and tcp6. */
export function listeners(): Map<string, number> {
  const byInode = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (state === '0A' && local && inode) byInode.set(inode, Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return byInode;
}

/** The inodes of the sockets a process holds open; none when it has ended. */
export function socketInodes(pid: number): string[] {
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
      return [];
    }
  });
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
