import * as vscode from 'vscode';
import { join } from 'node:path';
import { Disposable } from './core/disposable';
import { Log } from './core/log';
import { HostKeyTrust } from './core/hostKeyTrust';
import { SyncedKnownHosts } from './core/settingsSync';
import { SessionManager } from './core/sessionManager';
import { DriverRegistry } from './drivers/registry';
import { ProfileStore } from './storage/profileStore';
import { SecretStore } from './storage/secretStore';
import { SecretGate } from './core/secretGate';
import { confirmSecretEndpoint } from './core/loginPrompter';
import { ConnectionCatalog } from './storage/connectionCatalog';
import { WorkspaceConnections } from './storage/workspaceConnections';
import { watchWorkspaceConnections, workspacePasswords } from './core/workspaceSessions';
import { trackHasConnections } from './core/walkthrough';
import { ConnectionsTree } from './explorer/connectionsTree';
import { registerProfileCommands } from './commands/profileCommands';
import { registerConnectionCommands } from './commands/connectionCommands';
import { registerConnectionFileCommands } from './commands/connectionFileCommands';
import { registerWorkspaceCommands } from './commands/workspaceCommands';
import { registerHostKeyCommands } from './commands/hostKeyCommands';
import { loadSandboxProfiles } from './core/sandboxProfiles';
import { dropManagementUrlCredentials } from './storage/managementUrlMigration';
import { CheckedMemento } from './storage/checkedMemento';
import { AuditLog } from './core/auditLog';
import { SFTP_SCHEME, SftpFileSystem } from './fs/sftpFileSystem';
import { REDIS_SCHEME, RedisValueFileSystem } from './fs/redisValueFileSystem';
import { registerSshCommands } from './commands/sshCommands';
import { registerRemoteFileCommands } from './commands/remoteFileCommands';
import { registerMemcachedCommands } from './commands/memcachedCommands';
import { registerRabbitMqCommands } from './commands/rabbitMqCommands';
import { registerMySqlCommands } from './commands/mysqlCommands';
import { registerMySqlServerCommands } from './commands/mysqlServerCommands';
import { registerMySqlAccountCommands } from './commands/mysqlAccountCommands';
import { registerMySqlTransferCommands } from './commands/mysqlTransferCommands';
import { SqlTargets } from './editors/sqlTargets';
import { SqlFormatting } from './editors/sqlFormatting';
import { SqlCompletion } from './editors/sqlCompletion';
import { registerRedisCommands } from './commands/redisCommands';
import { registerRedisServerCommands } from './commands/redisServerCommands';
import { registerRedisStreamCommands } from './commands/redisStreamCommands';
import { registerOpenNode } from './commands/openNode';
import { registerRemoteFolderCommands } from './commands/remoteFolderCommands';
import { registerQueryHistoryCommands } from './commands/queryHistoryCommands';
import { QueryHistory } from './storage/queryHistory';
import { ConsoleHistory } from './storage/consoleHistory';
import { SavedQueries } from './storage/savedQueries';
import { QueryHistoryTree } from './explorer/queryHistoryTree';
import { config } from './core/config';

/** The composition root: creates every service once and owns it. */
export class Container extends Disposable {
  readonly log: Log;
  /** Every connection: the user's own and the open workspace's. */
  readonly profiles: ConnectionCatalog;
  readonly userProfiles: ProfileStore;
  readonly workspaceConnections: WorkspaceConnections;
  readonly secrets: SecretStore;
  readonly drivers: DriverRegistry;
  readonly hostKeys: HostKeyTrust;
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTree;
  readonly audit: AuditLog;
  readonly globalState: vscode.Memento;
  readonly history: QueryHistory;
  readonly historyTree: QueryHistoryTree;
  readonly savedQueries: SavedQueries;

