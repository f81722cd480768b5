/**
 * HTML hands a textarea's text back with every CRLF and lone CR turned into LF, so a value shown in one and saved
 * would have its line breaks changed where nobody typed. What is typed gets the text's own line break back; a text
 * that mixes line breaks cannot be given back exactly, so it is not edited in a box (nor in a VS Code editor, which
 * makes them one kind when it opens a document).
 */
export interface BoxedText {
  /** Whether an edit in a box can keep the text's line breaks. */
  readonly editable: boolean;
  /** Whether the text mixes line breaks (CRLF, LF, a lone CR): shown, not edited. */
  readonly mixed: boolean;
  /** What the box holds, with the text's own line break. */
  typed(boxValue: string): string;
}

export function boxed(text: string): BoxedText {
  const crlf = text.split('\r\n').length - 1;
  const cr = text.split('\r').length - 1;
  const lf = text.split('\n').length - 1;
  if (cr === 0) return { editable: true, mixed: false, typed: (value) => value };
  if (crlf === cr && crlf === lf) return { editable: true, mixed: false, typed: (value) => value.replace(/\n/g, '\r\n') };
  return { editable: false, mixed: true, typed: (value) => value };
}
