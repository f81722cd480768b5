import { readFile } from 'node:fs/promises';
import { Client, ConnectConfig } from 'ssh2';
import { BrowseNode, ConnectOptions, Driver, Session, SshProfile, Tunnel, TunnelProvider } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { execText } from './exec';
import { openTunnel } from './tunnel';

function connectError(error: unknown, endpoint: string, options: ConnectOptions, hostKeyRefused: boolean): Error {
  if (isDriverError(error)) return error;
  if (hostKeyRefused) {
    return new DriverError('hostKey', `The host key of ${endpoint} was not trusted, so the connection was closed.`, 'Compare its fingerprint with the server\'s (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server) and connect again to accept it.');
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
    return new DriverError('auth', `The private key could not be used: ${text}.`, 'Check the key file and its passphrase.');
  }
  return new DriverError('server', `SSH at ${endpoint}: ${text}`, undefined, { cause: error });
}

async function authConfig(profile: SshProfile, options: ConnectOptions): Promise<Partial<ConnectConfig>> {
  const auth: Partial<ConnectConfig> = {};
  if (options.secrets.password) auth.password = options.secrets.password;
  if (profile.keyFile) {
    try {
      auth.privateKey = await readFile(profile.keyFile);
    } catch (error) {
      throw new DriverError('config', `The key file ${profile.keyFile} could not be read (${messageOf(error)}).`, 'Edit the connection and pick an existing private key file.');
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
  private readonly states = new StateEmitter();

  constructor(readonly client: Client, private readonly profile: SshProfile) {
    client.on('close', () => this.states.emit({ state: 'closed' }));
    client.on('error', (error: Error) => this.states.emit({ state: 'closed', error }));
  }

  async describe(): Promise<string> {
    const result = await execText(this.client, 'uname -sr');
    return `${result.stdout.trim() || 'SSH host'} (${this.profile.username}@${this.profile.host})`;
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    if (node) return [];
    const facts = await execText(this.client, 'uname -srmn; uptime');
    const [uname = '', uptime = ''] = facts.stdout.split('\n').map((line) => line.trim());
    return [
      { path: ['fact', 'system'], label: 'System', type: 'fact', icon: 'vm', expandable: false, description: uname, tooltip: uname },
      { path: ['fact', 'uptime'], label: 'Uptime', type: 'fact', icon: 'clock', expandable: false, description: uptime.replace(/^\S+\s+/, ''), tooltip: uptime },
    ];
  }

  openTunnel(host: string, port: number): Promise<Tunnel> {
    return openTunnel(this.client, host, port);
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    this.client.end();
  }
}

export const driver: Driver<SshProfile> = {
  async connect(profile, options) {
    const endpoint = `${profile.host}:${profile.port}`;
    const auth = await authConfig(profile, options);
    if (!auth.password && !auth.privateKey && !auth.agent) {
      throw new DriverError('config', `No way to log in to ${endpoint} is set.`, 'Edit the connection: enter a password, pick a key file or use ssh-agent.');
    }
    const client = new Client();
    let hostKeyRefused = false;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown): void => {
        // ssh2 may report the teardown as one more error; it has been accounted for.
        client.on('error', () => undefined);
        client.end();
        reject(connectError(error, endpoint, options, hostKeyRefused));
      };
      const closedEarly = (): void => fail(new DriverError('closed', `SSH at ${endpoint} closed the connection during login.`, 'Check the server log and the port.'));
      client.once('ready', () => {
        client.removeListener('error', fail);
        client.removeListener('close', closedEarly);
        resolve();
      });
      client.once('error', fail);
      client.once('close', closedEarly);
      client.connect({
        host: options.endpoint?.host ?? profile.host,
        port: options.endpoint?.port ?? profile.port,
        username: profile.username,
        readyTimeout: options.timeoutMs,
        keepaliveInterval: 15_000,
        tryKeyboard: false,
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
      });
    });
    return new SshSession(client, profile);
  },
};
