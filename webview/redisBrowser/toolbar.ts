import * as l10n from '@vscode/l10n';
import { browserProtocol, KEY_TYPES, ScanState, View } from '../../src/panels/redisBrowser/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { button, el } from '../shared/dom';
import { showProblem } from '../shared/problem';
import { problemOf } from '../shared/problemOf';
import { countOf } from '../shared/viewFormat';
import { submitOnEnter } from '../shared/submitOnEnter';

/** Shows on the problem line what failed (`what`) and why: a rejection handler, `.catch(failed(what))`. */
export type Failed = (what: string) => (error: unknown) => void;

type Groups = Init<typeof browserProtocol>['groups'];
type KeyType = (typeof KEY_TYPES)[number];

/** What the toolbars' controls ask for. */
export interface ToolbarActions {
  /** Scan, or Enter in the pattern. */
  scan(): void;
  /** Pause, or Resume when paused. */
  pause(): void;
  /** Cancel (the button is disabled at once). */
  cancel(): void;
  /** The pattern was typed in. */
  patternEdited(): void;
  /** Another key type was chosen. */
  typeChosen(): void;
  /** The list or the tree, whole or one prefix group. */
  show(view: View): void;
  newKey(): void;
  deleteSelected(): void;
  deleteMatching(): void;
}

/** What the status line and the buttons say. */
export interface Shown {
  readonly scan: ScanState;
  readonly view: View;
  readonly lines: number;
  readonly readOnly: boolean;
  /** Keys (not only folders) are selected. */
  readonly keysSelected: boolean;
}

const RUNNING = new Set<ScanState['phase']>(['starting', 'scanning', 'paused', 'cancelling']);

/**
 * The key browser's header and toolbars: the scan's status line and progress, its pattern, type and buttons, the
 * view and group pickers with the actions on keys, and the line under them for what failed.
 */
export class Toolbar {
  private readonly status = el('span', { className: 'status', attrs: { role: 'status' } });
  private readonly progress = el('progress', { attrs: { max: '1', value: '0', 'aria-label': l10n.t('Scan progress') } });
  private readonly problem = el('div', { className: 'problem', attrs: { role: 'alert' } });
  private readonly match = el('input', { attrs: { type: 'search', placeholder: l10n.t('Pattern, e.g. user:*'), title: l10n.t('SCAN MATCH pattern; a name without * ? [ is looked up directly'), 'aria-label': l10n.t('Key pattern'), spellcheck: 'false' } });
  private readonly typeSelect = el('select', { attrs: { 'aria-label': l10n.t('Key type') } }, ...KEY_TYPES.map((t) => el('option', { text: t || l10n.t('all types'), attrs: { value: t } })));
  private readonly scanButton = button(l10n.t('Scan'));
  private readonly pauseButton = button(l10n.t('Pause'), { secondary: true });
  private readonly cancelButton = button(l10n.t('Cancel'), { secondary: true });
  private readonly viewSelect = el('select', { attrs: { 'aria-label': l10n.t('Show keys as') } }, el('option', { text: l10n.t('List'), attrs: { value: 'list' } }), el('option', { text: l10n.t('Tree'), attrs: { value: 'tree' } }));
  private readonly groupSelect = el('select', { attrs: { 'aria-label': l10n.t('Group by prefix') } });
  private readonly newKeyButton = button(l10n.t('New Key'), { secondary: true });
  private readonly removeButton = button(l10n.t('Delete Selected'), { secondary: true });
  private readonly deleteMatchingButton = button(l10n.t('Delete Matching…'), { secondary: true, title: l10n.t('Delete every key matching the pattern, after a count and a confirmation') });

  readonly failed: Failed = (what) => (error) => showProblem(this.problem, what, problemOf(error));

  constructor(actions: ToolbarActions) {
    this.scanButton.addEventListener('click', () => actions.scan());
    submitOnEnter(this.match, () => actions.scan());
    this.match.addEventListener('input', () => actions.patternEdited());
    this.typeSelect.addEventListener('change', () => actions.typeChosen());
    this.pauseButton.addEventListener('click', () => actions.pause());
    this.cancelButton.addEventListener('click', () => {
      this.cancelButton.disabled = true;
      actions.cancel();
    });
    this.viewSelect.addEventListener('change', () => actions.show({ mode: this.viewSelect.value === 'tree' ? 'tree' : 'list', group: null }));
    this.groupSelect.addEventListener('change', () => actions.show({ mode: 'list', group: this.groupSelect.value === '' ? null : Number(this.groupSelect.value) }));
    this.newKeyButton.addEventListener('click', () => actions.newKey());
    this.removeButton.addEventListener('click', () => actions.deleteSelected());
    this.deleteMatchingButton.addEventListener('click', () => actions.deleteMatching());
  }

