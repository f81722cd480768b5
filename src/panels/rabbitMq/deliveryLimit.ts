import * as vscode from 'vscode';
import type { RabbitMqSession } from '../../drivers/rabbitmq';
import { RabbitMqProfile } from '../../drivers/types';
import type { LimitQuestion } from './protocol';

/**
 * What the panel asks before messages of a queue that counts requeues are handed back (a peek, a manual consumer):
 * what the broker will do, and the limit the user accepts by going on (the driver refuses any other). Undefined when
 * there is nothing to ask; on a read-only connection the driver refuses by itself, with the same facts.
 */
export async function deliveryLimitQuestion(session: RabbitMqSession, profile: RabbitMqProfile, vhost: string, queue: string, verb: 'Peek' | 'Consume'): Promise<LimitQuestion | undefined> {
  const counting = await session.requeueCounting(vhost, queue);
  if (!counting.known || !counting.limit || profile.readOnly) return undefined;
  const { limit } = counting;
  const deliveries = String(limit.deliveries);
  const from = limit.source === 'argument' ? vscode.l10n.t('its x-delivery-limit argument')
    : limit.source === 'default' ? vscode.l10n.t('the RabbitMQ 4 default for quorum queues')
      : limit.source === 'policy' ? vscode.l10n.t('policy "{0}"', limit.policy ?? '') : vscode.l10n.t('operator policy "{0}"', limit.policy ?? '');
  const detail = [
    vscode.l10n.t('"{0}" is a quorum queue with a delivery limit of {1} (from {2}).', queue, deliveries, from),
    verb === 'Peek'
      ? vscode.l10n.t('A peek hands every message it shows back to the queue, and each time counts as one delivery of it.')
      : vscode.l10n.t('A manual consumer hands back every message you requeue, and all it still holds when it stops, and each time counts as one delivery of it.'),
    limit.deadLetterExchange !== undefined
      ? vscode.l10n.t('Once a message has been delivered more than {0} times the broker dead-letters it to "{1}".', deliveries, limit.deadLetterExchange || vscode.l10n.t('(default)'))
      : vscode.l10n.t('Once a message has been delivered more than {0} times the broker drops it.', deliveries),
    vscode.l10n.t('The x-delivery-count header of a message says how often it was delivered.'),
  ];
  return {
    message: vscode.l10n.t('"{0}" counts each requeue as a delivery: its delivery limit is {1}.', queue, deliveries),
    detail: detail.join(' '),
    action: verb === 'Peek' ? vscode.l10n.t('Peek Anyway') : vscode.l10n.t('Consume Anyway'),
    deliveries: limit.deliveries,
  };
}