  constructor(context: vscode.ExtensionContext) {
    super();
    const globalState = (this.globalState = new CheckedMemento(context.globalState));
    this.log = this.register(new Log());
    this.userProfiles = this.register(new ProfileStore(globalState));
    this.workspaceConnections = this.register(new WorkspaceConnections(this.log));
    this.profiles = this.register(new ConnectionCatalog(this.userProfiles, this.workspaceConnections));
    this.secrets = new SecretStore(context.secrets);
    this.drivers = new DriverRegistry(join(context.extensionPath, 'dist', 'drivers'));
    const syncedHostKeys = this.register(new SyncedKnownHosts(globalState));
    this.hostKeys = new HostKeyTrust(join(context.globalStorageUri.fsPath, 'known_hosts'), this.log, syncedHostKeys);
    this.register(syncedHostKeys.onDidChangeOptIn((enabled) => void this.hostKeys.syncOptInChanged(enabled, syncedHostKeys).catch((error: unknown) => this.log.report('Updating the synced SSH host keys', error))));
    this.sessions = this.register(new SessionManager(this.profiles, new SecretGate(this.secrets, (id) => this.profiles.get(id), confirmSecretEndpoint, workspacePasswords(this.profiles)), this.drivers, this.hostKeys, this.log));
    const saved = (this.savedQueries = new SavedQueries(globalState));
    this.tree = this.register(new ConnectionsTree(this.profiles, this.sessions, saved));
    const history = (this.history = new QueryHistory(join(context.globalStorageUri.fsPath, 'query-history.jsonl'), config.mysqlHistoryLimit, () => this.historyTree.refresh()));
    const historyTree = (this.historyTree = new QueryHistoryTree(history, this.profiles));
    this.audit = new AuditLog(this.log);
    this.register(this.audit.watch(this.sessions, this.profiles));
    this.register(vscode.workspace.registerFileSystemProvider(SFTP_SCHEME, new SftpFileSystem(this.profiles, this.sessions), { isCaseSensitive: true }));
    this.register(vscode.workspace.registerFileSystemProvider(REDIS_SCHEME, new RedisValueFileSystem(this.profiles, this.sessions), { isCaseSensitive: true }));
    const targets = this.register(new SqlTargets(context.workspaceState, this.profiles));
    const consoleHistory = new ConsoleHistory(globalState);
    const services = { extensionUri: context.extensionUri, log: this.log, profiles: this.profiles, secrets: this.secrets, sessions: this.sessions, consoleHistory, tree: this.tree };
    for (const disposable of [
      ...registerProfileCommands(services),
      ...registerConnectionCommands(this.profiles, this.sessions, this.tree, this.log),
      ...registerConnectionFileCommands(this.userProfiles, this.log),
      ...registerWorkspaceCommands({ profiles: this.profiles, secrets: this.secrets, log: this.log }),
      ...registerHostKeyCommands(this.hostKeys),
      ...registerSshCommands({ profiles: this.profiles, sessions: this.sessions, tree: this.tree, audit: this.audit, log: this.log }),
      ...registerRemoteFileCommands({ sessions: this.sessions, tree: this.tree, log: this.log }),
      ...registerRemoteFolderCommands({ profiles: this.profiles, sessions: this.sessions, tree: this.tree, log: this.log }),
      ...registerRedisCommands(context.extensionUri, this.profiles, this.sessions, this.log, consoleHistory),
      ...registerRedisServerCommands(context.extensionUri, this.profiles, this.sessions, this.log),
      ...registerRedisStreamCommands(context.extensionUri, this.profiles, this.sessions, this.log),
      registerOpenNode(),
      ...registerMemcachedCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, tree: this.tree, log: this.log }),
      ...registerRabbitMqCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, tree: this.tree, log: this.log }),
      ...registerMySqlCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, targets, history, log: this.log }),
      ...registerMySqlServerCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, targets, log: this.log }),
      ...registerMySqlAccountCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, tree: this.tree, log: this.log }),
      ...registerMySqlTransferCommands({ extensionUri: context.extensionUri, profiles: this.profiles, sessions: this.sessions, log: this.log }),
      ...registerQueryHistoryCommands({ profiles: this.profiles, targets, history, historyTree, saved }),
      SqlFormatting.register(context.extensionPath, targets, this.sessions),
      SqlCompletion.register(targets, this.sessions, this.profiles),
    ]) {
      this.register(disposable);
    }
    this.register(watchWorkspaceConnections(this.workspaceConnections, this.sessions));
    this.register(trackHasConnections(this.profiles));
    void loadSandboxProfiles(this.userProfiles, this.secrets, this.log);
    void dropManagementUrlCredentials(this.userProfiles, this.secrets).then((notes) => notes.forEach((note) => void vscode.window.showWarningMessage(note)));
  }
}
