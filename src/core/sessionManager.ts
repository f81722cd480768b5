import * as vscode from 'vscode';
import { DriverError, isDriverError, redact } from '../drivers/errors';
import { describeError } from './errorWords';
import { DriverRegistry } from '../drivers/registry';
import { canTunnel, HostKeyVerifier, Profile, Secrets, Session, Tunnel } from '../drivers/types';
import { addressOf } from '../drivers/kinds';
import { ConnectionCatalog } from '../storage/connectionCatalog';
import { PinnedHostKeyVerifier } from './pinnedHostKey';
import { SecretGate } from './secretGate';
import { sessionOfKind, SessionsByKind } from './sessionKinds';
import { config } from './config';
import { Log } from './log';
import { loginPrompter } from './loginPrompter';

export type ConnectionState =
  | { readonly status: 'disconnected' }
  | { readonly status: 'connecting' }
  | { readonly status: 'connected'; readonly description: string }
  | { readonly status: 'reconnecting'; readonly description: string; readonly reason?: string }
  | { readonly status: 'error'; readonly error: Error };

const WORDS = {
  untrusted: (name: string) => vscode.l10n.t('"{0}" comes from this workspace\'s .vscode/switchboard.json, and this workspace is not trusted, so it is not connected.', name),
  untrustedHint: () => vscode.l10n.t('Trust the workspace (Manage Workspace Trust) if you trust its authors, then connect again.'),
  closed: (address: string, cause: string | undefined) => (cause ? vscode.l10n.t('The connection to {0} was closed: {1}.', address, cause) : vscode.l10n.t('The connection to {0} was closed.', address)),
  connectAgain: () => vscode.l10n.t('Expand or refresh it to connect again.'),
  couldNotReconnect: (name: string, why: string, message: string) => vscode.l10n.t('{0} could not reconnect after {1}: {2}', name, why, message),
  carrierLost: (carrier: string) => vscode.l10n.t('{0}, the SSH connection it goes through, was lost', carrier),
  reconnectingThroughNew: (why: string) => vscode.l10n.t('{0}; reconnecting through a new connection', why),
  stillReconnecting: (why: string, message: string) => vscode.l10n.t('{0}; still reconnecting ({1})', why, message),
  carrierGone: (name: string) => vscode.l10n.t('{0} goes through an SSH connection that no longer exists.', name),
  carrierGoneHint: () => vscode.l10n.t('Edit it and pick another SSH connection, or none.'),
  loop: (name: string, carrier: string) => vscode.l10n.t('{0}: the SSH connections it goes through form a loop ({1}).', name, carrier),
  loopHint: () => vscode.l10n.t('Edit the jump hosts so that the chain ends.'),
  cannotTunnel: (carrier: string) => vscode.l10n.t('{0} cannot carry tunnels.', carrier),
  noServer: (name: string) => vscode.l10n.t('{0} lists no server.', name),
};

interface Live {
  readonly session: Session;
  readonly tunnel?: Tunnel;
  readonly unsubscribe: () => void;
  readonly description: string;
}

/** How long a connection whose carrier was lost keeps trying to come back through a new one. */
const RECARRY_MS = 120_000;
/** Errors that another attempt would only repeat: the user has to act. */
const PERMANENT: ReadonlySet<string> = new Set(['auth', 'hostKey', 'config', 'readOnly']);

/** One live session per profile, shared by the tree, panels and terminals. */
export class SessionManager implements vscode.Disposable {
  private readonly live = new Map<string, Live>();
  private readonly pending = new Map<string, Promise<Session>>();
  /** Connections coming back through a new carrier; a disconnect (or another attempt) replaces the token. */
  private readonly recarrying = new Map<string, symbol>();
  private readonly states = new Map<string, ConnectionState>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires a profile id whenever that connection's state changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly profiles: ConnectionCatalog,
    private readonly secrets: SecretGate,
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

  /**
   * The live session of a profile, connecting first if needed, typed by the profile's kind (checked, not cast).
   * Concurrent callers share one attempt.
   */
  async session<P extends Profile>(profile: P): Promise<SessionsByKind[P['kind']]> {
    return sessionOfKind<P['kind']>(await this.shared(profile, new Set(), false), profile.kind);
  }

  /** The live session, or the attempt under way, or a new one; `visiting` holds the chain of carriers above it. */
  private shared(profile: Profile, visiting: Set<string>, retrying: boolean): Promise<Session> {
    const live = this.live.get(profile.id);
    if (live) return Promise.resolve(live.session);
    let attempt = this.pending.get(profile.id);
    if (!attempt) {
      attempt = this.open(profile, visiting, retrying).finally(() => this.pending.delete(profile.id));
      this.pending.set(profile.id, attempt);
    }
    return attempt;
  }

