import * as vscode from 'vscode';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RedisProfile } from '../../drivers/types';
import { messageOf } from '../../drivers/errors';
import { globLiteral } from '../../drivers/redis/keys';
import { DEFAULT_LIMITS } from '../../drivers/redis/memoryReport';
import type { MemoryReport } from '../../drivers/redis/memoryShapes';
import { config } from '../../core/config';
import { Disposable, toDisposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { PauseGate } from '../../core/pauseGate';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { AnalysisState, memoryProtocol } from './protocol';
import { OpenPanels } from '../openPanels';

/** How often a running pass tells the webview how far it has come (the report is rebuilt for each). */
const UPDATE_MS = 400;
/** A step of the pass that takes longer than this has stalled: the pass stops with an error naming the server. */
const STEP_TIMEOUT_MS = 60_000;

/**
 * Where the memory of a database goes: one streamed pass, its report drawn as it grows. The host runs the pass and
 * keeps the report, so a hidden panel comes back showing it, including what was added meanwhile.
 */
export class RedisMemoryPanel extends Disposable {
  private static readonly open = new OpenPanels<RedisMemoryPanel>();
  readonly panel: vscode.WebviewPanel;
  private readonly view: PanelView<typeof memoryProtocol>;
  private state: AnalysisState = { status: 'idle', seen: 0, total: 0, elapsedMs: 0, sampleRate: 1 };
  private running: AbortController | undefined;
  private readonly gate = new PauseGate();
  private readonly delimiter = config.redisKeyDelimiter();

  static show(extensionUri: vscode.Uri, log: Log, profile: RedisProfile, db: number, sessions: SessionManager): RedisMemoryPanel {
    const id = `${profile.id}/${db}`;
    return RedisMemoryPanel.open.show(id, () => new RedisMemoryPanel(extensionUri, log, profile, db, sessions));
  }

  private constructor(extensionUri: vscode.Uri, private readonly log: Log, private readonly profile: RedisProfile, private readonly db: number, private readonly sessions: SessionManager) {
    super();
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.redisMemory', entry: 'redisMemory', title: vscode.l10n.t('{0}: db{1} memory', profile.name, String(db)), icon: 'pie-chart' }, memoryProtocol, {
      ready: async () => ({ name: profile.name, db, delimiter: this.delimiter, cluster: profile.cluster === true, state: this.state }),
      requests: {
        start: async ({ sampleRate }) => {
          this.start(sampleRate);
          return {};
        },
        pause: async () => {
          if (this.state.status === 'running') this.gate.pause();
          this.update({ status: this.gate.paused ? 'paused' : this.state.status });
          return {};
        },
        resume: async () => {
          this.gate.resume();
          if (this.state.status === 'paused') this.update({ status: 'running' });
          return {};
        },
        cancel: async () => {
          this.stop();
          return {};
        },
        export: async ({ format }) => this.export(format),
        browse: async (target) => {
          const pattern = target.kind === 'key' ? globLiteral(target.key) : target.prefix ? `${globLiteral(target.prefix)}*` : '*';
          await vscode.commands.executeCommand('switchboard.redis.browseKeys', profile.id, db, pattern);
          return {};
        },
      },
      commands: {},
    }));
    this.panel = this.view.panel;
    this.register(toDisposable(() => this.stop()));
  }

  private update(change: Partial<AnalysisState>): void {
    this.state = { ...this.state, ...change };
    this.view.notify('state', this.state);
  }

  private stop(): void {
    this.running?.abort();
    this.gate.resume();
  }

  private start(sampleRate: number): void {
    this.stop();
    const controller = new AbortController();
    this.running = controller;
    const started = Date.now();
    let lastUpdate = 0;
    this.state = { status: 'running', seen: 0, total: 0, elapsedMs: 0, sampleRate };
    this.update({});
    const mine = (): boolean => this.running === controller;
    void (async () => {
      try {
        const session = await this.sessions.session(this.profile);
        const report = await session.analyzeMemory(this.db, {
          limits: { ...DEFAULT_LIMITS, delimiter: this.delimiter },
          sampleRate,
          signal: controller.signal,
          gate: this.gate.wait,
          batchTimeoutMs: STEP_TIMEOUT_MS,
          onProgress: ({ seen, total }, build) => {
            if (!mine() || Date.now() - lastUpdate < UPDATE_MS) return;
            lastUpdate = Date.now();
            this.update({ seen, total, elapsedMs: Date.now() - started, report: build(), status: this.gate.paused ? 'paused' : 'running' });
          },
        });
        if (mine()) this.finish(report, controller.signal.aborted ? 'cancelled' : 'done', started);
      } catch (error) {
        if (!mine()) return;
        this.log.channel.warn(`${this.profile.name}: memory analysis of db${this.db} failed: ${messageOf(error)}`);
        this.update({ status: 'failed', error: messageOf(error), elapsedMs: Date.now() - started });
      }
    })();
  }

  private finish(report: MemoryReport, status: 'done' | 'cancelled', started: number): void {
    this.running = undefined;
    this.update({ status, report, seen: report.seen, total: report.total, elapsedMs: Date.now() - started });
  }

  private async export(format: 'json' | 'csv'): Promise<{ path?: string }> {
    const report = this.state.report;
    if (!report) throw new Error(vscode.l10n.t('There is no report to export yet: start the analysis first.'));
    const file = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(homedir(), `${this.profile.name.replace(/[^\w.-]+/g, '_')}-db${this.db}-memory.${format}`)),
      filters: format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
      saveLabel: 'Export',
    });
    if (!file) return {};
    const session = await this.sessions.session(this.profile);
    const text = session.memoryReportFile(report, format, { connection: this.profile.name, db: this.db, takenAt: new Date().toISOString(), delimiter: this.delimiter });
    await writeFile(file.fsPath, text, 'utf8');
    return { path: file.fsPath };
  }
}
