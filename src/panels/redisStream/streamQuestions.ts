import type { Bytes } from '../../drivers/redis/shapes';
import type { StreamGroup, TrimPlan } from '../../drivers/redis/streamShapes';
import { displayBytes } from '../../drivers/redis/keys';
import { named } from '../redisBrowser/memberRemoval';
import { duration } from './duration';
import type { Question } from '../ipc/question';

/** What a change to a stream asks in the panel before it runs: the question, what it does in detail, and its button. */
export type Words = Omit<Question, 'ticket'>;

/** A name the UI sent as bytes, as a question shows it: from the bytes that will be sent, not any text beside them. */
export const bytesNamed = (bytes: Bytes): string => named(displayBytes(Buffer.from(bytes.base64, 'base64')).text);

const plural = (count: number, one: string, many = `${one}s`): string => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** The first IDs of a list, and how many more. */
function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, 10).map(named).join(', ');
  return ids.length > 10 ? `${shown} and ${ids.length - 10} more` : shown;
}

export function createQuestion(key: string, group: string, start: string, mkstream: boolean): Words {
  const from = start === '$' ? 'at the end: it reads only entries added from now on' : start === '0' ? 'at the beginning: it reads every entry the stream holds' : `after entry ${named(start)}`;
  return {
    message: `Create consumer group "${named(group)}" on stream "${named(key)}"?`,
    detail: `It starts ${from}.${mkstream ? ' If the stream does not exist, it is created, empty.' : ''}`,
    action: 'Create',
  };
}

export function destroyQuestion(key: string, group: StreamGroup): Words {
  return {
    message: `Destroy consumer group "${named(group.name.text)}" of stream "${named(key)}"?`,
    detail: `Its ${plural(group.consumers, 'consumer')} and ${plural(group.pending, 'pending entry', 'pending entries')} go with it; the entries stay in the stream. Applications reading as this group get NOGROUP errors. Redis has no undo.`,
    action: 'Destroy',
  };
}

export function ackQuestion(key: string, group: Bytes, ids: readonly string[]): Words {
  return {
    message: `Acknowledge ${plural(ids.length, 'pending entry', 'pending entries')} of group "${bytesNamed(group)}" on stream "${named(key)}"?`,
    detail: `${listed(ids)}. They leave the group's pending list and are not delivered to any of its consumers again; the entries stay in the stream.`,
    action: 'Acknowledge',
  };
}

export function claimQuestion(key: string, group: Bytes, consumer: Bytes, minIdleMs: number, ids: readonly string[]): Words {
  return {
    message: `Give ${plural(ids.length, 'pending entry', 'pending entries')} of group "${bytesNamed(group)}" on stream "${named(key)}" to consumer "${bytesNamed(consumer)}"?`,
    detail: `${listed(ids)}. Only entries still idle for at least ${duration(minIdleMs)} move: one its consumer read again, or someone claimed or acknowledged meanwhile, stays where it is. A consumer the group does not have yet is created.`,
    action: 'Claim',
  };
}

export function autoClaimQuestion(key: string, group: Bytes, consumer: Bytes, minIdleMs: number, count: number): Words {
  return {
    message: `Give up to ${plural(count, 'entry', 'entries')} of group "${bytesNamed(group)}" on stream "${named(key)}" idle for at least ${duration(minIdleMs)} to consumer "${bytesNamed(consumer)}"?`,
    detail: 'The server takes them from the start of the pending list, whichever consumer holds them. Pending entries whose data was deleted from the stream are dropped from the pending list on the way.',
    action: 'Claim',
  };
}

export function trimQuestion(key: string, plan: TrimPlan): Words {
  const range = plan.oldest && plan.newest ? (plan.oldest === plan.newest ? `entry ${plan.oldest}` : `entries ${plan.oldest} … ${plan.newest}`) : 'no entries';
  return {
    message: `Trim stream "${named(key)}": delete its ${plural(plan.remove, 'oldest entry', 'oldest entries')}, keeping ${plan.keep.toLocaleString('en-US')}?`,
    detail: `Deleted: ${range}. Entries added from now on are kept. Pending entries of consumer groups that point at deleted entries stay pending without their data. Redis has no undo.`,
    action: 'Trim',
  };
}
