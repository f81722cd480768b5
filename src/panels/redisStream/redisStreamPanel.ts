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
import { ackQuestion, autoClaimQuestion, claimQuestion, createQuestion, destroyQuestion, trimQuestion, Words } from './streamQuestions';
import type { Question } from '../ipc/question';
import { Questions } from '../ipc/questions';
import type { TrimPlan } from '../../drivers/redis/streamShapes';
import { OpenPanels } from '../openPanels';

/** Pending entries per page. */
const PAGE_SIZE = 100;

/**
 * The consumer groups of one stream key: groups, consumers, pending entries a page at a time, and the changes —
 * create and destroy groups, acknowledge, claim for another consumer, trim. Each change is asked about first in the
 * panel, in words built here from what the server holds, done only with that question's ticket, and refused inside the
 * driver on a read-only connection.
 */
export class RedisStreamPanel extends Disposable {
  private static readonly open = new OpenPanels<RedisStreamPanel>();
  readonly panel: vscode.WebviewPanel;
  private readonly questions = new Questions();
  /** A trim's question keeps the plan it described: the trim removes exactly what was counted. */
  private readonly trims = new Questions<TrimPlan>();

  static show(extensionUri: vscode.Uri, log: Log, profile: RedisProfile, db: number, key: KeyRef, sessions: SessionManager): RedisStreamPanel {
    const id = JSON.stringify([profile.id, db, key.base64 ?? key.text]);
    return RedisStreamPanel.open.show(id, () => new RedisStreamPanel(extensionUri, log, profile, db, key, sessions));
  }

  private constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: RedisProfile, private readonly db: number, private readonly key: KeyRef, private readonly sessions: SessionManager) {
    super();
    const where = key.text;
    const view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.redisStream', entry: 'redisStream', title: vscode.l10n.t('{0}: {1} (stream)', profile.name, key.text), icon: 'list-ordered' }, streamProtocol, {
      ready: async () => ({ name: profile.name, db, key: key.text, readOnly: profile.readOnly, pageSize: PAGE_SIZE }),
      requests: {
        overview: async () => (await this.stream()).overview(),
        consumers: async ({ group }) => ({ consumers: await (await this.stream()).consumers(group) }),
        pending: async ({ group, after, consumer, minIdleMs }) => (await this.stream()).pending(group, {
          limit: PAGE_SIZE, ...(after !== undefined ? { after } : {}), ...(consumer ? { consumer } : {}), ...(minIdleMs !== undefined ? { minIdleMs } : {}),
        }),
        createGroup: async ({ group, start, mkstream, confirmed }) =>
          this.askFirst(['createGroup', group, start, mkstream], confirmed, () => createQuestion(where, group, start, mkstream), async () => {
            await (await this.stream()).createGroup(group, start, mkstream);
            return {};
          }),
        destroyGroup: async ({ group, confirmed }) =>
          this.askFirst(['destroyGroup', group.base64], confirmed, async () => {
            // The question names what goes as the server holds it now, not as the panel last showed it.
            const current = (await (await this.stream()).overview()).groups.find((g) => g.name.base64 === group.base64);
            if (!current) throw new DriverError('conflict', vscode.l10n.t('Stream "{0}" has no such consumer group any more: nothing was changed.', where), { worded: vscode.l10n.t('Refresh the groups.') });
            return destroyQuestion(where, current);
          }, async () => ({ destroyed: await (await this.stream()).destroyGroup(group) })),
        ack: async ({ group, ids, confirmed }) =>
          this.askFirst(['ack', group.base64, ids], confirmed, () => ackQuestion(where, group, ids), async () => ({ acked: await (await this.stream()).ack(group, ids) })),
        claim: async ({ group, consumer, minIdleMs, ids, confirmed }) =>
          this.askFirst(['claim', group.base64, consumer.base64, minIdleMs, ids], confirmed, () => claimQuestion(where, group, consumer, minIdleMs, ids), async () => (await this.stream()).claim(group, consumer, minIdleMs, ids)),
        autoClaim: async ({ group, consumer, minIdleMs, count, confirmed }) =>
          this.askFirst(['autoClaim', group.base64, consumer.base64, minIdleMs, count], confirmed, () => autoClaimQuestion(where, group, consumer, minIdleMs, count), async () => (await this.stream()).autoClaim(group, consumer, minIdleMs, count)),
        trim: async ({ rule, confirmed }) => {
          const stream = await this.stream();
          const request = ['trim', rule];
          if (confirmed !== undefined) {
            const plan = this.trims.agreed(request, confirmed);
            return { removed: await stream.trim(plan), planned: plan.remove };
          }
          const plan = await withCancellableProgress(vscode.l10n.t('Counting what trimming {0} removes', where), (report, signal) => stream.planTrim(rule, {
            signal, onProgress: (counted) => report(counted === 1 ? vscode.l10n.t('{0} entry', counted.toLocaleString('en-US')) : vscode.l10n.t('{0} entries', counted.toLocaleString('en-US'))),
          }));
          if (!plan) return { cancelled: true };
          if (plan.remove === 0) return { removed: 0, planned: 0 };
          return { ask: this.trims.ask(request, trimQuestion(where, plan), plan) };
        },
      },
      commands: {},
    }));
    this.panel = view.panel;
  }

  /** Without a ticket, the question the change asks first; with the ticket of that very question, the change. */
  private async askFirst<R extends object>(request: unknown, confirmed: string | undefined, words: () => Words | Promise<Words>, change: () => Promise<R>): Promise<R | { ask: Question }> {
    if (confirmed === undefined) return { ask: this.questions.ask(request, await words(), undefined) };
    this.questions.agreed(request, confirmed);
    return change();
  }

  private async stream(): Promise<StreamGroups> {
    return (await this.sessions.session(this.profile)).stream(this.db, this.key);
  }
}
