import type { UiStep } from './ui';
import { connectionSteps } from './connectionSteps';
import { sshSteps } from './sshSteps';
import { memcachedBrowserSteps } from './memcachedBrowse';
import { redisBrowserSteps } from './redisBrowse';
import { redisPubSubSteps } from './redisPubSub';
import { redisMillionKeysSteps } from './redisMillionKeys';
import { rabbitMqPublishSteps } from './rabbitMqPublish';
import { sqlEditorSteps } from './sqlEditor';
import { sqlMillionRowsSteps } from './sqlMillionRows';
import { hostileContentStep } from './hostileContent';
import { panelRestoreSteps, sqlRestoreSteps } from './panelRestore';
import { messagesKeptSteps } from './messagesKept';
import { diagramStep } from './diagramStep';
import { sftpSafetySteps } from './sftpSafety';
import { redisMembersStep } from './redisMembers';
import { redisDecodersStep } from './redisDecoders';
import { walkthroughDoneStep, walkthroughOpenedStep } from './walkthrough';
import { redisServerPanelSteps } from './redisServerPanels';
import { redisStreamsStep } from './redisStreams';
import { rabbitMqPanelSteps } from './rabbitMqPanelSteps';
import { memcachedPanelSteps } from './memcachedPanelSteps';
import { memcachedDecodersStep } from './memcachedDecoders';
import { keyboardSteps } from './keyboardSteps';
import { tableDataSteps } from './tableData';
import { redisConsoleStep } from './redisConsole';
import { mysqlServerViewsStep, serverVariablesRestoreStep } from './mysqlServerViews';
import { mysqlAccountsStep } from './mysqlAccounts';
import { redisBrowserKeySteps } from './redisBrowserKeys';
import { ormResultsStep } from './ormResults';

export type { UiStep };

export function uiSteps(env: Record<string, string>): UiStep[] {
  const need = (key: string): string => {
    const value = env[key];
    if (!value) throw new Error(`${key} is not set`);
    return value;
  };
  return [
    walkthroughOpenedStep,
    ...connectionSteps(need),
    ...sshSteps(need),
    ...sftpSafetySteps(need),
    ...memcachedBrowserSteps(need),
    ...memcachedPanelSteps(need),
    memcachedDecodersStep(need),
    ...redisBrowserSteps(need),
    ...redisBrowserKeySteps(need),
    redisMembersStep(need),
    redisDecodersStep(need),
    redisStreamsStep(need),
    ...redisPubSubSteps(need),
    ...panelRestoreSteps(need),
    ...keyboardSteps(need),
    redisConsoleStep(need),
    ...redisMillionKeysSteps(need),
    ...rabbitMqPublishSteps(need),
    ...rabbitMqPanelSteps(need),
    ...sqlEditorSteps(need),
    ormResultsStep,
    ...sqlRestoreSteps(need),
    diagramStep,
    ...tableDataSteps(need),
    ...sqlMillionRowsSteps(need),
    mysqlServerViewsStep(need),
    serverVariablesRestoreStep(need),
    hostileContentStep(need),
    ...messagesKeptSteps(need),
    ...redisServerPanelSteps(need),
    // Last of the MariaDB work: it folds the tree (Collapse All), which the steps before it do not expect.
    mysqlAccountsStep(need),
    walkthroughDoneStep,
  ];
}
