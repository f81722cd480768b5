import { posix } from 'node:path';
import { Attributes, Server, SFTPWrapper, utils } from 'ssh2';
import { knownHostsLine } from '../../src/drivers/ssh/knownHosts';

/**
 * An SSH server whose SFTP subsystem answers from a table, so that it can say what no real sshd would: READDIR names
 * with "/", "..", NUL or nothing at all. Only for protocol edge cases; real behaviour is tested against OpenSSH.
 */
export type FakeEntry = { readonly kind: 'file'; readonly data: Buffer } | { readonly kind: 'dir'; readonly names: readonly string[] } | { readonly kind: 'link'; readonly to: string };

export interface LyingSftpServer {
  readonly port: number;
  readonly knownHosts: string;
  /** Every request that would change something, as "RMDIR /path". Deletes are answered OK (the table stays); others fail. */
  readonly changes: string[];
  close(): Promise<void>;
}

const { STATUS_CODE } = utils.sftp;
const MODES = { file: 0o100644, dir: 0o040755, link: 0o120777 } as const;

/** The table: fixed entries, or a function that makes them up as asked (a tree without end). */
export type FakeTable = Record<string, FakeEntry> | ((path: string) => FakeEntry | undefined);

/** `stallForwarding`: channel opens for TCP forwarding are never answered, as a stalled jump host would. */
export async function startLyingSftpServer(entries: FakeTable, options: { stallForwarding?: boolean } = {}): Promise<LyingSftpServer> {
  // ECDSA: ssh2's ed25519 generator drops a key's leading zero bytes and makes a malformed key now and then.
  const keys = utils.generateKeyPairSync('ecdsa', { bits: 256 });
  const changes: string[] = [];
  // A path the table does not hold is a small file of its own name: what a careless client joins, it can read.
  const lookup = (path: string): FakeEntry => (typeof entries === 'function' ? entries(path) : entries[path]) ?? { kind: 'file', data: Buffer.from(`served for ${path}\n`) };
  const attrsOf = (entry: FakeEntry): Attributes => ({ mode: MODES[entry.kind], uid: 0, gid: 0, size: entry.kind === 'file' ? entry.data.length : 4096, atime: 0, mtime: 1_700_000_000 });
  const follow = (path: string): { path: string; entry: FakeEntry } => {
    let at = posix.normalize(path);
    for (let hops = 0; hops < 8; hops++) {
      const entry = lookup(at);
      if (entry.kind !== 'link') return { path: at, entry };
      at = posix.resolve(posix.dirname(at), entry.to);
    }
    return { path: at, entry: lookup(at) };
  };

  const serve = (sftp: SFTPWrapper): void => {
    const handles = new Map<string, { path: string; listed: boolean }>();
    let next = 0;
    const open = (path: string): Buffer => {
      const id = String(next++);
      handles.set(id, { path, listed: false });
      return Buffer.from(id);
    };
    const handleOf = (handle: Buffer) => handles.get(handle.toString());
    sftp.on('REALPATH', (id, path) => sftp.name(id, [{ filename: follow(path === '.' ? '/' : path).path, longname: '', attrs: attrsOf(lookup('/')) }]));
    sftp.on('STAT', (id, path) => sftp.attrs(id, attrsOf(follow(path).entry)));
    sftp.on('LSTAT', (id, path) => sftp.attrs(id, attrsOf(lookup(posix.normalize(path)))));
    sftp.on('OPENDIR', (id, path) => sftp.handle(id, open(follow(path).path)));
    sftp.on('READDIR', (id, handle) => {
      const state = handleOf(handle);
      const entry = state ? lookup(state.path) : undefined;
      if (!state || state.listed || entry?.kind !== 'dir') return sftp.status(id, STATUS_CODE.EOF);
      state.listed = true;
      sftp.name(id, entry.names.map((filename) => ({ filename, longname: filename, attrs: attrsOf(lookup(posix.join(state.path, filename))) })));
    });
    sftp.on('OPEN', (id, path, flags) => {
      if (flags & utils.sftp.OPEN_MODE.WRITE) {
        changes.push(`OPEN-WRITE ${path}`);
        return sftp.status(id, STATUS_CODE.PERMISSION_DENIED);
      }
      sftp.handle(id, open(follow(path).path));
    });
    sftp.on('FSTAT', (id, handle) => sftp.attrs(id, attrsOf(lookup(handleOf(handle)?.path ?? '/'))));
    sftp.on('READ', (id, handle, offset, length) => {
      const entry = lookup(handleOf(handle)?.path ?? '/');
      if (entry.kind !== 'file' || offset >= entry.data.length) return sftp.status(id, STATUS_CODE.EOF);
      sftp.data(id, entry.data.subarray(offset, offset + length));
    });
    sftp.on('CLOSE', (id, handle) => {
      handles.delete(handle.toString());
      sftp.status(id, STATUS_CODE.OK);
    });
    const refuse = (id: number, change: string): void => {
      changes.push(change);
      sftp.status(id, STATUS_CODE.FAILURE, 'this server changes nothing');
    };
    const pretend = (id: number, change: string): void => {
      changes.push(change);
      sftp.status(id, STATUS_CODE.OK);
    };
    sftp.on('REMOVE', (id, path) => pretend(id, `REMOVE ${path}`));
    sftp.on('RMDIR', (id, path) => pretend(id, `RMDIR ${path}`));
    sftp.on('MKDIR', (id, path) => refuse(id, `MKDIR ${path}`));
    sftp.on('RENAME', (id, from, to) => refuse(id, `RENAME ${from} ${to}`));
  };

  const server = new Server({ hostKeys: [keys.private] }, (client) => {
    client.on('authentication', (context) => context.accept());
    client.on('error', () => undefined);
    client.on('ready', () => {
      if (options.stallForwarding) client.on('tcpip', () => undefined);
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serve(acceptSftp()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the fake SSH server has no port');
  const { port } = address;
  const publicBlob = Buffer.from(keys.public.split(' ')[1] ?? '', 'base64');
  return {
    port,
    knownHosts: knownHostsLine('127.0.0.1', port, publicBlob),
    changes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