  /**
   * Connects once and closes again: the form's "Test" button (with the secrets typed into it) and Test Connection.
   * Stored secrets are used for what was not typed, through the same endpoint check as a connection.
   */
  async test(profile: Profile, typed: Secrets = {}): Promise<string> {
    this.mayUse(profile);
    const secrets = await this.secrets.secretsFor(profile, { typed, remember: false });
    const { session, tunnel } = await this.connectDriver(profile, secrets, new Set([profile.id]));
    try {
      return await session.describe();
    } finally {
      await session.close();
      tunnel?.close();
    }
  }

  async disconnect(profileId: string): Promise<void> {
    this.recarrying.delete(profileId);
    // What rides on this connection goes first, while its carrier can still carry its goodbye; it stops trying to
    // come back through it, too.
    for (const other of this.profiles.all()) {
      if ((this.live.has(other.id) || this.recarrying.has(other.id)) && carrierOf(other) === profileId) await this.disconnect(other.id);
    }
    const live = this.live.get(profileId);
    this.live.delete(profileId);
    if (live) {
      live.unsubscribe();
      await live.session.close().catch(() => undefined);
      live.tunnel?.close();
      this.log.info(`Disconnected ${this.profiles.get(profileId)?.name ?? profileId}`);
    }
    this.setState(profileId, { status: 'disconnected' });
  }

