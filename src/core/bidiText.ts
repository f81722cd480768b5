/** Bidi overrides and isolates, which can make a name read as another. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Text with its bidi controls made visible markers such as ⟨U+202E⟩, as the webviews show them (webview/shared/dom.ts). */
export function markBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase()}⟩`);
}
