import '../shared/l10n';
import './main.css';
import { DiagramEdge, DiagramModel, diagramProtocol } from '../../src/panels/modelDiagram/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport } from '../shared/vscodeApi';
import { el } from '../shared/dom';
import { countOf } from '../shared/viewFormat';
import * as l10n from '@vscode/l10n';
import { problemText } from '../shared/problemOf';

const SVG = 'http://www.w3.org/2000/svg';
const BOX_WIDTH = 220;
const LINE = 16;
const HEADER = 26;
const MAX_COLUMNS = 14;
const GAP_X = 120;
const GAP_Y = 60;
/** codicon-key. */
const KEY_GLYPH = '\ueb11';

const app = document.getElementById('app')!;
new PanelClient(diagramProtocol, vscodeTransport(), {})
  .ready()
  .then(show, (error: unknown) => app.replaceChildren(el('p', { className: 'error', text: l10n.t('The diagram could not be drawn: {0}', problemText(error)) })));

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

interface Box { readonly x: number; readonly y: number; readonly h: number }

/** Rows of boxes, tallest first in each row; enough for the tens of tables a schema usually has. */
function layout(models: readonly DiagramModel[]): Map<string, Box> {
  const perRow = Math.max(1, Math.ceil(Math.sqrt(models.length)));
  const boxes = new Map<string, Box>();
  let y = 20;
  for (let start = 0; start < models.length; start += perRow) {
    const row = models.slice(start, start + perRow);
    const height = Math.max(...row.map((m) => HEADER + Math.min(m.columns.length, MAX_COLUMNS + 1) * LINE + 8));
    row.forEach((m, i) => boxes.set(m.name, { x: 20 + i * (BOX_WIDTH + GAP_X), y, h: HEADER + Math.min(m.columns.length, MAX_COLUMNS + 1) * LINE + 8 }));
    y += height + GAP_Y;
  }
  return boxes;
}

function edge(e: DiagramEdge, boxes: Map<string, Box>): SVGGElement | undefined {
  const a = boxes.get(e.from);
  const b = boxes.get(e.to);
  if (!a || !b) return undefined;
  const [x1, y1] = [a.x + BOX_WIDTH / 2, a.y + a.h / 2];
  const [x2, y2] = [b.x + BOX_WIDTH / 2, b.y + b.h / 2];
  // Leave each box through the side facing the other one.
  const exit = (box: Box, cx: number, cy: number, tx: number, ty: number): [number, number] => {
    const dx = tx - cx;
    const dy = ty - cy;
    const scale = Math.min(Math.abs((BOX_WIDTH / 2) / (dx || 1e-9)), Math.abs((box.h / 2) / (dy || 1e-9)));
    return [cx + dx * scale, cy + dy * scale];
  };
  const [sx, sy] = e.from === e.to ? [x1, a.y] : exit(a, x1, y1, x2, y2);
  const [tx, ty] = e.from === e.to ? [x1 + 40, a.y] : exit(b, x2, y2, x1, y1);
  const g = svg('g', { class: `edge ${e.kind}` });
  g.append(svg('line', { x1: sx, y1: sy, x2: tx, y2: ty, 'marker-end': 'url(#arrow)' }));
  g.append(svg('text', { x: (sx + tx) / 2, y: (sy + ty) / 2 - 4, 'text-anchor': 'middle' }, e.label));
  return g;
}

function box(m: DiagramModel, b: Box): SVGGElement {
  const g = svg('g', { class: `model${m.junction ? ' junction' : ''}${m.view ? ' view' : ''}`, transform: `translate(${b.x},${b.y})` });
  g.append(svg('rect', { width: BOX_WIDTH, height: b.h, rx: 4 }));
  g.append(svg('text', { x: 8, y: 17, class: 'title' }, `${m.name}  (${m.table})`));
  m.columns.slice(0, MAX_COLUMNS).forEach((c, i) => {
    const y = HEADER + 12 + i * LINE;
    // The key is the codicon glyph (an emoji shows as an empty box where no emoji font is installed).
    if (c.primaryKey) g.append(svg('text', { x: 8, y, class: 'glyph', 'aria-label': l10n.t('primary key') }, KEY_GLYPH));
    g.append(svg('text', { x: c.primaryKey ? 24 : 8, y, class: c.foreignKey ? 'fk' : '' }, `${c.foreignKey ? '→ ' : ''}${c.name}`));
    g.append(svg('text', { x: BOX_WIDTH - 8, y, 'text-anchor': 'end', class: 'type' }, c.type.slice(0, 18)));
  });
  if (m.columns.length > MAX_COLUMNS) g.append(svg('text', { x: 8, y: HEADER + 12 + MAX_COLUMNS * LINE, class: 'type' }, l10n.t('… {0} more', String(m.columns.length - MAX_COLUMNS))));
  const title = svg('title', {}, m.junction ? l10n.t('{0}: table {1} (junction)', m.name, m.table) : l10n.t('{0}: table {1}', m.name, m.table));
  g.prepend(title);
  return g;
}

function show(message: Init<typeof diagramProtocol>): void {
  const boxes = layout(message.models);
  const width = Math.max(...[...boxes.values()].map((b) => b.x + BOX_WIDTH), 200) + 40;
  const height = Math.max(...[...boxes.values()].map((b) => b.y + b.h), 100) + 40;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': l10n.t('Models of {0} and their associations', message.title) });
  const defs = svg('defs', {});
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
  marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }));
  defs.append(marker);
  root.append(defs);
  for (const e of message.edges) {
    const g = edge(e, boxes);
    if (g) root.append(g);
  }
  for (const m of message.models) root.append(box(m, boxes.get(m.name)!));
  app.replaceChildren(
    el('header', {}, el('h1', { text: l10n.t('Associations · {0}', message.title) }),
      el('span', { className: 'status', text: countOf(message.models.length, l10n.t('{0} model · solid: belongsTo (foreign key) · dashed: belongsToMany through a junction table'), l10n.t('{0} models · solid: belongsTo (foreign key) · dashed: belongsToMany through a junction table')) })),
    message.models.length ? el('div', { className: 'canvas' }, root) : el('p', { className: 'help', text: l10n.t('This database has no tables.') }),
  );
}
