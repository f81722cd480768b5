import * as l10n from '@vscode/l10n';
import type { ReadNote } from '../../src/drivers/memcached/readNote';

/** One fact of how a value was read by its flags, worded. */
function noteText(note: ReadNote): string {
  switch (note.kind) {
    case 'inflated': return l10n.t('zlib-compressed (flag 8), shown inflated');
    case 'inflateTooLarge': return l10n.t('zlib-compressed (flag 8), inflating to more than {0} MiB: shown compressed', String(note.limitMiB));
    case 'inflateFailed': return l10n.t('flag 8 says zlib-compressed, but it does not inflate');
    case 'pickle': return l10n.t('a pickled Python object (flag 1): shown as its structure, never unpickled');
    case 'pickleUnreadable': return l10n.t('flag 1 says a pickled Python object, but it does not read as one ({0}): shown as bytes, never unpickled', note.reason);
    case 'integer': return l10n.t('an integer (flag {0})', String(note.flag));
    case 'notText': return l10n.t('{0} bytes that are not UTF-8 text', note.size.toLocaleString());
    case 'cut': return l10n.t('text, showing the first {0} of {1} bytes (switchboard.maxShownValueKB)', note.shown.toLocaleString(), note.size.toLocaleString());
    case 'json': return 'JSON';
    case 'text': return note.flagged ? l10n.t('text (flag 16)') : l10n.t('text');
  }
}

/** How a value was read, outermost first: "zlib-compressed (flag 8), shown inflated; JSON". */
export function readAsText(notes: readonly ReadNote[]): string {
  return notes.map(noteText).join(l10n.t('; '));
}
