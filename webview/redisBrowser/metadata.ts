import * as l10n from '@vscode/l10n';
import type { browserProtocol, Line } from '../../src/panels/redisBrowser/protocol';
import type { PanelClient } from '../shared/ipc';
import type { VirtualList } from '../shared/virtualList';
import type { WindowCache } from '../shared/windowCache';
import type { Failed } from './toolbar';

/** Type, TTL and memory are read for the keys in view only, one pipeline per view. */
export class KeyMetadata {
  private timer = 0;
  private busy = false;

  constructor(
    private readonly client: PanelClient<typeof browserProtocol>,
    private readonly lines: WindowCache<Line>,
    private readonly list: VirtualList,
    private readonly generation: () => number,
    private readonly failed: Failed,
  ) {}

  /** Reads them shortly for the keys in view that have none yet. */
  want(): void {
    if (!this.timer) this.timer = window.setTimeout(() => void this.fetch(), 60);
  }

  private async fetch(): Promise<void> {
    this.timer = 0;
    if (this.busy) return this.want();
    const [first, last] = this.list.visibleRange();
    const rows: number[] = [];
    for (let i = first; i < last; i++) {
      const line = this.lines.held(i);
      if (line?.kind === 'key' && !line.meta && !line.gone) rows.push(line.row);
    }
    if (!rows.length) return;
    this.busy = true;
    try {
      const found = new Map((await this.client.request('metadata', { generation: this.generation(), rows })).map((r) => [r.row, r.meta]));
      this.lines.update((line) => {
        const meta = line.kind === 'key' ? found.get(line.row) : undefined;
        return meta && line.kind === 'key' ? { ...line, meta, gone: line.gone || meta.type === 'none' } : line;
      });
      this.list.refresh();
    } catch (error) {
      this.failed(l10n.t('Type, TTL and memory could not be read'))(error);
    } finally {
      this.busy = false;
    }
  }
}
