import * as vscode from 'vscode';
import { join } from 'node:path';
import { Disposable } from './core/disposable';
import { Log } from './core/log';
import { HostKeyTrust } from './core/hostKeyTrust';
import { SessionManager } from './core/sessionManager';
import { DriverRegistry } from './drivers/registry';
import { ProfileStore } from './storage/profileStore';
import { SecretStore } from './storage/secretStore';
import { ConnectionsTree } from './explorer/connectionsTree';
import { registerProfileCommands } from './commands/profileCommands';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerTransferCommands } from './commands/transferCommands';
import { registerHostKeyCommands } from './commands/hostKeyCommands';
import { loadSandboxProfiles } from './core/sandboxProfiles';
import { AuditLog } from './core/auditLog';
import { SFTP_SCHEME, SftpFileSystem } from './fs/sftpFileSystem';
import { REDIS_SCHEME, RedisValueFileSystem } from './fs/redisValueFileSystem';
import { registerSshCommands } from './commands/sshCommands';
import { registerMemcachedCommands } from './commands/memcachedCommands';
import { registerRabbitMqCommands } from './commands/rabbitMqCommands';
import { registerMySqlCommands } from './commands/mysqlCommands';
import { SqlTargets } from './editors/sqlTargets';
import { registerRedisCommands } from './commands/redisCommands';
import { registerOpenNode } from './commands/openNode';

/** The composition root: creates every service once and owns it. */
export class Container extends Disposable {
  readonly log: Log;
  readonly profiles: ProfileStore;
  readonly secrets: SecretStore;
  readonly drivers: DriverRegistry;
  readonly hostKeys: HostKeyTrust;
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTree;
  readonly audit: AuditLog;
  readonly globalState: vscode.Memento;

  constructor(context: vscode.ExtensionContext) {
    super();
    this.globalState = context.globalState;
    this.log = this.register(new Log());
    this.profiles = this.register(new ProfileStore(context.globalState));
    this.secrets = new SecretStore(context.secrets);
    this.drivers = new DriverRegistry(join(context.extensionPath, 'dist', 'drivers'));
    this.hostKeys = new HostKeyTrust(join(context.globalStorageUri.fsPath, 'known_hosts'), this.log);
    this.sessions = this.register(new SessionManager(this.profiles, this.secrets, this.drivers, this.hostKeys, this.log));
    this.tree = this.register(new ConnectionsTree(this.profiles, this.sessions));
    this.audit = new AuditLog(this.log);
    this.register(this.audit.watch(this.sessions, this.profiles));
    this.register(vscode.workspace.registerFileSystemProvider(SFTP_SCHEME, new SftpFileSystem(this.profiles, this.sessions), { isCaseSensitive: true }));
    this.register(vscode.workspace.registerFileSystemProvider(REDIS_SCHEME, new RedisValueFileSystem(this.profiles, this.sessions), { isCaseSensitive: true }));
    const services = { extensionUri: context.extensionUri, profiles: this.profiles, secrets: this.secrets, sessions: this.sessions };
    for (const disposable of [
      ...registerProfileCommands(services),
      ...registerConnectionCommands(this.profiles, this.sessions, this.tree, this.log),
      ...registerTransferCommands(this.profiles, this.log),
      ...registerHostKeyCommands(this.hostKeys),
      ...registerSshCommands({ profiles: this.profiles, sessions: this.sessions, tree: this.tree, audit: this.audit, log: this.log }),
      ...registerRedisCommands(context.extensionUri, this.profiles, this.sessions, this.log),
      registerOpenNode(),
      ...registerMemcachedCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, tree: this.tree, log: this.log }),
      ...registerRabbitMqCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, tree: this.tree, log: this.log }),
      ...registerMySqlCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, targets: this.register(new SqlTargets(context.workspaceState, this.profiles)), log: this.log }),
    ]) {
      this.register(disposable);
    }
    void loadSandboxProfiles(this.profiles, this.secrets, this.log);
  }
}