  /** Connects a profile; `retrying` keeps its "reconnecting" state while it tries (no "connecting", no "error"). */
  private async open(profile: Profile, visiting: Set<string>, retrying = false): Promise<Session> {
    if (!retrying) this.setState(profile.id, { status: 'connecting' });
    try {
      this.mayUse(profile);
      const secrets = await this.secrets.secretsFor(profile);
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
        } else if (this.live.get(profile.id)?.session === session) {
          this.lost(profile, event.error);
        }
      });
      this.live.set(profile.id, { session, unsubscribe, description, ...(tunnel ? { tunnel } : {}) });
      this.log.info(`Connected ${profile.name} (${addressOf(profile)}): ${description}`);
      this.setState(profile.id, { status: 'connected', description });
      return session;
    } catch (error) {
      const safe = error instanceof Error ? error : new Error(String(error));
      if (!retrying) this.setState(profile.id, { status: 'error', error: safe });
      throw safe;
    }
  }

  /**
   * A session closed by itself. Whatever rides on it would only retry through a dead tunnel, so it is closed and
   * comes back through a new carrier; a session that rides on a carrier comes back the same way.
   */
  private lost(profile: Profile, cause: Error | undefined): void {
    const live = this.live.get(profile.id);
    this.live.delete(profile.id);
    live?.unsubscribe();
    live?.tunnel?.close();
    const closed = `the connection to ${addressOf(profile)} was closed${cause ? `: ${cause.message}` : ''}`;
    this.log.channel.warn(`${profile.name}: ${closed}`);
    this.recarryRiders(profile);
    if (carrierOf(profile)) {
      void this.recarry(profile, live?.description ?? addressOf(profile), closed);
      return;
    }
    this.setState(profile.id, { status: 'error', error: new DriverError('closed', WORDS.closed(addressOf(profile), cause?.message), { worded: WORDS.connectAgain() }) });
  }

  /** Closes every live session riding on `carrier` (and on those, in turn), each to come back through a new carrier. */
  private recarryRiders(carrier: Profile): void {
    for (const rider of this.profiles.all()) {
      const live = this.live.get(rider.id);
      if (!live || carrierOf(rider) !== carrier.id) continue;
      this.live.delete(rider.id);
      live.unsubscribe();
      void live.session.close().catch(() => undefined);
      live.tunnel?.close();
      this.recarryRiders(rider);
      void this.recarry(rider, live.description, WORDS.carrierLost(carrier.name));
    }
  }

  /** Reconnects a rider through its carrier (a new one when the old is gone), backing off, until it works or must stop. */
  private async recarry(profile: Profile, description: string, why: string): Promise<void> {
    const token = Symbol(profile.id);
    this.recarrying.set(profile.id, token);
    const started = Date.now();
    let reason = WORDS.reconnectingThroughNew(why);
    this.log.channel.warn(`${profile.name}: ${reason}`);
    for (let attempt = 0; ; attempt++) {
      this.setState(profile.id, { status: 'reconnecting', description, reason });
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5000)));
      if (this.recarrying.get(profile.id) !== token) return;
      try {
        await this.shared(profile, new Set(), true);
        const current = this.recarrying.get(profile.id);
        if (current === token) {
          this.recarrying.delete(profile.id);
          this.log.info(`${profile.name}: reconnected after its carrier was lost`);
        } else if (current === undefined) {
          // Disconnected by the user while this attempt was under way: it does not come back by itself.
          await this.disconnect(profile.id);
        }
        return;
      } catch (error) {
        if (this.recarrying.get(profile.id) !== token) return;
        const permanent = isDriverError(error) && PERMANENT.has(error.code);
        if (permanent || Date.now() - started > RECARRY_MS) {
          this.recarrying.delete(profile.id);
          const message = WORDS.couldNotReconnect(profile.name, why, describeError(error));
          this.setState(profile.id, { status: 'error', error: new DriverError(isDriverError(error) ? error.code : 'closed', message, { worded: WORDS.connectAgain() }) });
          return;
        }
        reason = WORDS.stillReconnecting(why, describeError(error));
      }
    }
  }

  /** Dials the driver, through an SSH tunnel (or a ProxyJump chain) when the profile asks for one. */
  private async connectDriver(profile: Profile, secrets: Secrets, visiting: Set<string>): Promise<{ session: Session; tunnel?: Tunnel }> {
    const timeoutMs = config.connectTimeoutMs();
    const maxShownBytes = config.maxShownBytes();
    const replyTimeoutMs = config.replyTimeoutMs(profile.kind);
    let tunnel: Tunnel | undefined;
    const carrierId = carrierOf(profile);
    if (carrierId) {
      tunnel = await this.tunnelThrough(carrierId, profile, visiting);
    }
    try {
      const driver = this.drivers.get(profile.kind);
      const session = await driver.connect(profile, { secrets, timeoutMs, maxShownBytes, hostKeys: this.hostKeysFor(profile), prompter: loginPrompter, ...(replyTimeoutMs !== undefined ? { replyTimeoutMs } : {}), ...(tunnel ? { tunnel } : {}) });
      return { session, ...(tunnel ? { tunnel } : {}) };
    } catch (error) {
      tunnel?.close();
      if (error instanceof Error) error.message = redact(error.message, [secrets.password, secrets.passphrase, secrets.sentinelPassword]);
      if (isDriverError(error) && error.code === 'auth') throw await this.secrets.rejected(profile, error);
      throw error;
    }
  }

  /**
   * A workspace's connections are listed in an untrusted workspace, but nothing of them is used until it is trusted:
   * no password is asked for, no key file read, no server dialled.
   */
  private mayUse(profile: Profile): void {
    if (this.profiles.isWorkspace(profile.id) && !vscode.workspace.isTrusted) throw new DriverError('config', WORDS.untrusted(profile.name), { worded: WORDS.untrustedHint() });
  }

  /** A host key pinned in the workspace file is the only one accepted for that connection; others are checked as usual. */
  private hostKeysFor(profile: Profile): HostKeyVerifier {
    if (profile.kind !== 'ssh') return this.hostKeys;
    const found = this.profiles.workspace.entry(profile.id);
    if (!found?.entry.pin) return this.hostKeys;
    return new PinnedHostKeyVerifier(found.entry.pin, profile, found.folder.file.fsPath, this.hostKeys, this.log);
  }

  private async tunnelThrough(carrierId: string, profile: Profile, visiting: Set<string>): Promise<Tunnel> {
    const carrier = this.profiles.get(carrierId);
    if (!carrier || carrier.kind !== 'ssh') {
      throw new DriverError('config', WORDS.carrierGone(profile.name), { worded: WORDS.carrierGoneHint() });
    }
    if (visiting.has(carrier.id)) {
      throw new DriverError('config', WORDS.loop(profile.name, carrier.name), { worded: WORDS.loopHint() });
    }
    const live = await this.shared(carrier, visiting, false);
    if (!canTunnel(live)) throw new DriverError('config', WORDS.cannotTunnel(carrier.name));
    const target = profile.kind === 'memcached' ? profile.servers[0] : profile;
    if (!target) throw new DriverError('config', WORDS.noServer(profile.name));
    return live.openTunnel(target.host, target.port);
  }

  private setState(profileId: string, state: ConnectionState): void {
    this.states.set(profileId, state);
    this.changed.fire(profileId);
  }

  async closeAll(): Promise<void> {
    // Connections still trying to come back through a new carrier stop too.
    this.recarrying.clear();
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
