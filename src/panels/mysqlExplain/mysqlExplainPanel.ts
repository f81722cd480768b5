import * as vscode from 'vscode';
import { MySqlProfile } from '../../drivers/types';
import type { ExplainMode, MySqlSession } from '../../drivers/mysql';
import { DriverError } from '../../drivers/errors';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { describeError } from '../../core/errorWords';
import { PanelView } from '../panelView';
import { explainProtocol, ExplainState } from './protocol';
import { Questions } from '../ipc/questions';
import type { Question } from '../ipc/question';

export interface ExplainTarget {
  readonly profile: MySqlProfile;
  readonly database?: string;
  readonly statement: string;
  /** What the gate says of the statement (see explain.ts). */
  readonly reads: boolean;
  readonly reason?: string;
  readonly analyzable: boolean;
  readonly analyzeReason?: string;
  readonly mariadb: boolean;
}

/**
 * What the EXPLAIN panel needs of a statement on a connection: the driver's verdict on it (read, analyzable, why
 * not). Throws, naming why, when the statement cannot be explained at all.
 */
export async function explainTarget(session: MySqlSession, profile: MySqlProfile, database: string | undefined, statement: string): Promise<ExplainTarget> {
  const verdict = await session.explainVerdict(statement);
  if (!verdict.explainable) throw new DriverError('config', vscode.l10n.t('Cannot explain this statement: {0}.', verdict.reason ?? ''));
  return {
    profile, statement, reads: verdict.reads, mariadb: verdict.mariadb, analyzable: verdict.analyzable,
    ...(database ? { database } : {}), ...(verdict.reason ? { reason: verdict.reason } : {}), ...(verdict.analyzeReason ? { analyzeReason: verdict.analyzeReason } : {}),
  };
}

/** The plan of one statement as a tree of steps, EXPLAIN first, ANALYZE when the user asks (asked in the panel for a write). */
export class MySqlExplainPanel extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private state: ExplainState;
  private readonly view: PanelView<typeof explainProtocol>;
  private readonly questions = new Questions();

  /** `askAnalyze`: the panel asks whether to ANALYZE the (writing) statement as soon as it shows. */
  constructor(extensionUri: vscode.Uri, log: Log, private readonly target: ExplainTarget, private readonly sessions: SessionManager, private askAnalyze = false) {
    super();
    const { profile } = target;
    this.state = {
      statement: target.statement, ...(target.database ? { database: target.database } : {}), mode: 'explain', reads: target.reads,
      ...(target.reason ? { reason: target.reason } : {}), analyzable: target.analyzable, ...(target.analyzeReason ? { analyzeReason: target.analyzeReason } : {}),
      rolledBack: false, running: false, readAt: 0,
    };
    const title = vscode.l10n.t('{0}: EXPLAIN', profile.name);
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.mysqlExplain', entry: 'mysqlExplain', title, icon: 'type-hierarchy' }, explainProtocol, {
      ready: async () => {
        // Asked once: a panel shown again after being hidden does not ask again.
        const askAnalyze = this.askAnalyze;
        this.askAnalyze = false;
        return { name: profile.name, readOnly: profile.readOnly, mariadb: target.mariadb, state: this.state, askAnalyze };
      },
      requests: {
        explain: async () => {
          await this.run('explain', false);
          return {};
        },
        analyze: async ({ confirmed }) => {
          if (target.reads) {
            await this.run('analyze', false);
            return {};
          }
          if (confirmed === undefined) return { ask: this.analyzeQuestion() };
          this.questions.agreed(['analyze'], confirmed);
          await this.run('analyze', true);
          return {};
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
  }

  /** The question before ANALYZE runs a writing statement; refused before anything is asked when it may not run. */
  private analyzeQuestion(): Question {
    const { profile, statement, reason } = this.target;
    if (profile.readOnly) throw new DriverError('readOnly', vscode.l10n.t('ANALYZE refused: "{0}" is a read-only connection, and {1}.', profile.name, reason ?? ''));
    if (!this.target.analyzable) throw new DriverError('config', vscode.l10n.t('ANALYZE refused: it runs the statement, and {0}. EXPLAIN shows its plan without running it.', this.target.analyzeReason ?? ''));
    return this.questions.ask(['analyze'], {
      message: vscode.l10n.t('Run this writing statement on {0} to analyze it?', profile.name),
      items: [statement],
      detail: vscode.l10n.t('ANALYZE executes the statement ({0}). It runs in a transaction that is rolled back afterwards, but tables that are not transactional (MyISAM, Aria) keep what it changed, and triggers and locks act as for a real run.', reason ?? ''),
      action: vscode.l10n.t('Run ANALYZE'),
    }, undefined);
  }

  /** Reads the plan again in `mode`; the panel shows the outcome (a refusal too). */
  async run(mode: ExplainMode, writeConfirmed: boolean): Promise<ExplainState> {
    this.state = { ...this.state, mode, running: true };
    this.view.notify('state', this.state);
    const { error: _previous, plan: _plan, sent: _sent, raw: _raw, ...rest } = this.state;
    try {
      const session = await this.sessions.session(this.target.profile);
      const result = await session.explain(this.target.statement, this.target.database, mode, writeConfirmed);
      this.state = { ...rest, plan: result.plan, sent: result.sent, raw: result.raw, rolledBack: result.rolledBack, running: false, readAt: Date.now() };
    } catch (error) {
      this.state = { ...rest, running: false, rolledBack: false, readAt: Date.now(), error: describeError(error) };
    }
    this.view.notify('state', this.state);
    return this.state;
  }
}
