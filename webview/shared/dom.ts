/** Bidirectional formatting characters: inside a name they can make it read as another (U+202E turns text around). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Text as it is shown: bidi controls become visible markers such as ⟨U+202E⟩, so a name cannot disguise itself. */
export function shownText(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase()}⟩`);
}

/** Creates an element with text set as text (never parsed as HTML) and plain attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | undefined)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = shownText(props.text);
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

/** Fills a virtual-list row with one cell per text, reusing the cells it already has. */
export function fillRow(row: HTMLElement, cells: readonly string[]): void {
  if (row.childElementCount !== cells.length) row.replaceChildren(...cells.map((_, i) => el('span', { className: `cell c${i}` })));
  cells.forEach((text, i) => ((row.children[i] as HTMLElement).textContent = shownText(text)));
}

/** A button of text; secondary ones are drawn in the theme's secondary colours, and `label` names it for a screen reader. */
export function button(text: string, options: { secondary?: boolean; label?: string; title?: string } = {}): HTMLButtonElement {
  return el('button', { className: options.secondary ? 'secondary' : '', text, attrs: { type: 'button', ...(options.label ? { 'aria-label': options.label } : {}), ...(options.title ? { title: options.title } : {}) } });
}

/** A codicon with its label beside it (the label folds away in a narrow panel, the tooltip stays). */
export function iconButton(icon: string, label: string, options: { secondary?: boolean; title?: boolean } = {}): HTMLButtonElement {
  return el('button', { className: `icon-label${options.secondary ? ' secondary' : ''}`, attrs: { type: 'button', 'aria-label': label, ...(options.title === false ? {} : { title: label }) } },
    el('span', { className: `codicon codicon-${icon}`, attrs: { 'aria-hidden': 'true' } }), el('span', { className: 'label-text', text: label }));
}
