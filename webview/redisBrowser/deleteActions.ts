import * as l10n from '@vscode/l10n';
import type { browserProtocol } from '../../src/panels/redisBrowser/protocol';
import type { PanelClient } from '../shared/ipc';
import { el } from '../shared/dom';
import { askedFirst } from '../shared/confirm';
import { countOf } from '../shared/viewFormat';
import type { KeyList } from './keyList';
import type { Toolbar } from './toolbar';

/** What the deletes read of the panel when they run. */
export interface DeletePanel {
  readOnly(): boolean;
  /** The scan whose rows are selected. */
  generation(): number;
  /** Scans again with the pattern shown. */
  rescan(): void;
}

/** Delete Selected (and the Delete key in the list) and Delete Matching…: the host asks first, the user says yes. */
export class DeleteActions {
  /** Where a delete is asked about, above the list (Cancel focused: Enter and Space change nothing). */
  readonly confirmSlot = el('div', { className: 'confirm-slot' });

  constructor(
    private readonly client: PanelClient<typeof browserProtocol>,
    private readonly keys: KeyList,
    private readonly toolbar: Toolbar,
    private readonly panel: DeletePanel,
  ) {}

  /** Deletes the selected keys once the user said yes to the host's question naming them. */
  async deleteSelected(): Promise<void> {
    const rows = this.keys.selectedRows;
    if (this.panel.readOnly() || rows.length === 0) return;
    const generation = this.panel.generation();
    try {
      const done = await askedFirst(this.confirmSlot, (ticket) => this.client.request('deleteRows', { generation, rows, ...ticket }));
      if (!done) return;
      this.toolbar.addToStatus(countOf(done.deleted, l10n.t('deleted {0} key'), l10n.t('deleted {0} keys')));
      this.keys.redraw();
    } catch (error) {
      this.toolbar.failed(l10n.t('Not deleted'))(error);
    }
  }

  /** Deletes every key matching the pattern, once the user said yes to the host's count of them. */
  async deleteMatching(): Promise<void> {
    const pattern = this.toolbar.pattern.trim();
    try {
      const done = await askedFirst(this.confirmSlot, (ticket) => this.client.request('deleteMatching', { pattern, ...ticket }));
      // What is left is what the server holds: scan for it again.
      if (done && !done.cancelled) this.panel.rescan();
    } catch (error) {
      this.toolbar.failed(l10n.t('Not deleted'))(error);
    }
  }
}
