import { DriverError } from '../errors';

/** Every operation a RabbitMQ session offers, as the gate knows it. */
export type Operation =
  | 'describe' | 'browse' | 'names' | 'routingKeys' | 'queueCounts' | 'requeueCounting' | 'peek' | 'consumeManually'
  | 'declareExchange' | 'declareQueue' | 'deleteExchange' | 'deleteQueue' | 'bind' | 'unbind'
  | 'publish' | 'getAndAck' | 'getAndReject' | 'purge' | 'move' | 'replay' | 'consumeAcking' | 'consumeAutoAck' | 'tail' | 'rpc';

/**
 * What a read-only connection may do: read the broker's state and look at messages, handing each one back as it was.
 * Anything else is refused, whatever it is, including operations added later: a tail, for one, declares a queue and
 * binds it, and a binding changes where the broker routes.
 */
const READ_ONLY_ALLOWED: ReadonlySet<Operation> = new Set<Operation>(['describe', 'browse', 'names', 'routingKeys', 'queueCounts', 'requeueCounting', 'peek', 'consumeManually']);

/** The one gate every operation of a session passes: refuses on a read-only connection what the allow-list lacks. */
export function checkAccess(connection: { readonly name: string; readonly readOnly: boolean }, operation: Operation, action: string): void {
  if (connection.readOnly && !READ_ONLY_ALLOWED.has(operation)) {
    throw new DriverError('readOnly', `${action} refused: "${connection.name}" is a read-only connection.`, 'Only a writable connection changes queues, exchanges, bindings or messages.');
  }
}
