/** The contracts every kind implements. Plain data only: nothing here knows about VS Code. */
import type { Duplex } from 'node:stream';
import type { Place } from './places';

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
  /** With TLS, for servers that ask clients for a certificate (tls-auth-clients): PEM files of it and its key. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** With TLS: the name the servers' certificates carry (sent as SNI), when it is not the address dialled. */
  readonly servername?: string;
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
  /** With TLS: a PEM file of the CA that signed the server's certificate, when it is not a publicly trusted one. */
  readonly caFile?: string;
  /** With TLS, for users created REQUIRE X509 (or SUBJECT / ISSUER): PEM files of the client certificate and its key. */
  readonly certFile?: string;
  readonly keyFile?: string;
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

/** Whether a connection (a picked one, a row's) is of `kind`. */
export function isKind<K extends Kind>(profile: { readonly kind: Kind } | undefined, kind: K): profile is ProfileOf<K> {
  return profile?.kind === kind;
}

/**
 * The secrets a profile can have: the server's password, a key file's passphrase (SSH keys, a Redis client key), and
 * the password of a Redis profile's Sentinels.
 */
export const SECRET_NAMES = ['password', 'passphrase', 'sentinelPassword'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** Secrets are read from SecretStorage at connect time and handed to the driver, never stored by it. */
export type Secrets = { readonly [K in SecretName]?: string };

/** What is known about a host's keys before its server is dialled. */
export interface HostKeyPolicy {
  /** Key types on file for the host ("ssh-ed25519"): offered first, so that the host shows the key it is known by. */
  readonly knownTypes: readonly string[];
  /** SHA-1 "ssh-rsa" host key signatures are accepted only for hosts the user allowed. */
  readonly allowSha1Rsa: boolean;
}

/** Asked whenever an SSH server presents its host key; resolves true only for a key the user trusts. */
export interface HostKeyVerifier {
  verify(host: string, port: number, key: Uint8Array): Promise<boolean>;
  /** Without it: no preference among key types, and no SHA-1 signatures. */
  policy?(host: string, port: number): Promise<HostKeyPolicy>;
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
  /** The way to the server when it is reached through an SSH connection, instead of dialling the profile's address. */
  readonly tunnel?: Tunnel;
  /** Values, bodies and cells longer than this many bytes reach a view cut to it, marked as cut. */
  readonly maxShownBytes?: number;
  /** How long one operation may go without the server's reply before it fails (MySQL's query timeout, Redis' command timeout). */
  readonly replyTimeoutMs?: number;
}

/** The cut for shown values when a caller names none (the switchboard.maxShownValueKB default). */
export const DEFAULT_SHOWN_BYTES = 256 * 1024;

/** One row of the explorer below a connection. `path` is the driver's own address of the node. */
export interface BrowseNode {
  /** What the row stands for, typed by kind (src/drivers/places.ts). */
  readonly place: Place;
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
  /** The numbers the description and tooltip state ("12 keys"), so that the VS Code layer can word them. */
  readonly counts?: Readonly<Record<string, number>>;
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

/**
 * A way to host:port on the far side of an SSH connection that only Switchboard holds: no port opens on this
 * machine for it, so no other local process can use it.
 */
export interface Tunnel {
  /** The far side, as the profile names it (for messages). */
  readonly target: string;
  /** A new stream to the far side: one SSH channel. */
  open(): Promise<Duplex>;
  /**
   * For a client library that can only dial an address: a Unix socket in a directory only this user may enter
   * (0700; on Windows a named pipe with an unguessable name), each connection to it relayed over a new SSH channel.
   * Made on first use, removed on close.
   */
  socketPath(): Promise<string>;
  /**
   * A way to another host:port on the far side, through the same SSH connection: for servers that name the others
   * (a cluster's nodes, the master a Sentinel names). Closed with this one.
   */
  to(host: string, port: number): Tunnel;
  /** Ends every stream and the socket, and those of the tunnels made with `to`. */
  close(): void;
}

/** Sessions that can carry other connections (SSH). */
export interface TunnelProvider {
  openTunnel(host: string, port: number): Tunnel;
}

export function canTunnel(session: Session): session is Session & TunnelProvider {
  return 'openTunnel' in session && typeof session.openTunnel === 'function';
}

/** `S` is the session this driver hands out, so that callers holding the driver itself get its kind's own type. */
export interface Driver<P extends Profile = Profile, S extends Session = Session> {
  connect(profile: P, options: ConnectOptions): Promise<S>;
}
