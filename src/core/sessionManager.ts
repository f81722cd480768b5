import * as vscode from 'vscode';
import { DriverError, redact } from '../drivers/errors';
import { DriverRegistry } from '../drivers/registry';
import { canTunnel, HostKeyVerifier, Profile, Secrets, Session, Tunnel } from '../drivers/types';
import { addressOf } from '../drivers/kinds';
import { ProfileStore } from '../storage/profileStore';
import { SecretStore } from '../storage/secretStore';
import { Log } from './log';
import { loginPrompter } from './loginPrompter';

export type ConnectionState =
  | { readonly status: 'disconnected' }
  | { readonly status: 'connecting' }
  | { readonly status: 'connected'; readonly description: string }
  | { readonly status: 'reconnecting'; readonly description: string }
  | { readonly status: 'error'; readonly error: Error };

interface Live {
  readonly session: Session;
  readonly tunnel?: Tunnel;
  readonly unsubscribe: () => void;
}

/** One live session per profile, shared by the tree, panels and terminals. */
export class SessionManager implements vscode.Disposable {
  private readonly live = new Map<string, Live>();
  private readonly pending = new Map<string, Promise<Session>>();
  private readonly states = new Map<string, ConnectionState>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires a profile id whenever that connection's state changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly profiles: ProfileStore,
    private readonly secrets: SecretStore,
    private readonly drivers: DriverRegistry,
    private readonly hostKeys: HostKeyVerifier,
    private readonly log: Log,
  ) {}

  state(profileId: string): ConnectionState {
    return this.states.get(profileId) ?? { status: 'disconnected' };
  }

  isOpen(profileId: string): boolean {
    return this.live.has(profileId);
  }

  /** The live session of a profile, connecting first if needed. Concurrent callers share one attempt. */
  session(profile: Profile): Promise<Session> {
    const live = this.live.get(profile.id);
    if (live) return Promise.resolve(live.session);
    let attempt = this.pending.get(profile.id);
    if (!attempt) {
      attempt = this.open(profile, new Set()).finally(() => this.pending.delete(profile.id));
      this.pending.set(profile.id, attempt);
    }
    return attempt;
  }

  /** Connects once with the given secrets and closes again: the form's "Test" button. */
  async test(profile: Profile, secrets: Secrets): Promise<string> {
    const { session, tunnel } = await this.connectDriver(profile, secrets, new Set([profile.id]));
    try {
      return await session.describe();
    } finally {
      await session.close();
      tunnel?.close();
    }
  }

  async disconnect(profileId: string): Promise<void> {
    const live = this.live.get(profileId);
    this.live.delete(profileId);
    if (live) {
      live.unsubscribe();
      await live.session.close().catch(() => undefined);
      live.tunnel?.close();
      this.log.info(`Disconnected ${this.profiles.get(profileId)?.name ?? profileId}`);
    }
    // Sessions tunnelled through this one lose their carrier too.
    for (const other of this.profiles.all()) {
      if (this.live.has(other.id) && carrierOf(other) === profileId) await this.disconnect(other.id);
    }
    this.setState(profileId, { status: 'disconnected' });
  }

  private async open(profile: Profile, visiting: Set<string>): Promise<Session> {
    this.setState(profile.id, { status: 'connecting' });
    try {
      const secrets = await this.secrets.read(profile.id);
      visiting.add(profile.id);
      const { session, tunnel } = await this.connectDriver(profile, secrets, visiting);
      const description = await session.describe();
      const unsubscribe = session.onState((event) => {
        if (event.state === 'reconnecting') {
          this.log.channel.warn(`${profile.name}: connection lost, reconnecting${event.error ? ` (${event.error.message})` : ''}`);
          this.setState(profile.id, { status: 'reconnecting', description });
        } else if (event.state === 'connected') {
          this.log.info(`${profile.name}: reconnected`);
          this.setState(profile.id, { status: 'connected', description });
        } else {
          this.live.delete(profile.id);
          tunnel?.close();
          const error = new DriverError('closed', `The connection to ${addressOf(profile)} was closed${event.error ? `: ${event.error.message}` : ''}.`, 'Expand or refresh it to connect again.');
          this.log.channel.warn(`${profile.name}: ${error.message}`);
          this.setState(profile.id, { status: 'error', error });
        }
      });
      this.live.set(profile.id, { session, unsubscribe, ...(tunnel ? { tunnel } : {}) });
      this.log.info(`Connected ${profile.name} (${addressOf(profile)}): ${description}`);
      this.setState(profile.id, { status: 'connected', description });
      return session;
    } catch (error) {
      const safe = error instanceof Error ? error : new Error(String(error));
      this.setState(profile.id, { status: 'error', error: safe });
      throw safe;
    }
  }

  /** Dials the driver, through an SSH tunnel (or a ProxyJump chain) when the profile asks for one. */
  private async connectDriver(profile: Profile, secrets: Secrets, visiting: Set<string>): Promise<{ session: Session; tunnel?: Tunnel }> {
    const settings = vscode.workspace.getConfiguration('switchboard');
    const timeoutMs = settings.get<number>('connectTimeoutSeconds', 10) * 1000;
    const maxShownBytes = Math.max(1, settings.get<number>('maxShownValueKB', 256)) * 1024;
    let tunnel: Tunnel | undefined;
    const carrierId = carrierOf(profile);
    if (carrierId) {
      tunnel = await this.tunnelThrough(carrierId, profile, visiting);
    }
    try {
      const driver = this.drivers.get(profile.kind);
      const session = await driver.connect(profile, { secrets, timeoutMs, maxShownBytes, hostKeys: this.hostKeys, prompter: loginPrompter, ...(tunnel ? { endpoint: tunnel } : {}) });
      return { session, ...(tunnel ? { tunnel } : {}) };
    } catch (error) {
      tunnel?.close();
      if (error instanceof Error) error.message = redact(error.message, [secrets.password, secrets.passphrase]);
      throw error;
    }
  }

  private async tunnelThrough(carrierId: string, profile: Profile, visiting: Set<string>): Promise<Tunnel> {
    const carrier = this.profiles.get(carrierId);
    if (!carrier || carrier.kind !== 'ssh') {
      throw new DriverError('config', `${profile.name} goes through an SSH connection that no longer exists.`, 'Edit it and pick another SSH connection, or none.');
    }
    if (visiting.has(carrier.id)) {
      throw new DriverError('config', `${profile.name}: the SSH connections it goes through form a loop (${carrier.name}).`, 'Edit the jump hosts so that the chain ends.');
    }
    const live = this.live.get(carrier.id)?.session ?? (await (this.pending.get(carrier.id) ?? this.open(carrier, visiting)));
    if (!canTunnel(live)) throw new DriverError('config', `${carrier.name} cannot carry tunnels.`);
    const target = profile.kind === 'memcached' ? profile.servers[0] : profile;
    if (!target) throw new DriverError('config', `${profile.name} lists no server.`);
    return live.openTunnel(target.host, target.port);
  }

  private setState(profileId: string, state: ConnectionState): void {
    this.states.set(profileId, state);
    this.changed.fire(profileId);
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.live.keys()].map((id) => this.disconnect(id)));
  }

  dispose(): void {
    void this.closeAll();
    this.changed.dispose();
  }
}

/** The SSH profile a connection rides on: viaSsh for servers, the jump host for SSH profiles. */
export function carrierOf(profile: Profile): string | undefined {
  return profile.kind === 'ssh' ? profile.jumpHost : profile.viaSsh;
}
