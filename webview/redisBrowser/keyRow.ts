import * as l10n from '@vscode/l10n';
import type { Line } from '../../src/panels/redisBrowser/protocol';
import { fillRow } from '../shared/dom';
import { countOf } from '../shared/viewFormat';
import { bytesText, ttlText } from './format';

const indent = (depth: number): string => '\u2003'.repeat(depth);

/** Fills one row of the key list or tree: a folder with its count, a key with its type, TTL and memory, `…` until the line is here. */
export function drawLine(row: HTMLElement, line: Line | undefined): void {
  row.classList.toggle('folder', line?.kind === 'folder');
  row.classList.toggle('gone', line?.kind === 'key' && line.gone);
  if (!line) {
    fillRow(row, ['…', '', '', '']);
    row.title = '';
  } else if (line.kind === 'folder') {
    const keys = countOf(line.count, l10n.t('{0} key'), l10n.t('{0} keys'));
    fillRow(row, [`${indent(line.depth)}${line.expanded ? '▾' : '▸'} ${line.name}`, keys]);
    row.title = line.expanded ? l10n.t('{0}* — {1} (Enter to collapse)', line.name, keys) : l10n.t('{0}* — {1} (Enter to expand)', line.name, keys);
  } else {
    const meta = line.meta;
    fillRow(row, [`${indent(line.depth)}${line.name}`, line.gone ? l10n.t('deleted') : (meta?.type ?? '…'), line.gone || !meta ? '' : ttlText(meta.ttl), line.gone ? '' : bytesText(meta?.memory)]);
    const name = line.key.base64 !== undefined ? l10n.t('{0} (binary key)', line.key.text) : line.key.text;
    row.title = line.gone ? l10n.t('{0} (deleted)', name) : name;
  }
}
