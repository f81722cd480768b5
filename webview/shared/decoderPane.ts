import * as l10n from '@vscode/l10n';
import { CODEC_CHOICES, CodecChoice, Decoded, MAX_STORED_BYTES, StructNode } from '../../src/drivers/codecs/shapes';
import { button, el } from './dom';
import { choiceName, decodedLabel, nodeLine } from './decodedLabel';
import { noteText } from './decodedNote';
import { showProblem, showStatus } from './problem';
import { problemOf } from './problemOf';
import { indentJson } from './viewFormat';
import { boxed } from '../../src/drivers/lineBreaks';

/** What the decoder does to its value, through the host. */
export interface DecoderActions {
  /** Undefined: the value's own convention reads it (Memcached's flags, for 'auto'), so it is shown as stored. */
  decode(choice: CodecChoice): Promise<Decoded | undefined>;
  /** What reads the value when `decode` answers undefined, as the status says it. */
  readonly ownReading?: string;
  /**
   * Writes `text` back through the layers of `choice`, only if the value still decodes to `expected`. 'gone': the
   * value no longer exists, which the owner of the pane shows.
   */
  save(choice: CodecChoice, text: string, expected: string): Promise<'saved' | 'conflict' | 'gone'>;
  /** A write went through: read the key again. */
  written(): void;
  /** Reads the key again, dropping what is shown (after a conflict, when asked). */
  reload(): void;
}

/** Entries of a container drawn at a time: a list of a hundred thousand items opens a page of it. */
const ENTRIES_AT_ONCE = 500;

/**
 * The decoder of a stored value (a Redis string, a Memcached item): what the bytes were found to be ("gzip → JSON", "pickle (protocol 4)") with a
 * selector to decode them otherwise, and the decoded text (editable where writing it back reproduces the writer's
 * bytes) or structure (read-only, drawn as a tree opened level by level). "Raw" shows the value as stored, in the
 * string editor the pane had before.
 */
export class DecoderPane {
  readonly element = el('div', { className: 'decoder' });
  private readonly select = el('select', { attrs: { 'aria-label': l10n.t('Decode as') } }, ...CODEC_CHOICES.map((c) => el('option', { text: choiceName(c), attrs: { value: c } })));
  private readonly detected = el('span', { className: 'help decoded-as', attrs: { role: 'status', 'aria-label': l10n.t('Decoded as') } });
  private readonly body = el('div', { className: 'decoded' });
  /** Bumped on each decode: an answer for an earlier choice is dropped. */
  private asked = 0;

  /** `raw`: the string editor of the stored value, shown when nothing is decoded. `keepRaw`: the raw editor holds an unsaved edit. */
  constructor(private readonly actions: DecoderActions, private readonly readOnly: boolean, private readonly message: HTMLElement, private readonly raw: HTMLElement, length: number, private readonly keepRaw: () => boolean, initial: CodecChoice = 'auto') {
    this.element.append(el('div', { className: 'actions decoder-bar' }, el('span', { text: l10n.t('Decode as') }), this.select, this.detected), this.body);
    this.select.addEventListener('change', () => void this.decode(this.chosen(), false));
    if (length > MAX_STORED_BYTES) {
      this.select.disabled = true;
      this.detected.textContent = l10n.t('not decoded: above the {0} MB Switchboard decodes', String(MAX_STORED_BYTES / 2 ** 20));
      return;
    }
    this.select.value = initial;
    void this.decode(initial, true);
  }

  /** What the value is decoded as: the user's pick, or Auto-detect. */
  get choice(): CodecChoice {
    return this.chosen();
  }

  private chosen(): CodecChoice {
    return CODEC_CHOICES.find((c) => c === this.select.value) ?? 'auto';
  }

  /** `first`: the decode on opening, which keeps the stored value in view if an unsaved edit of it was put back there. */
  private async decode(choice: CodecChoice, first: boolean): Promise<void> {
    const asked = ++this.asked;
    if (choice === 'none') return this.showRaw(l10n.t('showing the value as stored'));
    this.detected.textContent = l10n.t('decoding…');
    let decoded: Decoded | undefined;
    try {
      decoded = await this.actions.decode(choice);
    } catch (error) {
      if (asked !== this.asked) return;
      this.detected.textContent = '';
      if (choice !== 'auto') showProblem(this.body, l10n.t('Not decoded as {0}', choiceName(choice)), problemOf(error));
      else this.showRaw(l10n.t('not decoded: {0}', problemOf(error).message));
      return;
    }
    if (asked !== this.asked) return;
    if (decoded === undefined) return this.showRaw(this.actions.ownReading ?? l10n.t('showing the value as stored'));
    const label = decodedLabel(decoded);
    // A value stored as plain text is shown as it is stored: the string editor already shows it.
    if (choice === 'auto' && decoded.layers.length === 0) return this.showRaw(decoded.view.kind === 'bytes' ? l10n.t('no decoder recognises these bytes: shown as stored') : l10n.t('detected: plain {0}', label));
    if (first && this.keepRaw()) return this.showRaw(l10n.t('detected: {0} · showing the value as stored, where an unsaved edit is', label));
    this.detected.textContent = choice === 'auto' ? l10n.t('detected: {0}', label) : label;
    this.detected.title = noteText(decoded.note);
    this.raw.hidden = true;
    this.body.hidden = false;
    this.body.className = 'decoded';
    this.body.replaceChildren(...this.render(choice, decoded));
  }

