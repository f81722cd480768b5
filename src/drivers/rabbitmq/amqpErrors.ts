import { DriverError, isDriverError, messageOf } from '../errors';

/** "inequivalent arg 'durable' for queue 'orders' in vhost '/': received 'true' but current is 'false'" */
const INEQUIVALENT = /inequivalent arg '([^']+)' for (queue|exchange) '([^']*)' in vhost '([^']*)': received (.+?) but current is (.+)$/;

const PROPERTY_NAMES: Record<string, string> = {
  durable: 'durable', auto_delete: 'auto-delete', type: 'type', internal: 'internal', exclusive: 'exclusive',
  'x-message-ttl': 'message TTL', 'x-max-length': 'max length', 'x-dead-letter-exchange': 'dead-letter exchange',
  'x-dead-letter-routing-key': 'dead-letter routing key', 'x-queue-type': 'queue type', 'x-expires': 'expiry',
  'x-max-priority': 'max priority', 'x-overflow': 'overflow',
};

/**
 * A channel error from the broker as a message that says what to do. The channel that raised it is closed by the
 * broker; callers open a fresh one for the next operation, so the session itself carries on.
 */
export function amqpError(error: unknown, action: string, endpoint?: string): Error {
  if (isDriverError(error)) return error;
  const text = messageOf(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? Number(error.code) : 0;
  const reason = /with message "([^"]*)"/.exec(text)?.[1] ?? text;
  if (code === 406 || /PRECONDITION_FAILED/.test(text)) {
    const diff = INEQUIVALENT.exec(reason);
    if (diff) {
      const [, arg = '', what = '', name = '', vhost = '', received = '', current = ''] = diff;
      const property = PROPERTY_NAMES[arg] ?? arg;
      return new DriverError('config', `${action}: ${what} "${name}" already exists in vhost "${vhost}" with ${property} = ${current.replace(/^'|'$/g, '')}, but ${received.replace(/^'|'$/g, '')} was asked for (PRECONDITION_FAILED).`,
        'Declare it with the same properties, or delete it first (a queue\'s messages go with it).');
    }
    return new DriverError('config', `${action}: the broker refused (PRECONDITION_FAILED): ${reason}.`, 'Check the properties against the existing queue or exchange.');
  }
  if (code === 404 || /NOT_FOUND/.test(text)) return new DriverError('config', `${action}: ${reason.replace(/^NOT_FOUND - /, '')} (NOT_FOUND).`, 'Refresh the tree: it may have been deleted.');
  if (code === 403 || /ACCESS_REFUSED/.test(text)) return new DriverError('auth', `${action}: access refused (${reason.replace(/^ACCESS_REFUSED - /, '')}).`, 'The user needs configure, write or read permission on this vhost for it.');
  if (code === 405 || /RESOURCE_LOCKED/.test(text)) return new DriverError('config', `${action}: ${reason.replace(/^RESOURCE_LOCKED - /, '')} (RESOURCE_LOCKED).`, 'An exclusive queue belongs to the connection that declared it.');
  if (/Connection closed|Channel ended|IllegalOperation|closed/i.test(text)) return new DriverError('closed', `${action}: the connection to RabbitMQ${endpoint ? ` at ${endpoint}` : ''} was lost (${reason}).`, 'It reconnects on its own; try again in a moment.');
  return new DriverError('server', `${action}: ${reason}`, undefined, { cause: error });
}
