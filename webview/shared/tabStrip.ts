import { el } from './dom';

/**
 * A tab strip over fixed panes, as WAI-ARIA describes one: a click or ←/→ chooses a tab, only the chosen tab is in
 * the Tab order, and only its pane shows.
 */
export class TabStrip<T extends string> {
  readonly element: HTMLElement;
  private readonly buttons: HTMLButtonElement[];
  private chosen: T;

  /** `changed`: after a tab was chosen (by the user or by `show`). */
  constructor(private readonly tabs: readonly [T, ...T[]], titles: Readonly<Record<T, string>>, private readonly panes: Readonly<Record<T, HTMLElement>>, label: string, private readonly changed: (tab: T) => void) {
    this.chosen = tabs[0];
    this.buttons = tabs.map((t) => el('button', { text: titles[t], className: 'tab', attrs: { type: 'button', role: 'tab', id: `tab-${t}`, 'aria-controls': `pane-${t}` } }));
    this.buttons.forEach((button, i) => {
      const pane = panes[tabs[i]!];
      pane.id = `pane-${tabs[i]!}`;
      pane.classList.add('pane');
      pane.setAttribute('role', 'tabpanel');
      pane.setAttribute('aria-labelledby', button.id);
      button.addEventListener('click', () => this.show(tabs[i]!));
      button.addEventListener('keydown', (event) => {
        const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        const next = (i + step + tabs.length) % tabs.length;
        this.buttons[next]!.focus();
        this.show(tabs[next]!);
      });
    });
    this.element = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': label } }, ...this.buttons);
  }

  get current(): T {
    return this.chosen;
  }

  show(tab: T): void {
    this.chosen = tab;
    this.buttons.forEach((button, i) => {
      const on = this.tabs[i] === tab;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
    });
    for (const t of this.tabs) this.panes[t].hidden = t !== tab;
    this.changed(tab);
  }
}
