import type { Channel, ConfirmChannel, GetMessage, Message } from 'amqplib';
import { DriverError, isDriverError, messageOf } from '../errors';
import { amqpError } from './amqpErrors';
import { Channels } from './channels';
import { send, Progress } from './messages';
import { republishOptions } from './messageView';

/** A message whose copy the broker did not take: it is still in the source queue. */
export interface NotMoved {
  /** 1 for the first message taken from the queue, and so on. */
  readonly position: number;
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly exchange: string;
  readonly routingKey: string;
  /** What the broker said: returned as unroutable (with its reply text), nacked, or the channel error. */
  readonly reason: string;
}

export interface MoveResult {
  readonly moved: number;
  /** Left in the source queue: dead-lettered messages without an x-death record, when replaying. */
  readonly skipped: number;
  /** Left in the source queue because the copy was returned, nacked or refused. */
  readonly notMoved: readonly NotMoved[];
}

export interface Route {
  readonly exchange: string;
  readonly routingKey: string;
}

export interface TransferPlan {
  readonly action: string;
  /** Where a message goes; undefined leaves it where it is (skipped). */
  readonly route: (message: Message) => Route | undefined;
  /** Stop at the first copy the broker does not take (one destination for all: the next would fare no better). */
  readonly stopOnFailure: boolean;
}

type CopyOutcome = { readonly taken: true } | { readonly taken: false; readonly reason: string; readonly channelLost: boolean };

/**
 * Publishes one copy, mandatory, and waits for its confirm. The broker sends basic.return before the basic.ack of
 * the same message on the same channel, and only one copy is in flight, so a return seen before the ack is this one's.
 */
async function copy(target: ConfirmChannel, to: Route, message: Message, closed: () => Error | undefined, bound: <T>(p: Promise<T>) => Promise<T>): Promise<CopyOutcome> {
  let returned: string | undefined;
  const onReturn = (back: Message & { fields: { replyCode?: number; replyText?: string } }): void => {
    returned = `returned by the broker as unroutable (${back.fields.replyText ?? 'no reason given'}${back.fields.replyCode ? `, ${back.fields.replyCode}` : ''})`;
  };
  target.on('return', onReturn);
  try {
    await bound(new Promise<void>((resolve, reject) => {
      send(target, to.exchange, to.routingKey, message.content, { ...republishOptions(message), mandatory: true }, (error) => (error ? reject(error) : resolve())).catch(reject);
    }));
  } catch (error) {
    // A broker that stopped answering: nothing is known about this copy, so the transfer stops here.
    if (isDriverError(error) && error.code === 'timeout') throw error;
    const lost = closed();
    if (lost) return { taken: false, reason: `refused by the broker (${messageOf(lost)})`, channelLost: true };
    return { taken: false, reason: /nack/i.test(messageOf(error)) ? 'nacked by the broker (the target did not accept it, e.g. a full queue that rejects publishes)' : `not confirmed (${messageOf(error)})`, channelLost: false };
  } finally {
    target.removeListener('return', onReturn);
  }
  return returned === undefined ? { taken: true } : { taken: false, reason: returned, channelLost: false };
}

/** A confirm channel that remembers the error it was closed with (a publish to a missing exchange closes it). */
async function openTarget(channels: Channels, vhost: string, action: string): Promise<{ channel: ConfirmChannel; closed: () => Error | undefined }> {
  const channel = await channels.confirmChannel(vhost, action);
  let error: Error | undefined;
  let ended = false;
  channel.on('error', (e: Error) => { error = e; });
  channel.on('close', () => { ended = true; });
  return { channel, closed: () => (ended ? error ?? new Error('channel closed') : undefined) };
}

function notMoved(position: number, message: Message, to: Route, reason: string): NotMoved {
  const { messageId, correlationId } = message.properties;
  return {
    position, exchange: to.exchange, routingKey: to.routingKey, reason,
    ...(typeof messageId === 'string' && messageId ? { messageId } : {}),
    ...(typeof correlationId === 'string' && correlationId ? { correlationId } : {}),
  };
}

/**
 * Takes each message ready at the start (newer arrivals are left alone), publishes a copy where the plan routes it,
 * and acks the original only once the broker confirmed a copy it routed. Every other message (skipped, returned,
 * nacked, refused) is held and handed back to the queue with a nack at the end, so it stays in place.
 */
export async function transfer(channels: Channels, vhost: string, queue: string, plan: TransferPlan, progress: Progress = {}): Promise<MoveResult> {
  const source: Channel = await channels.channel(vhost, plan.action);
  const held: GetMessage[] = [];
  let target: Awaited<ReturnType<typeof openTarget>> | undefined;
  try {
    const bound = <T>(p: Promise<T>): Promise<T> => channels.answer(p, plan.action);
    const total = (await bound(source.checkQueue(queue))).messageCount;
    let moved = 0;
    let skipped = 0;
    const failed: NotMoved[] = [];
    for (let position = 1; position <= total && !progress.signal?.aborted; position++) {
      const message = await bound(source.get(queue, { noAck: false }));
      if (!message) break;
      const to = plan.route(message);
      if (!to) {
        skipped++;
        held.push(message);
        continue;
      }
      target ??= await openTarget(channels, vhost, plan.action);
      const outcome = await copy(target.channel, to, message, target.closed, bound);
      if (outcome.taken) {
        source.ack(message);
        moved++;
        if (moved % 100 === 0) progress.onProgress?.(moved, total);
        continue;
      }
      held.push(message);
      failed.push(notMoved(position, message, to, outcome.reason));
      if (outcome.channelLost) target = undefined;
      if (plan.stopOnFailure) break;
    }
    return { moved, skipped, notMoved: failed };
  } catch (error) {
    throw amqpError(error, plan.action, channels.limits.endpoint);
  } finally {
    try {
      for (const message of held) source.nack(message, false, true);
    } catch {
      // The source channel is gone, and with it every message it held: the broker has requeued them.
    }
    if (target) await channels.closeQuietly(target.channel);
    await channels.closeQuietly(source);
  }
}

/** Moves the messages ready now from one queue to another (through the default exchange). */
export async function moveMessages(channels: Channels, vhost: string, from: string, to: string, progress?: Progress): Promise<MoveResult> {
  if (from === to) throw new DriverError('config', 'Moving messages needs two different queues.');
  await channels.with(vhost, `Checking queue "${to}"`, (ch) => ch.checkQueue(to));
  return transfer(channels, vhost, from, { action: `Moving messages from "${from}" to "${to}"`, route: () => ({ exchange: '', routingKey: to }), stopOnFailure: true }, progress);
}

/** Where the latest x-death entry says a dead-lettered message was first published. */
function deadLetterOrigin(message: Message): Route | undefined {
  const deaths: unknown = message.properties.headers?.['x-death'];
  const death: unknown = Array.isArray(deaths) ? deaths[0] : undefined;
  if (typeof death !== 'object' || death === null || !('exchange' in death) || !('routing-keys' in death)) return undefined;
  const keys = death['routing-keys'];
  if (typeof death.exchange !== 'string' || !Array.isArray(keys) || keys.length === 0) return undefined;
  return { exchange: death.exchange, routingKey: String(keys[0]) };
}

/** Publishes dead-lettered messages again to the exchange and routing key their latest x-death entry records. */
export function replayMessages(channels: Channels, vhost: string, queue: string, progress?: Progress): Promise<MoveResult> {
  return transfer(channels, vhost, queue, { action: `Replaying dead-lettered messages from "${queue}"`, route: deadLetterOrigin, stopOnFailure: false }, progress);
}
