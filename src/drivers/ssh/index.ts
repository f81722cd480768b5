import { readFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { Client, ConnectConfig } from 'ssh2';
import { BrowseNode, ConnectOptions, Driver, PortForward, Session, SshProfile, Tunnel, TunnelProvider } from '../types';
import { placeOf } from '../places';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { posix } from 'node:path';
import { expandHome } from '../homePath';
import { shareTheLoop } from '../loopShare';
import { execStream, ExecExit, execText } from './exec';
import { SshTunnel } from './tunnel';
import { listenForward } from './portForward';
import { openShell, ShellChannel, ShellHandlers, TerminalSize } from './shell';
import { RemoteFiles } from './sftp';
import { Transfers } from './sftpTransfers';
import { shownName } from './remoteNames';
import { forwardKey, forwardLabel } from './forwards';
import { formatSize } from '../format';
import { hostKeyAlgorithms } from './hostKeyAlgorithms';

function connectError(error: unknown, endpoint: string, options: ConnectOptions, hostKeyRefused: boolean, sha1Refused: boolean): Error {
  if (isDriverError(error)) return error;
  if (hostKeyRefused) {
    return new DriverError('hostKey', `The host key of ${endpoint} was not trusted, so the connection was closed.`, 'Compare its fingerprint with the server\'s (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server) and connect again to accept it.');
  }
  if (sha1Refused && /no matching host key/i.test(messageOf(error))) {
    return new DriverError('hostKey', `${endpoint} offers only host key signatures that Switchboard refuses: SHA-1 "ssh-rsa" can be forged, and the server has no other.`,
      'Update the server (OpenSSH 7.2 and later sign with rsa-sha2-256/512, or add an Ed25519 host key), or allow SHA-1 signatures for this one host.');
  }
  const net = networkError(error, 'SSH', endpoint);
  if (net) return net;
  const text = redact(messageOf(error), [options.secrets.password, options.secrets.passphrase]);
  const level = typeof error === 'object' && error && 'level' in error ? String(error.level) : '';
  if (level === 'client-authentication' || /All configured authentication methods failed/i.test(text)) {
    return new DriverError('auth', `SSH at ${endpoint} rejected the login (tried: password, key or agent as configured).`, 'Check the user name, password, key file and passphrase.');
  }
  if (level === 'client-timeout' || /Timed out while waiting for handshake/i.test(text)) return timeoutError('SSH', endpoint, options.timeoutMs, 'SSH handshake');
  if (/Protocol mismatch|Bad identification|ident|Invalid packet|version/i.test(text)) {
    return new DriverError('protocol', `The server at ${endpoint} does not speak SSH (${text.slice(0, 80)}).`, 'Check the port: is this really an SSH server?');
  }
  if (/passphrase|Encrypted private key|Cannot parse privateKey/i.test(text)) {
    return new DriverError('auth', `The private key could not be used (${text.replace(/^Cannot parse privateKey: /, '')}).`, 'Check the key file and its passphrase.');
  }
  return new DriverError('server', `SSH at ${endpoint}: ${text}`, undefined, { cause: error });
}

async function authConfig(profile: SshProfile, options: ConnectOptions): Promise<Partial<ConnectConfig>> {
  const auth: Partial<ConnectConfig> = {};
  if (options.secrets.password) auth.password = options.secrets.password;
  if (profile.keyFile) {
    try {
      auth.privateKey = await readFile(expandHome(profile.keyFile));
    } catch (error) {
      throw new DriverError('config', `The key file ${profile.keyFile} could not be read (${messageOf(error)}).`, 'The connection needs an existing private key file.');
    }
    if (options.secrets.passphrase) auth.passphrase = options.secrets.passphrase;
  }
  if (profile.useAgent) {
    const agent = process.env['SSH_AUTH_SOCK'];
    if (!agent) throw new DriverError('config', 'This connection uses ssh-agent, but SSH_AUTH_SOCK is not set.', 'Start an agent (ssh-agent) and add your key, or pick a key file instead.');
    auth.agent = agent;
  }
  return auth;
}

export class SshSession implements Session, TunnelProvider {
  readonly kind = 'ssh';
  readonly files: RemoteFiles;
  readonly transfers: Transfers;
  private readonly states = new StateEmitter();
  private readonly forwards = new Map<string, { close(): void }>();
  private home: string | undefined;
  /** Where the Files row starts: the home directory until the user goes elsewhere. */
  private filesRoot: string | undefined;

  constructor(readonly client: Client, private readonly profile: SshProfile) {
    // Without Nagle's delay, as OpenSSH runs interactive sessions: keystrokes go at once, and SFTP's small window
    // adjustments and read requests are not held back behind delayed ACKs (a download measured 2.5x faster).
    client.setNoDelay(true);
    this.files = new RemoteFiles(client, profile.readOnly ? profile.name : undefined);
    this.transfers = new Transfers(this.files);
    client.on('close', () => {
      for (const tunnel of this.forwards.values()) tunnel.close();
      this.forwards.clear();
      this.states.emit({ state: 'closed' });
    });
    client.on('error', (error: Error) => this.states.emit({ state: 'closed', error }));
  }

  async describe(): Promise<string> {
    const result = await execText(this.client, 'uname -sr');
    return `${result.stdout.trim() || 'SSH host'} (${this.profile.username}@${this.profile.host})`;
  }

  async homeDirectory(): Promise<string> {
    this.home ??= await this.files.realpath('.');
    return this.home;
  }

  /** The folder the Files row shows. */
  async filesFolder(): Promise<string> {
    return this.filesRoot ?? (await this.homeDirectory());
  }

  /**
   * Makes the Files row start at another folder (an absolute path, or one relative to the home directory, `~`
   * included), resolved by the server; refused unless it is a folder this user can list. Resolves the folder.
   */
  async goToFolder(path: string): Promise<string> {
    const typed = path.trim();
    if (!typed) throw new DriverError('config', 'Name the folder to go to.');
    const home = await this.homeDirectory();
    const absolute = typed === '~' ? home : typed.startsWith('~/') ? posix.join(home, typed.slice(2)) : posix.resolve(home, typed);
    const resolved = await this.files.realpath(absolute);
    const entry = await this.files.stat(resolved);
    if (entry.type !== 'directory') throw new DriverError('config', `${resolved} on ${this.profile.host} is not a folder.`, 'Name a folder; a file opens from its folder.');
    await this.files.list(resolved);
    this.filesRoot = resolved;
    return resolved;
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    if (!node) return this.topLevel();
    const place = placeOf('ssh', node.place);
    if (place?.of === 'dir') {
      const path = place.path;
      const { entries, refused } = await this.files.list(path);
      const shown: BrowseNode[] = entries.map((entry): BrowseNode => ({
        place: { kind: 'ssh', of: entry.type === 'directory' ? 'dir' : 'file', path: entry.path },
        label: entry.name,
        type: entry.type === 'directory' ? 'dir' : 'file',
        icon: entry.type === 'directory' ? (entry.isLink ? 'file-symlink-directory' : 'folder') : entry.isLink ? 'file-symlink-file' : 'file',
        expandable: entry.type === 'directory',
        opens: entry.type === 'file',
        description: entry.type === 'directory' ? '' : formatSize(entry.size),
        tooltip: `${entry.path}\n${formatSize(entry.size)} · modified ${new Date(entry.mtime).toISOString().replace('T', ' ').slice(0, 19)} · mode ${(entry.mode & 0o7777).toString(8)}`,
      }));
      if (refused.length === 0) return shown;
      return [...shown, {
        place: { kind: 'ssh', of: 'refused', path },
        label: `${refused.length} ${refused.length === 1 ? 'name' : 'names'} refused`,
        type: 'notice',
        icon: 'warning',
        expandable: false,
        description: 'not single file names',
        counts: { refused: refused.length },
        tooltip: `The server listed ${refused.length === 1 ? 'a name that is' : 'names that are'} not one plain file name; Switchboard shows, opens and copies none of them:\n${refused.slice(0, 20).map((r) => `"${shownName(r.name)}": ${r.problem}`).join('\n')}${refused.length > 20 ? `\n… and ${refused.length - 20} more` : ''}`,
      }];
    }
    if (place?.of === 'forwards') {
      const forwards = this.profile.forwards ?? [];
      if (forwards.length === 0) return [{ place: { kind: 'ssh', of: 'noForwards' }, label: 'No port forwards yet', type: 'notice', icon: 'info', expandable: false, tooltip: 'Use "Add Port Forward" on the connection.' }];
      return forwards.map((forward): BrowseNode => {
        const running = this.forwards.has(forwardKey(forward));
        return {
          place: { kind: 'ssh', of: 'forward', forward: forwardKey(forward) },
          label: forwardLabel(forward),
          type: running ? 'forwardRunning' : 'forwardStopped',
          icon: running ? 'radio-tower' : 'circle-slash',
          expandable: false,
          description: running ? 'forwarding' : 'stopped',
        };
      });
    }
    return [];
  }

  private async topLevel(): Promise<BrowseNode[]> {
    const facts = await execText(this.client, 'uname -srmn; uptime');
    const [uname = '', uptime = ''] = facts.stdout.split('\n').map((line) => line.trim());
    const root = await this.filesFolder();
    return [
      { place: { kind: 'ssh', of: 'fact', fact: 'system' }, label: 'System', type: 'fact', icon: 'vm', expandable: false, description: uname, tooltip: uname },
      { place: { kind: 'ssh', of: 'fact', fact: 'uptime' }, label: 'Uptime', type: 'fact', icon: 'clock', expandable: false, description: uptime.replace(/^\S+\s+/, ''), tooltip: uptime },
      { place: { kind: 'ssh', of: 'dir', path: root }, label: 'Files', type: 'filesRoot', icon: 'folder-opened', expandable: true, description: root, tooltip: `SFTP, starting at ${root}. Go to Folder… (or Go Up) shows another part of the host.` },
      { place: { kind: 'ssh', of: 'forwards' }, label: 'Port Forwards', type: 'forwards', icon: 'plug', expandable: true, description: `${this.forwards.size} running`, counts: { running: this.forwards.size } },
    ];
  }

  /** A tunnel for a connection that rides on this one: SSH channels, no local port. */
  openTunnel(host: string, port: number): Tunnel {
    return new SshTunnel(this.client, host, port);
  }

  /** Starts a saved local forward (127.0.0.1:localPort -> remoteHost:remotePort). */
  async startForward(forward: PortForward): Promise<void> {
    const key = forwardKey(forward);
    if (this.forwards.has(key)) return;
    try {
      this.forwards.set(key, await listenForward(this.client, forward));
    } catch (error) {
      const code = typeof error === 'object' && error && 'code' in error ? error.code : '';
      if (code === 'EADDRINUSE') throw new DriverError('config', `Local port ${forward.localPort} is already in use.`, 'Stop whatever listens there or pick another local port.');
      throw error;
    }
  }

  stopForward(forward: PortForward): void {
    const key = forwardKey(forward);
    this.forwards.get(key)?.close();
    this.forwards.delete(key);
  }

  isForwarding(forward: PortForward): boolean {
    return this.forwards.has(forwardKey(forward));
  }

  /** An interactive login shell on a pty; several shells share this one connection. */
  async shell(size: TerminalSize, handlers: ShellHandlers, command?: string): Promise<ShellChannel> {
    this.mayRunCommands(command === undefined ? 'A terminal' : `Running "${command}"`);
    return openShell(this.client, size, handlers, command);
  }

  async exec(command: string, onStdout: (chunk: Buffer) => void, onStderr: (chunk: Buffer) => void, signal?: AbortSignal): Promise<ExecExit> {
    this.mayRunCommands(`Running "${command}"`);
    return execStream(this.client, command, onStdout, onStderr, signal);
  }

  /** A shell or a command can change anything on the host, so a read-only connection runs none. */
  private mayRunCommands(action: string): void {
    if (this.profile.readOnly) {
      throw new DriverError('readOnly', `${action} refused: "${this.profile.name}" is a read-only connection, and a command can change anything on the host.`,
        'Browse, open and download files, or use a writable connection for terminals and commands.');
    }
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    for (const tunnel of this.forwards.values()) tunnel.close();
    this.forwards.clear();
    this.files.close();
    this.client.end();
  }
}

function dial(profile: SshProfile): Socket {
  const sock = new Socket();
  sock.connect({ host: profile.host, port: profile.port });
  return sock;
}

export const driver: Driver<SshProfile, SshSession> = {
  async connect(profile, options) {
    const endpoint = `${profile.host}:${profile.port}`;
    const auth = await authConfig(profile, options);
    const prompter = options.prompter;
    if (!auth.password && !auth.privateKey && !auth.agent && !prompter) {
      throw new DriverError('config', `No way to log in to ${endpoint} is set.`, 'The connection needs a password, a key file or ssh-agent.');
    }
    const client = new Client();
    let hostKeyRefused = false;
    if (prompter) {
      client.on('keyboard-interactive', (name, instructions, _lang, prompts, finish) => {
        // Servers often send an empty round; answer it without bothering the user.
        if (prompts.length === 0) return finish([]);
        prompter(name || `Log in to ${endpoint}`, instructions, prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true }))).then(
          (answers) => finish(answers ?? []),
          () => finish([]),
        );
      });
    }
    const policy = (await options.hostKeys.policy?.(profile.host, profile.port)) ?? { knownTypes: [], allowSha1Rsa: false };
    const config: ConnectConfig = {
      username: profile.username,
      algorithms: { serverHostKey: hostKeyAlgorithms(policy.knownTypes, policy.allowSha1Rsa) },
      readyTimeout: options.timeoutMs,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      tryKeyboard: prompter !== undefined,
      ...auth,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        options.hostKeys.verify(profile.host, profile.port, key).then(
          (trusted) => {
            hostKeyRefused = !trusted;
            verify(trusted);
          },
          () => {
            hostKeyRefused = true;
            verify(false);
          },
        );
      },
    };
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown): void => {
        // ssh2 may report the teardown as one more error; it has been accounted for.
        client.on('error', () => undefined);
        client.end();
        reject(connectError(error, endpoint, options, hostKeyRefused, !policy.allowSha1Rsa));
      };
      const closedEarly = (): void => fail(new DriverError('closed', `SSH at ${endpoint} closed the connection during login.`, 'Check the server log and the port.'));
      client.once('ready', () => {
        client.removeListener('error', fail);
        client.removeListener('close', closedEarly);
        resolve();
      });
      client.once('error', fail);
      client.once('close', closedEarly);
      // The socket is Switchboard's own, so that a fast stream shares the event loop; it must be connecting before
      // ssh2 gets it. Through a jump host it is an SSH channel of the hop. A key that cannot be decrypted or parsed is
      // reported synchronously by connect().
      const opening = options.tunnel
        ? withTimeout(options.tunnel.open(), options.timeoutMs, () => timeoutError('SSH', endpoint, options.timeoutMs, 'channel through the jump host'))
        : Promise.resolve(dial(profile));
      opening.then((sock) => {
        shareTheLoop(sock);
        try {
          client.connect({ ...config, sock });
        } catch (error) {
          fail(error);
        }
      }, fail);
    });
    return new SshSession(client, profile);
  },
};
