import assert from 'node:assert/strict';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import type { MySqlProfile } from '../../src/drivers/types';
import type { MariaDbService } from '../services/mariadb';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/** A session on a test file's own MariaDB, as a writable "dev" or a read-only "prod" connection. */
export async function mariaDbSession(db: MariaDbService, readOnly: boolean): Promise<MySqlSession> {
  const profile: MySqlProfile = { id: readOnly ? 'ro' : 'rw', name: readOnly ? 'prod (read-only)' : 'dev', kind: 'mysql', host: '127.0.0.1', port: db.port, username: db.user, database: db.database, tls: false, readOnly };
  const session = await driver.connect(profile, { secrets: { password: db.password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
  assert.ok(session instanceof MySqlSession);
  return session;
}

/** A session on the suite's MariaDB (MYSQL_URL) in `database`, as a writable "dev" or a read-only "prod" connection. */
export async function suiteMariaDbSession(database: string, readOnly: boolean): Promise<MySqlSession> {
  const url = new URL(need('MYSQL_URL'));
  const profile: MySqlProfile = { id: readOnly ? 'ro' : 'rw', name: readOnly ? 'prod' : 'dev', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database, tls: false, readOnly };
  const session = await driver.connect(profile, { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
  assert.ok(session instanceof MySqlSession);
  return session;
}
