import * as vscode from 'vscode';
import type { StreamGroups } from '../../drivers/redis/streamGroups';
import type { KeyRef } from '../../drivers/redis/shapes';
import { RedisProfile } from '../../drivers/types';
import { DriverError } from '../../drivers/errors';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { withCancellableProgress } from '../../core/progress';
import { PanelView } from '../panelView';
import { streamProtocol } from './protocol';
import { ackQuestion, autoClaimQuestion, claimQuestion, createQuestion, destroyQuestion, Question, trimQuestion } from './streamQuestions';

/** Pending entries per page. */
const PAGE_SIZE = 100;

/** Asks a question as a modal warning; true only when the user pressed its button. */
async function agreed(question: Question): Promise<boolean> {
  return (await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, question.agree)) === question.agree;
}

/**
 * The consumer groups of one stream key: groups, consumers, pending entries a page at a time, and the changes —
 * create and destroy groups, acknowledge, claim for another consumer, trim. Each change is asked about first, in
 * words built here from what the server holds, and refused inside the driver on a read-only connection.
 */
export class RedisStreamPanel extends Disposable {
  private static readonly open = new Map<string, RedisStreamPanel>();
  readonly panel: vscode.WebviewPanel;

  static show(extensionUri: vscode.Uri, log: Log, profile: RedisProfile, db: number, key: KeyRef, sessions: SessionManager): RedisStreamPanel {
    const id = JSON.stringify([profile.id, db, key.base64 ?? key.text]);
    const existing = RedisStreamPanel.open.get(id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const created = new RedisStreamPanel(extensionUri, log, profile, db, key, sessions);
    RedisStreamPanel.open.set(id, created);
    created.register({ dispose: () => RedisStreamPanel.open.delete(id) });
    return created;
  }

  private constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly db: number, private readonly key: KeyRef, private readonly sessions: SessionManager) {
    super();
    const where = key.text;
    const view = this.register(new PanelView(extensionUri, log, { viewType: 'switchboard.redisStream', entry: 'redisStream', title: `${profile.name}: ${key.text} (stream)`, icon: 'list-ordered' }, streamProtocol, {
      ready: async () => ({ name: profile.name, db, key: key.text, readOnly: profile.readOnly, pageSize: PAGE_SIZE }),
      requests: {
        overview: async () => (await this.stream()).overview(),
        consumers: async ({ group }) => ({ consumers: await (await this.stream()).consumers(group) }),
        pending: async ({ group, after, consumer, minIdleMs }) => (await this.stream()).pending(group, {
          limit: PAGE_SIZE, ...(after !== undefined ? { after } : {}), ...(consumer ? { consumer } : {}), ...(minIdleMs !== undefined ? { minIdleMs } : {}),
        }),
        createGroup: async ({ group, start, mkstream }) => {
          if (!(await agreed(createQuestion(where, group, start, mkstream)))) return { cancelled: true };
          await (await this.stream()).createGroup(group, start, mkstream);
          return {};
        },
        destroyGroup: async ({ group }) => {
          const stream = await this.stream();
          // The question names what goes as the server holds it now, not as the panel last showed it.
          const current = (await stream.overview()).groups.find((g) => g.name.base64 === group.base64);
          if (!current) throw new DriverError('conflict', `Stream "${where}" has no such consumer group any more: nothing was changed.`, 'Refresh the groups.');
          if (!(await agreed(destroyQuestion(where, current)))) return { cancelled: true };
          return { destroyed: await stream.destroyGroup(group) };
        },
        ack: async ({ group, ids }) => {
          if (!(await agreed(ackQuestion(where, group, ids)))) return { cancelled: true };
          return { acked: await (await this.stream()).ack(group, ids) };
        },
        claim: async ({ group, consumer, minIdleMs, ids }) => {
          if (!(await agreed(claimQuestion(where, group, consumer, minIdleMs, ids)))) return { cancelled: true };
          return (await this.stream()).claim(group, consumer, minIdleMs, ids);
        },
        autoClaim: async ({ group, consumer, minIdleMs, count }) => {
          if (!(await agreed(autoClaimQuestion(where, group, consumer, minIdleMs, count)))) return { cancelled: true };
          return (await this.stream()).autoClaim(group, consumer, minIdleMs, count);
        },
        trim: async ({ rule }) => {
          const stream = await this.stream();
          const plan = await withCancellableProgress(`Counting what trimming ${where} removes`, (report, signal) => stream.planTrim(rule, { signal, onProgress: (counted) => report(`${counted.toLocaleString('en-US')} entries`) }));
          if (!plan) return { cancelled: true };
          if (plan.remove === 0) return { removed: 0, planned: 0 };
          if (!(await agreed(trimQuestion(where, plan)))) return { cancelled: true };
          return { removed: await stream.trim(plan), planned: plan.remove };
        },
      },
      commands: {},
    }));
    this.panel = view.panel;
    this.register(this.panel.onDidDispose(() => this.dispose()));
  }

  private async stream(): Promise<StreamGroups> {
    return (await this.sessions.session(this.profile)).stream(this.db, this.key);
  }
}
