/**
 * What a panel asks before a destructive request, as both sides see it (the host's side is questions.ts). Destructive
 * requests are asked about inside the panel (webview/shared/confirm.ts: Cancel focused, Escape cancels), not in a
 * VS Code modal, which focuses the action button so that Enter does it.
 */
import * as v from 'valibot';
import { list } from './protocol';

/** The most names one question lists; the count says how many there are in all. */
export const QUESTION_ITEMS = 20;

export const question = v.object({
  /** What will happen, naming the target, e.g. `Delete 3 keys from Demo db0?`. */
  message: v.string(),
  /** What exactly is concerned, one per line (at most QUESTION_ITEMS). */
  items: v.exactOptional(list(v.string())),
  /** How many more there are than the items listed (the webview words it). */
  more: v.exactOptional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  detail: v.exactOptional(v.string()),
  /** The button that does it. */
  action: v.string(),
  /** Sent back with the same request to do it. */
  ticket: v.string(),
});
export type Question = v.InferOutput<typeof question>;

/** The ticket a request carries once the user said yes in the panel. */
export const ticket = v.exactOptional(v.pipe(v.string(), v.maxLength(64)));

/** The names a question lists, and how many are left unnamed. */
export function listed(names: readonly string[], total = names.length): Pick<Question, 'items' | 'more'> {
  const items = names.slice(0, QUESTION_ITEMS);
  const rest = total - items.length;
  return { items, ...(rest > 0 ? { more: rest } : {}) };
}
