import { ManagementApi, PolicyInfo, QueueDetails } from './managementApi';

/** How many deliveries a queue allows a message before the broker drops or dead-letters it, and who said so. */
export interface DeliveryLimit {
  readonly deliveries: number;
  readonly source: 'argument' | 'policy' | 'operator policy' | 'default';
  /** The policy's name, when the limit comes from one. */
  readonly policy?: string;
  /** Where a message over the limit goes; undefined: it is dropped. */
  readonly deadLetterExchange?: string;
}

/**
 * Whether handing a message back (a peek's requeue, a consumer's nack or stop) counts as a delivery of it.
 * `known: false` when the queue's type and policies cannot be read (no management API).
 */
export type RequeueCounting =
  | { readonly known: false; readonly reason: string }
  | { readonly known: true; readonly queue: string; readonly type: string; readonly limit?: DeliveryLimit };

/** RabbitMQ 4 gives quorum queues a delivery limit of 20 unless one is set; -1 there turns the limit off. */
const RABBITMQ_4_DEFAULT_LIMIT = 20;

function major(version: string | undefined): number {
  return Number(/^(\d+)\./.exec(version ?? '')?.[1] ?? 0);
}

/** Where a policy applies: 3.x knows all / queues / exchanges; 3.12 and later also name queue types. */
function appliesTo(policy: PolicyInfo, type: string): boolean {
  const typed: Record<string, string> = { classic_queues: 'classic', quorum_queues: 'quorum', streams: 'stream' };
  return policy.applyTo === 'all' || policy.applyTo === 'queues' || typed[policy.applyTo] === type;
}

/**
 * The policy the broker picks for a queue: the highest priority among those whose pattern matches its name. A pattern
 * JavaScript cannot compile (Erlang's regular expressions are PCRE) counts as matching: a limit shown that does not
 * apply costs a question, one missed costs messages.
 */
export function policyFor(policies: readonly PolicyInfo[], queue: string, type: string): PolicyInfo | undefined {
  const matching = policies.filter((p) => {
    if (!appliesTo(p, type)) return false;
    try {
      return new RegExp(p.pattern).test(queue);
    } catch {
      return true;
    }
  });
  return matching.sort((a, b) => b.priority - a.priority)[0];
}

const integer = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);

interface LimitInputs {
  readonly details: QueueDetails;
  readonly policy?: { readonly name?: string; readonly definition: Record<string, unknown> };
  readonly operatorPolicy?: { readonly name?: string; readonly definition: Record<string, unknown> };
  readonly brokerVersion?: string;
}

/**
 * The delivery limit in force for a queue. Quorum queues take the lowest of the x-delivery-limit argument, the
 * policy's and the operator policy's delivery-limit; RabbitMQ 4 sets 20 when none is given. Other queue types do
 * not count deliveries.
 */
export function effectiveDeliveryLimit({ details, policy, operatorPolicy, brokerVersion }: LimitInputs): DeliveryLimit | undefined {
  if (details.type !== 'quorum') return undefined;
  const v4 = major(brokerVersion) >= 4;
  const candidates: { deliveries: number; source: DeliveryLimit['source']; policy?: string }[] = [];
  const add = (value: unknown, source: DeliveryLimit['source'], name?: string): void => {
    const deliveries = integer(value);
    if (deliveries !== undefined) candidates.push({ deliveries, source, ...(name ? { policy: name } : {}) });
  };
  add(details.arguments['x-delivery-limit'], 'argument');
  add(policy?.definition['delivery-limit'], 'policy', policy?.name);
  add(operatorPolicy?.definition['delivery-limit'], 'operator policy', operatorPolicy?.name);
  // A negative limit means none (RabbitMQ 4 documents -1; 3.x never counts below zero).
  const set = candidates.filter((c) => c.deliveries >= 0).sort((a, b) => a.deliveries - b.deliveries)[0];
  const chosen = set ?? (v4 && candidates.length === 0 ? { deliveries: RABBITMQ_4_DEFAULT_LIMIT, source: 'default' as const } : undefined);
  if (!chosen) return undefined;
  const dlx = details.arguments['x-dead-letter-exchange'] ?? policy?.definition['dead-letter-exchange'] ?? operatorPolicy?.definition['dead-letter-exchange'];
  return { ...chosen, ...(typeof dlx === 'string' ? { deadLetterExchange: dlx } : {}) };
}

/** Reads a queue's type, arguments and policies from the management API and works out whether requeues count. */
export async function requeueCounting(api: ManagementApi | undefined, vhost: string, queue: string, brokerVersion: string | undefined): Promise<RequeueCounting> {
  if (!api) return { known: false, reason: 'no management API is configured, so the queue\'s type and policies cannot be read' };
  const details = await api.queue(vhost, queue);
  if (!details) return { known: false, reason: `the management API does not list queue "${queue}"` };
  const version = brokerVersion ? { brokerVersion } : {};
  if (details.applied) {
    // The merged definition already holds the lower of the policy's and the operator policy's value.
    const { policy, definition } = details.applied;
    const limit = effectiveDeliveryLimit({ details, policy: { ...(policy ? { name: policy } : {}), definition }, ...version });
    return { known: true, queue, type: details.type, ...(limit ? { limit } : {}) };
  }
  // Statistics not in yet (a queue declared moments ago): match the policies as the broker does.
  const [policies, operatorPolicies] = await Promise.all([api.policies(vhost, 'policies'), api.policies(vhost, 'operator-policies')]);
  const policy = policyFor(policies, queue, details.type);
  const operatorPolicy = policyFor(operatorPolicies, queue, details.type);
  const limit = effectiveDeliveryLimit({ details, ...(policy ? { policy } : {}), ...(operatorPolicy ? { operatorPolicy } : {}), ...version });
  return { known: true, queue, type: details.type, ...(limit ? { limit } : {}) };
}
