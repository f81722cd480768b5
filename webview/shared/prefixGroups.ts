import { el } from './dom';

/** Counts keys by the part before the first delimiter, and keeps a <select> of the biggest groups up to date. */
export class PrefixGroups {
  private readonly counts = new Map<string, number>();
  private timer = 0;
  readonly select: HTMLSelectElement;

  constructor(private readonly delimiter: string, label: string, private readonly format: (group: string, count: number) => string) {
    this.select = el('select', { attrs: { 'aria-label': label } });
  }

  of(key: string): string {
    const at = key.indexOf(this.delimiter);
    return at > 0 ? key.slice(0, at) : '(no prefix)';
  }

  /** Counts a key; the select is redrawn at most every 400 ms while keys stream in. */
  add(key: string, total: () => number): string {
    const group = this.of(key);
    this.counts.set(group, (this.counts.get(group) ?? 0) + 1);
    if (!this.timer) this.timer = window.setTimeout(() => this.render(total()), 400);
    return group;
  }

  clear(): void {
    this.counts.clear();
  }

  render(total: number): void {
    clearTimeout(this.timer);
    this.timer = 0;
    const current = this.select.value;
    const top = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, 500);
    this.select.replaceChildren(el('option', { text: `All (${total})`, attrs: { value: '' } }), ...top.map(([g, n]) => el('option', { text: this.format(g, n), attrs: { value: g } })));
    this.select.value = top.some(([g]) => g === current) ? current : '';
  }
}
