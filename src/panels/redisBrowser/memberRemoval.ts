import * as vscode from 'vscode';
import { displayBytes } from '../../drivers/redis/keys';
import { markBidi } from '../../core/bidiText';
import type { Bytes, MemberEdit } from '../../drivers/redis/shapes';

/** A member or key as a confirmation names it: escaped where not UTF-8, bidi controls visible, cut when long. */
export function named(text: string): string {
  const shown = markBidi(text);
  return shown.length > 120 ? `${shown.slice(0, 120)}…` : shown;
}

const bytesNamed = (bytes: Bytes): string => named(displayBytes(Buffer.from(bytes.base64, 'base64')).text);

/**
 * The question a removal asks before anything changes, naming the member from the bytes that will be removed (not
 * from any text the view sent); undefined for edits that remove nothing.
 */
export function removalQuestion(edit: MemberEdit, key: string): string | undefined {
  const where = `"${named(key)}"`;
  switch (edit.type) {
    case 'hash':
      return edit.op === 'delete' ? vscode.l10n.t('Remove field "{0}" from hash {1}?', bytesNamed(edit.field), where) : undefined;
    case 'list':
      return edit.op === 'delete' ? vscode.l10n.t('Remove item #{0} ("{1}") from list {2}?', edit.index, bytesNamed(edit.expected), where) : undefined;
    case 'set':
      return edit.op === 'delete' ? vscode.l10n.t('Remove member "{0}" from set {1}?', bytesNamed(edit.member), where) : undefined;
    case 'zset':
      return edit.op === 'delete' ? vscode.l10n.t('Remove member "{0}" from sorted set {1}?', bytesNamed(edit.member), where) : undefined;
    case 'stream':
      return edit.op === 'delete' ? vscode.l10n.t('Delete entry {0} from stream {1}?', named(edit.id), where) : undefined;
    case 'string':
      return undefined;
  }
}
