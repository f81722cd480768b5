/** The contracts every kind implements. Plain data only: nothing here knows about VS Code. */

export const KINDS = ['redis', 'memcached', 'rabbitmq', 'mysql', 'ssh'] as const;
export type Kind = (typeof KINDS)[number];

interface ProfileBase {
  readonly id: string;
  readonly name: string;
  readonly group?: string;
  /** Writes are refused inside the driver. */
  readonly readOnly: boolean;
  /** Reach the server through the SSH profile with this id. */
  readonly viaSsh?: string;
}

export interface RedisProfile extends ProfileBase {
  readonly kind: 'redis';
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly tls: boolean;
  readonly db: number;
  /** With TLS: a PEM file of the CA that signed the server's certificate, when it is not a publicly trusted one. */
  readonly caFile?: string;
  /** Reach the master through these Sentinels ("host:port"); host and port above are then not used. */
  readonly sentinels?: readonly string[];
  /** The master name the Sentinels know it by. */
  readonly sentinelMaster?: string;
  /** Host and port are one node of a Redis Cluster; the others are found from it. */
  readonly cluster?: boolean;
}

export interface MemcachedServer {
  readonly host: string;
  readonly port: number;
  readonly weight: number;
}

export interface MemcachedProfile extends ProfileBase {
  readonly kind: 'memcached';
  readonly servers: readonly MemcachedServer[];
  /** A user, for servers started with an ASCII auth file (-Y). */
  readonly username?: string;
  /** How keys map to servers: the mapping the applications writing this pool use. Default memjs. */
  readonly mapping?: 'memjs' | 'ketama' | 'python';
}

export interface RabbitMqProfile extends ProfileBase {
  readonly kind: 'rabbitmq';
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly vhost: string;
  readonly tls: boolean;
  /** The management HTTP API, e.g. http://127.0.0.1:15672; without it only named queues and exchanges work. */
  readonly managementUrl?: string;
  /** Other nodes of the cluster ("host" or "host:port"), tried in order when the first does not answer. */
  readonly otherHosts?: readonly string[];
  /** With TLS: a PEM file of the CA that signed the broker's certificate, when it is not a publicly trusted one. */
  readonly caFile?: string;
}

export interface MySqlProfile extends ProfileBase {
  readonly kind: 'mysql';
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly database?: string;
  readonly tls: boolean;
}

export interface SshProfile extends ProfileBase {
  readonly kind: 'ssh';
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly keyFile?: string;
  readonly useAgent: boolean;
  /** Hop through this SSH profile first (ProxyJump). */
  readonly jumpHost?: string;
  /** Saved commands to run on this host. */
  readonly snippets?: readonly string[];
  /** Local port forwards: 127.0.0.1:localPort -> remoteHost:remotePort on the far side. */
  readonly forwards?: readonly PortForward[];
}

export interface PortForward {
  readonly localPort: number;
  readonly remoteHost: string;
  readonly remotePort: number;
}

export type Profile = RedisProfile | MemcachedProfile | RabbitMqProfile | MySqlProfile | SshProfile;
export type ProfileOf<K extends Kind> = Extract<Profile, { kind: K }>;

/** Secrets are read from SecretStorage at connect time and handed to the driver, never stored by it. */
export interface Secrets {
  readonly password?: string;
  readonly passphrase?: string;
}

/** Asked whenever an SSH server presents its host key; resolves true only for a key the user trusts. */
export interface HostKeyVerifier {
  verify(host: string, port: number, key: Uint8Array): Promise<boolean>;
}

/** Keyboard-interactive login: the server's prompts, answered by the user. Undefined answers cancel. */
export interface LoginPrompt {
  readonly prompt: string;
  readonly echo: boolean;
}
export type Prompter = (title: string, instructions: string, prompts: readonly LoginPrompt[]) => Promise<string[] | undefined>;

export interface ConnectOptions {
  readonly secrets: Secrets;
  readonly prompter?: Prompter;
  readonly timeoutMs: number;
  readonly hostKeys: HostKeyVerifier;
  /** The address to dial instead of the profile's own, when the server is reached through a tunnel. */
  readonly endpoint?: { readonly host: string; readonly port: number };
  /** Values, bodies and cells longer than this many bytes reach a view cut to it, marked as cut. */
  readonly maxShownBytes?: number;
}

/** The cut for shown values when a caller names none (the switchboard.maxShownValueKB default). */
export const DEFAULT_SHOWN_BYTES = 256 * 1024;

/** One row of the explorer below a connection. `path` is the driver's own address of the node. */
export interface BrowseNode {
  readonly path: readonly string[];
  readonly label: string;
  /** Node type within the kind, e.g. "db", "queue", "column"; becomes part of the tree's contextValue. */
  readonly type: string;
  readonly description?: string;
  readonly tooltip?: string;
  /** A codicon id. */
  readonly icon: string;
  readonly expandable: boolean;
  /** Activating the row opens it (a remote file in the editor, for instance). */
  readonly opens?: boolean;
}

export type SessionState = 'connected' | 'reconnecting' | 'closed';

export interface SessionEvent {
  readonly state: SessionState;
  readonly error?: Error;
}

export interface Session {
  readonly kind: Kind;
  /** Children of a node; no node means the connection's top level. */
  children(node?: BrowseNode): Promise<BrowseNode[]>;
  /** A short description of the server, e.g. "Redis 7.0.15". Also proves the connection works. */
  describe(): Promise<string>;
  /** Subscribes to state changes (lost, reconnecting, back). Returns an unsubscribe function. */
  onState(listener: (event: SessionEvent) => void): () => void;
  close(): Promise<void>;
}

/** A local endpoint that reaches host:port on the far side of an SSH connection. */
export interface Tunnel {
  readonly host: string;
  readonly port: number;
  close(): void;
}

/** Sessions that can carry other connections (SSH). */
export interface TunnelProvider {
  /** Listens on 127.0.0.1:localPort (0 for any free port). */
  openTunnel(host: string, port: number, localPort?: number): Promise<Tunnel>;
}

export function canTunnel(session: Session): session is Session & TunnelProvider {
  return 'openTunnel' in session && typeof session.openTunnel === 'function';
}

export interface Driver<P extends Profile = Profile> {
  connect(profile: P, options: ConnectOptions): Promise<Session>;
}
