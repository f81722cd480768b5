import '../shared/l10n';
import './main.css';
import * as l10n from '@vscode/l10n';
import * as v from 'valibot';
import { browserProtocol, keyRef, ScanState, View } from '../../src/panels/redisBrowser/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { notOpened } from '../shared/problem';
import { KeyDetails, Target } from './keyDetails';
import { KeyList } from './keyList';
import { Toolbar } from './toolbar';
import { DeleteActions } from './deleteActions';

/**
 * What the webview itself keeps while hidden: what was typed in the value pane and not saved (the host keeps the
 * listing, the view, the selection and the open key).
 */
const viewState = new ViewState(v.object({
  draft: v.nullable(v.object({ key: keyRef, inputs: v.record(v.string(), v.string()), value: v.exactOptional(v.object({ text: v.string(), expected: v.string() })) })),
}));
const app = document.getElementById('app')!;

let scan: ScanState;
let view: View = { mode: 'list', group: null };
let readOnly = false;
/** The value pane, made once the panel knows whether the connection is read-only. */
let details: KeyDetails | undefined;

const client = new PanelClient(browserProtocol, vscodeTransport(), { state: ({ scan: next, lines: total, groups }) => onState(next, total, groups) });
const current = (): number => scan.generation;

const toolbar = new Toolbar({
  scan: () => void startScan(),
  pause: () => void client.request(scan.phase === 'paused' ? 'resume' : 'pause', {}).then((next) => onState(next, keys.lines), toolbar.failed(l10n.t('The scan could not be paused'))),
  cancel: () => void client.request('cancel', {}).then((next) => onState(next, keys.lines), toolbar.failed(l10n.t('The scan could not be cancelled'))),
  patternEdited: () => {
    updateStatus();
    remember();
  },
  typeChosen: () => remember(),
  show: (next) => void show(next),
  newKey: () => details?.newKeyForm(),
  deleteSelected: () => void deletes.deleteSelected(),
  deleteMatching: () => void deletes.deleteMatching(),
});
const keys = new KeyList(client, {
  generation: current,
  isTree: () => view.mode === 'tree',
  open: (target) => void details?.open(target),
  selectionChanged: () => toolbar.showSelection(readOnly, keys.keysSelected),
  changed: () => remember(),
  deleteSelected: () => void deletes.deleteSelected(),
  failed: toolbar.failed,
});
const deletes = new DeleteActions(client, keys, toolbar, { readOnly: () => readOnly, generation: current, rescan: () => void startScan() });

function onState(next: ScanState, total: number, groups?: Init<typeof browserProtocol>['groups']): void {
  const fresh = next.generation !== scan.generation;
  scan = next;
  if (groups) toolbar.showGroups(groups, scan.keys, view.group);
  if (fresh) {
    // A scan the host started (another panel asked for a pattern) shows its filter too.
    toolbar.showFilter(next.match, next.keyType);
    keys.replace(total);
    // The filter typed before is superseded by the scan's: the host must not put it back when the panel returns.
    remember();
  } else if (view.mode === 'tree' || total < keys.lines) {
    keys.moved(total);
  } else if (total !== keys.lines) {
    keys.grew(total);
  }
  updateStatus();
}

function updateStatus(): void {
  toolbar.update({ scan, view, lines: keys.lines, readOnly, keysSelected: keys.keysSelected });
}

async function startScan(): Promise<void> {
  toolbar.scanAsked();
  try {
    onState(await client.request('scan', { match: toolbar.pattern.trim(), keyType: toolbar.keyType }), 0);
  } catch (error) {
    // The state that comes with the failure says so too; until it does, say it here.
    toolbar.failed(l10n.t('The scan could not start'))(error);
    scan = { ...scan, phase: 'failed' };
    updateStatus();
  } finally {
    toolbar.scanAnswered();
  }
}

async function show(next: View): Promise<void> {
  view = next;
  try {
    const answer = await client.request('show', next);
    toolbar.showGroups(answer.groups, scan.keys, view.group);
    keys.replace(answer.lines);
  } catch (error) {
    toolbar.failed(l10n.t('The view could not be shown'))(error);
  }
  updateStatus();
  remember();
}

/** Tells the host what the view shows, for when it comes back after being hidden (at most a few times a second). */
let rememberTimer = 0;
function remember(): void {
  if (!rememberTimer) rememberTimer = window.setTimeout(() => {
    rememberTimer = 0;
    const shown = keys.memory();
    const open: Target | null = details?.shown ?? null;
    client.command('remember', { ...shown, open: open ? { key: open.key, row: open.row } : null, match: toolbar.pattern, keyType: toolbar.keyType });
  }, 150);
}

function render(init: Init<typeof browserProtocol>): void {
  readOnly = init.readOnly;
  scan = init.scan;
  view = init.view;
  const restored = init.restored;
  toolbar.showFilter(restored?.memory.match ?? scan.match, restored?.memory.keyType ?? scan.keyType);
  toolbar.showView(view.mode, init.delimiter);
  toolbar.showGroups(init.groups, scan.keys, view.group);
  const pane = (details = new KeyDetails(client, readOnly, {
    opened: () => remember(),
    written: () => keys.redraw(),
    drafted: (draft) => viewState.write({ draft }),
  }));
  const title = `${init.name} · db${init.db}`;
  app.replaceChildren(...toolbar.parts(readOnly ? l10n.t('{0} (read-only)', title) : title), deletes.confirmSlot, keys.element, pane.element);
  keys.start(init.lines, restored);
  if (restored) {
    const draft = viewState.read()?.draft ?? undefined;
    if (restored.memory.open) void pane.open(restored.memory.open, undefined, draft);
  }
  updateStatus();
}

void client.ready().then(render, (error: unknown) => notOpened(app, error));