  /** The header titled `title`, the scan's toolbar, the keys' toolbar and the problem line, in this order. */
  parts(title: string): HTMLElement[] {
    return [
      el('header', {}, el('h1', { text: title }), this.status, this.progress),
      el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': l10n.t('Scan') } }, this.match, this.typeSelect, this.scanButton, this.pauseButton, this.cancelButton),
      el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': l10n.t('Keys') } }, this.viewSelect, this.groupSelect, el('span', { className: 'spacer' }), this.newKeyButton, this.removeButton, this.deleteMatchingButton),
      this.problem,
    ];
  }

  /** The pattern as typed. */
  get pattern(): string {
    return this.match.value;
  }

  get keyType(): KeyType {
    return KEY_TYPES.find((t) => t === this.typeSelect.value) ?? '';
  }

  /** Puts a scan's filter in the pattern and type boxes. */
  showFilter(match: string, keyType: string): void {
    this.match.value = match;
    this.typeSelect.value = keyType;
  }

  /** The view the panel opened with, and the delimiter its prefix groups are made by. */
  showView(mode: View['mode'], delimiter: string): void {
    this.viewSelect.value = mode;
    this.groupSelect.setAttribute('aria-label', l10n.t('Group by prefix ({0})', delimiter));
  }

  /** The prefix groups to pick from, of `keys` keys in all, with `chosen` picked (null: all). */
  showGroups(groups: Groups, keys: number, chosen: number | null): void {
    this.groupSelect.replaceChildren(
      el('option', { text: l10n.t('All ({0})', keys.toLocaleString()), attrs: { value: '' } }),
      ...groups.map((g) => el('option', { text: g.folder === 0 ? l10n.t('(no prefix) ({0})', g.count.toLocaleString()) : `${g.name}* (${g.count.toLocaleString()})`, attrs: { value: String(g.folder) } })),
    );
    this.groupSelect.value = chosen === null ? '' : String(chosen);
  }

  /** Delete Selected acts on keys only, and never on a read-only connection. */
  showSelection(readOnly: boolean, keysSelected: boolean): void {
    this.removeButton.disabled = readOnly || !keysSelected;
  }

  /** The status line, the progress bar and the buttons as the scan stands. */
  update({ scan, view, lines, readOnly, keysSelected }: Shown): void {
    const running = RUNNING.has(scan.phase);
    const scanned = scan.scanned.toLocaleString();
    const where = !running ? '' : scan.phase === 'paused' ? l10n.t('scanned ~{0} of {1} (paused)', scanned, scan.total.toLocaleString()) : l10n.t('scanned ~{0} of {1}', scanned, scan.total.toLocaleString());
    const seconds = l10n.t('{0} s', (scan.elapsedMs / 1000).toFixed(1));
    const outcome = scan.phase === 'done' ? l10n.t('done in {0}', seconds) : scan.phase === 'cancelled' ? l10n.t('cancelled after {0}', seconds) : scan.phase === 'failed' ? l10n.t('scan failed') : scan.phase === 'cancelling' ? l10n.t('cancelling') : '';
    const shown = view.mode === 'list' && view.group !== null ? countOf(scan.keys, l10n.t('{1} of {0} key'), l10n.t('{1} of {0} keys'), lines.toLocaleString()) : countOf(scan.keys, l10n.t('{0} key'), l10n.t('{0} keys'));
    this.status.textContent = [shown, where, outcome, scan.capped ? l10n.t('the tree stopped making folders at 200,000') : ''].filter(Boolean).join(' · ');
    // Only controls that can still act are enabled: a scan that failed or ended cannot be paused or cancelled.
    this.pauseButton.textContent = scan.phase === 'paused' ? l10n.t('Resume') : l10n.t('Pause');
    this.pauseButton.disabled = scan.phase !== 'scanning' && scan.phase !== 'paused';
    this.cancelButton.disabled = !['starting', 'scanning', 'paused'].includes(scan.phase);
    this.newKeyButton.disabled = readOnly;
    this.showSelection(readOnly, keysSelected);
    this.deleteMatchingButton.disabled = readOnly || running || !/[*?[]/.test(this.match.value);
    this.groupSelect.hidden = view.mode === 'tree';
    this.progress.value = scan.total ? Math.min(1, scan.scanned / scan.total) : 0;
    this.progress.hidden = !running;
    if (scan.error) showProblem(this.problem, l10n.t('The scan failed'), scan.error);
    else if (this.problem.dataset['from'] === 'scan') this.problem.replaceChildren();
    this.problem.dataset['from'] = scan.error ? 'scan' : '';
  }

  /** Adds what was just done to the status line (until the scan's next state rewrites it). */
  addToStatus(text: string): void {
    this.status.textContent = `${this.status.textContent ?? ''} · ${text}`;
  }

  /** A scan was asked for: the problem line is cleared and Scan waits for the answer. */
  scanAsked(): void {
    this.problem.replaceChildren();
    this.scanButton.disabled = true;
  }

  scanAnswered(): void {
    this.scanButton.disabled = false;
  }
}
