import { markBidi } from '../core/bidiText';

/**
 * Text from a server (error replies, status words, names) shown in a terminal: the terminal would execute control
 * characters, so each one becomes a visible escape instead. C0 controls, DEL and C1 controls (which xterm also acts on
 * as code points U+0080–U+009F) read as \xNN; bidi overrides as ⟨U+202E⟩, as the webviews show them;
 * line breaks stay line breaks, as CRLF.
 */
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

const visible = (char: string): string => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Typed or pasted characters a line may hold: none that the terminal would act on when echoed. */
export function isPrintable(char: string): boolean {
  return char >= ' ' && !new RegExp(CONTROLS.source).test(char) && markBidi(char) === char;
}

export function terminalText(text: string): string {
  return markBidi(text.replace(CONTROLS, visible)).replace(/\n/g, '\r\n');
}
