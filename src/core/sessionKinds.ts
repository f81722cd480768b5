import type { MemcachedSession } from '../drivers/memcached';
import type { MySqlSession } from '../drivers/mysql';
import type { RabbitMqSession } from '../drivers/rabbitmq';
import type { RedisSession } from '../drivers/redis';
import type { SshSession } from '../drivers/ssh';
import { Kind, Session } from '../drivers/types';

/** The session each kind's driver hands out (types only: no driver bundle is loaded by naming them). */
export interface SessionsByKind {
  readonly redis: RedisSession;
  readonly memcached: MemcachedSession;
  readonly rabbitmq: RabbitMqSession;
  readonly mysql: MySqlSession;
  readonly ssh: SshSession;
}

function isKind<K extends Kind>(session: Session, kind: K): session is SessionsByKind[K] {
  return session.kind === kind;
}

/** The session as its kind's own type, checked: a driver that handed out another kind's session is a bug, said so. */
export function sessionOfKind<K extends Kind>(session: Session, kind: K): SessionsByKind[K] {
  if (!isKind(session, kind)) throw new Error(`Switchboard bug: a ${kind} connection was given a ${session.kind} session.`);
  return session;
}
