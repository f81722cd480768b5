import './main.css';
import * as l10n from '@vscode/l10n';
import '../shared/l10n';
import type { PlanStep } from '../../src/drivers/mysql/explainPlan';
import { explainProtocol, ExplainState } from '../../src/panels/mysqlExplain/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import { askedFirst } from '../shared/confirm';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';

const app = document.getElementById('app')!;
let init: Init<typeof explainProtocol> | undefined;

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
const questions = el('div');
const statement = el('pre', { className: 'statement' });
const explain = button(l10n.t('Explain Again'), { secondary: true });
const analyze = button(l10n.t('Analyze (runs the statement)…'), { secondary: true });
const plan = el('div', { className: 'plan', attrs: { role: 'tree', 'aria-label': l10n.t('Query plan') } });
const raw = el('pre', { className: 'raw' });
const rawBox = el('details', {}, el('summary', { text: l10n.t('Server output') }), raw);

const number = (n: number): string => n.toLocaleString(undefined, { maximumFractionDigits: 2 });

/** The figures of a step in one line: access type, key, estimated and measured rows, filtered, time. */
function figures(step: PlanStep): string {
  const parts: string[] = [];
  if (step.key) parts.push(l10n.t('key {0}', step.key));
  else if (step.possibleKeys?.length) parts.push(l10n.t('no key used (possible: {0})', step.possibleKeys.join(', ')));
  if (step.rows !== undefined) parts.push(l10n.t('rows {0}', number(step.rows)));
  if (step.filtered !== undefined) parts.push(l10n.t('filtered {0}%', number(step.filtered)));
  if (step.actualRows !== undefined) parts.push(l10n.t('actual rows {0}', number(step.actualRows)));
  if (step.actualFiltered !== undefined) parts.push(l10n.t('actual filtered {0}%', number(step.actualFiltered)));
  if (step.loops !== undefined) parts.push(l10n.t('loops {0}', number(step.loops)));
  if (step.actualMs !== undefined) parts.push(l10n.t('{0} ms', number(step.actualMs)));
  if (step.cost !== undefined) parts.push(l10n.t('cost {0}', number(step.cost)));
  return parts.join(' · ');
}

function stepLine(step: PlanStep): HTMLElement {
  const line = el('span', { className: 'step' }, el('span', { className: 'step-label', text: step.label }));
  if (step.access) line.append(el('span', { className: 'badge', text: step.access, attrs: { title: l10n.t('access type') } }));
  const text = figures(step);
  if (text) line.append(el('span', { className: 'figures', text }));
  if (step.costly.length) {
    line.classList.add('costly-step');
    line.append(el('span', { className: 'costly', attrs: { title: l10n.t('Costly step') } }, el('span', { className: 'codicon codicon-warning', attrs: { 'aria-hidden': 'true' } }), el('span', { text: ` ${step.costly.join('; ')}` })));
  }
  return line;
}

function stepNode(step: PlanStep): HTMLElement {
  const notes = step.notes.length ? el('ul', { className: 'notes' }, ...step.notes.map((n) => el('li', { text: n }))) : undefined;
  const label = `${step.label}${step.costly.length ? ` (${l10n.t('costly')}: ${step.costly.join('; ')})` : ''}`;
  if (!step.children.length) return el('div', { className: 'leaf', attrs: { role: 'treeitem', 'aria-label': label } }, stepLine(step), notes);
  const node = el('details', { attrs: { open: '', role: 'treeitem', 'aria-label': label } }, el('summary', {}, stepLine(step)), notes);
  node.append(el('div', { attrs: { role: 'group' } }, ...step.children.map(stepNode)));
  return node;
}

function show(state: ExplainState): void {
  statement.textContent = state.statement;
  const what = state.mode === 'analyze' ? 'ANALYZE' : 'EXPLAIN';
  status.textContent = state.running ? l10n.t('Running {0}…', what)
    : state.readAt ? `${what}${state.rolledBack ? ` · ${l10n.t('ran in a transaction that was rolled back')}` : ''} · ${l10n.t('read at {0}', new Date(state.readAt).toLocaleTimeString())}` : '';
  problem.textContent = state.error ?? '';
  plan.replaceChildren(...(state.plan ? [stepNode(state.plan)] : []));
  raw.textContent = state.raw ?? '';
  rawBox.hidden = !state.raw;
  explain.disabled = state.running;
  analyze.disabled = state.running || (init?.readOnly === true && !state.reads) || !state.analyzable;
  if (init?.readOnly && !state.reads) analyze.title = l10n.t('This connection is read-only: ANALYZE runs the statement, and only reads may run here.');
  else if (!state.analyzable) analyze.title = l10n.t('ANALYZE runs the statement, and {0}. EXPLAIN shows its plan without running it.', state.analyzeReason ?? '');
}

function ask(run: () => Promise<unknown>): void {
  problem.textContent = '';
  void run().catch((error: unknown) => (problem.textContent = problemText(error)));
}

const client = new PanelClient(explainProtocol, vscodeTransport(), { state: show });

/** ANALYZE: a read runs at once; for a write the host's question is asked here first (Cancel focused). */
function runAnalyze(): Promise<unknown> {
  return askedFirst(questions, (ticket) => client.request('analyze', ticket));
}

function render(first: Init<typeof explainProtocol>): void {
  init = first;
  explain.addEventListener('click', () => ask(() => client.request('explain', {})));
  analyze.addEventListener('click', () => ask(runAnalyze));
  app.replaceChildren(
    el('header', {}, el('h1', { text: l10n.t('{0}: plan', first.name) }), status),
    statement,
    el('div', { className: 'toolbar' }, explain, analyze, el('span', { className: 'help', text: first.mariadb ? 'ANALYZE FORMAT=JSON' : 'EXPLAIN ANALYZE' })),
    questions,
    problem,
    plan,
    rawBox,
  );
  show(first.state);
  if (first.askAnalyze) ask(runAnalyze);
}

void client.ready().then(render, (error: unknown) => notOpened(app, error));
