import { el } from '../shared/dom';
import * as l10n from '@vscode/l10n';

export interface Bar {
  readonly label: string;
  /** What the bar's length stands for, as its share of `max`. */
  readonly value: number;
  readonly text: string;
  readonly title?: string;
  /** Opens what the row stands for (the key browser on its keys). */
  readonly open?: () => void;
}

/**
 * Horizontal bars, one row each: label, a bar as long as its share of the largest, and the figure. Plain themed
 * elements (no chart library, no canvas); labels are text. A row that opens something is a button.
 */
export function barChart(label: string, bars: readonly Bar[], colour: string): HTMLElement {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return el('div', { className: 'bars', attrs: { role: 'list', 'aria-label': label } }, ...bars.map((bar) => {
    const name = bar.open
      ? el('button', { className: 'link', text: bar.label, attrs: { type: 'button', title: bar.title ?? l10n.t('Browse {0}', bar.label) } })
      : el('span', { className: 'name', text: bar.label, attrs: { title: bar.title ?? bar.label } });
    if (bar.open) name.addEventListener('click', bar.open);
    const fill = el('span', { className: 'fill' });
    fill.style.width = `${(100 * bar.value) / max}%`;
    fill.style.background = `var(${colour})`;
    return el('div', { className: 'bar-row', attrs: { role: 'listitem' } }, name, el('span', { className: 'track', attrs: { 'aria-hidden': 'true' } }, fill), el('span', { className: 'figure', text: bar.text }));
  }));
}

/** Vertical columns, for a histogram whose buckets are in order (the TTL buckets). */
export function columns(label: string, bars: readonly Bar[], colour: string): HTMLElement {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return el('div', { className: 'columns-chart', attrs: { role: 'list', 'aria-label': label } }, ...bars.map((bar) => {
    const fill = el('span', { className: 'column-fill' });
    fill.style.height = `${(100 * bar.value) / max}%`;
    fill.style.background = `var(${colour})`;
    return el('div', { className: 'column', attrs: { role: 'listitem', title: bar.title ?? l10n.t('{0}: {1}', bar.label, bar.text) } },
      el('span', { className: 'figure', text: bar.text }), el('span', { className: 'column-track', attrs: { 'aria-hidden': 'true' } }, fill), el('span', { className: 'name', text: bar.label }));
  }));
}
