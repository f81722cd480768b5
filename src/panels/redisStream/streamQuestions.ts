import * as vscode from 'vscode';
import type { Bytes } from '../../drivers/redis/shapes';
import type { StreamGroup, TrimPlan } from '../../drivers/redis/streamShapes';
import { displayBytes } from '../../drivers/redis/keys';
import { named } from '../redisBrowser/memberRemoval';
import { duration, DurationUnits } from './duration';
import type { Question } from '../ipc/question';

/** What a change to a stream asks in the panel before it runs: the question, what it does in detail, and its button. */
export type Words = Omit<Question, 'ticket'>;

/** A name the UI sent as bytes, as a question shows it: from the bytes that will be sent, not any text beside them. */
export const bytesNamed = (bytes: Bytes): string => named(displayBytes(Buffer.from(bytes.base64, 'base64')).text);

/** A count as the questions write it: 1,000 rather than 1000. */
const number = (count: number): string => count.toLocaleString('en-US');

/** An idle time in the user's language. */
function idle(ms: number): string {
  const units: DurationUnits = { ms: vscode.l10n.t('{0} ms'), s: vscode.l10n.t('{0} s'), min: vscode.l10n.t('{0} min'), h: vscode.l10n.t('{0} h') };
  return duration(ms, units);
}

/** How many IDs a question names before it says how many more there are. */
const LISTED = 10;

/** The first IDs of a list, as data (the words around them are the caller's whole sentence). */
const shownIds = (ids: readonly string[]): string => ids.slice(0, LISTED).map(named).join(', ');

export function createQuestion(key: string, group: string, start: string, mkstream: boolean): Words {
  const from = start === '$' ? vscode.l10n.t('It starts at the end: it reads only entries added from now on.')
    : start === '0' ? vscode.l10n.t('It starts at the beginning: it reads every entry the stream holds.')
      : vscode.l10n.t('It starts after entry {0}.', named(start));
  return {
    message: vscode.l10n.t('Create consumer group "{0}" on stream "{1}"?', named(group), named(key)),
    detail: mkstream ? `${from} ${vscode.l10n.t('If the stream does not exist, it is created, empty.')}` : from,
    action: vscode.l10n.t('Create'),
  };
}

export function destroyQuestion(key: string, group: StreamGroup): Words {
  const consumers = number(group.consumers);
  const pending = number(group.pending);
  const going = group.consumers === 1
    ? group.pending === 1
      ? vscode.l10n.t('Its {0} consumer and {1} pending entry go with it; the entries stay in the stream.', consumers, pending)
      : vscode.l10n.t('Its {0} consumer and {1} pending entries go with it; the entries stay in the stream.', consumers, pending)
    : group.pending === 1
      ? vscode.l10n.t('Its {0} consumers and {1} pending entry go with it; the entries stay in the stream.', consumers, pending)
      : vscode.l10n.t('Its {0} consumers and {1} pending entries go with it; the entries stay in the stream.', consumers, pending);
  return {
    message: vscode.l10n.t('Destroy consumer group "{0}" of stream "{1}"?', named(group.name.text), named(key)),
    detail: [going, vscode.l10n.t('Applications reading as this group get NOGROUP errors.'), vscode.l10n.t('Redis has no undo.')].join(' '),
    action: vscode.l10n.t('Destroy'),
  };
}

export function ackQuestion(key: string, group: Bytes, ids: readonly string[]): Words {
  const count = number(ids.length);
  const shown = shownIds(ids);
  return {
    message: ids.length === 1
      ? vscode.l10n.t('Acknowledge {0} pending entry of group "{1}" on stream "{2}"?', count, bytesNamed(group), named(key))
      : vscode.l10n.t('Acknowledge {0} pending entries of group "{1}" on stream "{2}"?', count, bytesNamed(group), named(key)),
    detail: ids.length === 1
      ? vscode.l10n.t('{0}. It leaves the group\'s pending list and is not delivered to any of its consumers again; the entry stays in the stream.', shown)
      : ids.length > LISTED
        ? vscode.l10n.t('{0} and {1} more. They leave the group\'s pending list and are not delivered to any of its consumers again; the entries stay in the stream.', shown, ids.length - LISTED)
        : vscode.l10n.t('{0}. They leave the group\'s pending list and are not delivered to any of its consumers again; the entries stay in the stream.', shown),
    action: vscode.l10n.t('Acknowledge'),
  };
}

export function claimQuestion(key: string, group: Bytes, consumer: Bytes, minIdleMs: number, ids: readonly string[]): Words {
  const count = number(ids.length);
  const shown = shownIds(ids);
  return {
    message: ids.length === 1
      ? vscode.l10n.t('Give {0} pending entry of group "{1}" on stream "{2}" to consumer "{3}"?', count, bytesNamed(group), named(key), bytesNamed(consumer))
      : vscode.l10n.t('Give {0} pending entries of group "{1}" on stream "{2}" to consumer "{3}"?', count, bytesNamed(group), named(key), bytesNamed(consumer)),
    detail: ids.length > LISTED
      ? vscode.l10n.t('{0} and {1} more. Only entries still idle for at least {2} move: one its consumer read again, or someone claimed or acknowledged meanwhile, stays where it is. A consumer the group does not have yet is created.', shown, ids.length - LISTED, idle(minIdleMs))
      : vscode.l10n.t('{0}. Only entries still idle for at least {1} move: one its consumer read again, or someone claimed or acknowledged meanwhile, stays where it is. A consumer the group does not have yet is created.', shown, idle(minIdleMs)),
    action: vscode.l10n.t('Claim'),
  };
}

export function autoClaimQuestion(key: string, group: Bytes, consumer: Bytes, minIdleMs: number, count: number): Words {
  return {
    message: count === 1
      ? vscode.l10n.t('Give up to {0} entry of group "{1}" on stream "{2}" idle for at least {3} to consumer "{4}"?', number(count), bytesNamed(group), named(key), idle(minIdleMs), bytesNamed(consumer))
      : vscode.l10n.t('Give up to {0} entries of group "{1}" on stream "{2}" idle for at least {3} to consumer "{4}"?', number(count), bytesNamed(group), named(key), idle(minIdleMs), bytesNamed(consumer)),
    detail: vscode.l10n.t('The server takes them from the start of the pending list, whichever consumer holds them. Pending entries whose data was deleted from the stream are dropped from the pending list on the way.'),
    action: vscode.l10n.t('Claim'),
  };
}

export function trimQuestion(key: string, plan: TrimPlan): Words {
  const deleted = plan.oldest && plan.newest
    ? plan.oldest === plan.newest ? vscode.l10n.t('Deleted: entry {0}.', plan.oldest) : vscode.l10n.t('Deleted: entries {0} … {1}.', plan.oldest, plan.newest)
    : vscode.l10n.t('Deleted: no entries.');
  return {
    message: plan.remove === 1
      ? vscode.l10n.t('Trim stream "{0}": delete its {1} oldest entry, keeping {2}?', named(key), number(plan.remove), number(plan.keep))
      : vscode.l10n.t('Trim stream "{0}": delete its {1} oldest entries, keeping {2}?', named(key), number(plan.remove), number(plan.keep)),
    detail: [deleted, vscode.l10n.t('Entries added from now on are kept. Pending entries of consumer groups that point at deleted entries stay pending without their data.'), vscode.l10n.t('Redis has no undo.')].join(' '),
    action: vscode.l10n.t('Trim'),
  };
}