  private showRaw(what: string): void {
    this.detected.textContent = what;
    this.detected.title = '';
    this.raw.hidden = false;
    this.body.hidden = true;
    this.body.replaceChildren();
  }

  private render(choice: CodecChoice, decoded: Decoded): HTMLElement[] {
    const { view } = decoded;
    const note = el('p', { className: 'help decoded-note', text: l10n.t('{0} bytes decoded · {1}', decoded.size.toLocaleString(), noteText(decoded.note)) });
    if (view.kind === 'structure') return [note, this.tree(view.root)];
    const area = el('textarea', { attrs: { 'aria-label': l10n.t('Decoded value'), spellcheck: 'false' } });
    area.readOnly = true;
    if (view.kind === 'bytes') {
      area.value = view.text;
      return [note, area];
    }
    // JSON is shown indented for reading; an edit starts from the exact decoded text, as with a stored one.
    const indented = view.json ? indentJson(view.text) : undefined;
    area.value = indented ?? view.text;
    const expected = view.text;
    const box = boxed(expected);
    if (box.mixed) note.textContent += ` · ${l10n.t('mixed line breaks (CRLF, LF, CR): shown, not edited here, so that none changes')}`;
    if (this.readOnly || !decoded.editable || !box.editable) return [note, area];
    const save = button(l10n.t('Save'), { title: l10n.t('Write the text back through the same compression; only if nobody changed the value meanwhile') });
    const edit = button(l10n.t('Edit'), { secondary: true, title: l10n.t('Edit the decoded text as it is stored (not indented)') });
    const startEditing = (): void => {
      area.value = expected;
      area.readOnly = false;
      edit.remove();
      save.hidden = false;
      area.focus();
    };
    edit.addEventListener('click', startEditing);
    save.hidden = true;
    if (indented === undefined) {
      area.readOnly = false;
      edit.remove();
      save.hidden = false;
    }
    save.addEventListener('click', () => {
      save.disabled = true;
      void this.actions.save(choice, box.typed(area.value), expected).then((result) => {
        save.disabled = false;
        if (result === 'gone') return;
        if (result === 'saved') {
          showStatus(this.message, l10n.t('Saved.'), true);
          this.actions.written();
          return;
        }
        // The edit stays where it was typed: nothing is lost, and the value as it is now is one click away.
        showStatus(this.message, l10n.t('Not saved: this value changed since it was read. Your edit is kept above; Reload shows the value as it is now (and drops the edit).'));
        const reload = button(l10n.t('Reload'), { secondary: true });
        reload.addEventListener('click', () => this.actions.reload());
        this.message.append(' ', reload);
      }, (error: unknown) => {
        save.disabled = false;
        showProblem(this.message, l10n.t('Not saved'), problemOf(error));
      });
    });
    return [note, area, el('div', { className: 'actions' }, edit, save)];
  }

  /** A structure as a tree: containers open on demand, each drawing its first entries and offering the rest. */
  private tree(root: StructNode): HTMLElement {
    const tree = el('ul', { className: 'struct', attrs: { 'aria-label': l10n.t('Decoded structure') } });
    tree.append(this.node(undefined, root, true));
    return tree;
  }

  private node(key: string | undefined, node: StructNode, open = false): HTMLElement {
    const line = nodeLine(key, node);
    const label = (): HTMLElement[] => [el('span', { className: 'struct-text', text: line.text }), el('span', { className: 'struct-type', text: line.type })];
    const entries = node.entries;
    if (entries === undefined) return el('li', { className: 'struct-leaf' }, ...label());
    const details = el('details', {}, el('summary', {}, ...label()));
    const children = el('ul');
    let drawn = 0;
    const more = el('button', { className: 'secondary', attrs: { type: 'button' } });
    const draw = (): void => {
      const next = entries.slice(drawn, drawn + ENTRIES_AT_ONCE);
      children.append(...next.map((entry) => this.node(entry.key, entry.node)));
      drawn += next.length;
      more.remove();
      if (drawn < entries.length) {
        more.textContent = l10n.t('Show {0} more of {1}', Math.min(ENTRIES_AT_ONCE, entries.length - drawn).toLocaleString(), (entries.length - drawn).toLocaleString());
        children.append(el('li', {}, more));
      }
    };
    more.addEventListener('click', draw);
    details.addEventListener('toggle', () => {
      if (details.open && drawn === 0) draw();
    });
    details.append(children);
    details.open = open;
    if (open) draw();
    return el('li', {}, details);
  }
}
