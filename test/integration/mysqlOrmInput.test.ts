import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import type { OrmQuery } from '../../src/drivers/mysql/ormShapes';
import { MySqlProfile } from '../../src/drivers/types';
import { startMariaDb, MariaDbService } from '../services/mariadb';
import { pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * ORM builder queries as a compromised webview could send them: every function name, model, attribute, association,
 * operator and number is checked by the driver against allow-lists and the live models before any SQL is built; a
 * refused query reaches neither the preview nor the server. On a server whose sql_mode is NO_BACKSLASH_ESCAPES, a
 * value with a backslash and a quote stays one value.
 */

const root = mkdtempSync(join(tmpdir(), 'switchboard-orm-input-'));
let db: MariaDbService;
let session: MySqlSession;

before(async () => {
  db = await startMariaDb(root, 'orm', 'orm-secret', 'orm');
  await db.sql(`SET GLOBAL sql_mode = 'NO_BACKSLASH_ESCAPES';
    CREATE TABLE orm.users (id INT PRIMARY KEY, name VARCHAR(40), secret VARCHAR(40));
    CREATE TABLE orm.posts (id INT PRIMARY KEY, author_id INT, title VARCHAR(40), FOREIGN KEY (author_id) REFERENCES orm.users(id));
    INSERT INTO orm.users VALUES (1, 'Ada', 's1'), (2, 'Grace', 's2');
    INSERT INTO orm.posts VALUES (1, 1, 'Notes');`);
  const profile: MySqlProfile = { id: 'o', name: 'orm', kind: 'mysql', host: '127.0.0.1', port: db.port, username: db.user, database: db.database, tls: false, readOnly: false };
  session = await driver.connect(profile, { secrets: { password: db.password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
});

after(async () => {
  await session.close();
  await db.stop();
  rmSync(root, { recursive: true, force: true });
});

const base: OrmQuery = { model: 'User', method: 'findAll', combine: 'and', where: [] };

/** What a webview could post instead of what its controls build; JSON-parsed, as a message would arrive. */
const HOSTILE: readonly [string, string][] = [
  ['an aggregate function that is not an aggregate', JSON.stringify({ ...base, aggregates: [{ fn: 'SLEEP', attribute: 'id', as: 'x' }] })],
  ['SQL in the aggregate function', JSON.stringify({ ...base, aggregates: [{ fn: '(SELECT GROUP_CONCAT(secret) FROM users) OR COUNT', attribute: 'id', as: 'x' }] })],
  ['a lower-case spelling outside the list', JSON.stringify({ ...base, aggregates: [{ fn: 'count) FROM users; --', attribute: 'id', as: 'x' }] })],
  ['SUM(*)', JSON.stringify({ ...base, aggregates: [{ fn: 'SUM', attribute: '*', as: 'x' }] })],
  ['an aggregate name with a backtick', JSON.stringify({ ...base, aggregates: [{ fn: 'COUNT', attribute: 'id', as: 'x` FROM users; --' }] })],
  ['an attribute that is not a column', JSON.stringify({ ...base, attributes: ['id', 'name` FROM users; --'] })],
  ['an aggregate over an unknown attribute', JSON.stringify({ ...base, aggregates: [{ fn: 'MAX', attribute: 'secret) FROM users UNION SELECT (1', as: 'x' }] })],
  ['a condition on an unknown attribute', JSON.stringify({ ...base, where: [{ attribute: 'id` = 1 OR `id', op: 'eq', value: '1' }] })],
  ['a condition through an association that does not exist', JSON.stringify({ ...base, where: [{ attribute: 'nope.title', op: 'eq', value: '1' }] })],
  ['an unknown operator', JSON.stringify({ ...base, where: [{ attribute: 'id', op: 'raw', value: '1' }] })],
  ['a condition value that is an object', JSON.stringify({ ...base, where: [{ attribute: 'id', op: 'eq', value: { gt: 0 } }] })],
  ['an order by an unknown attribute', JSON.stringify({ ...base, order: [{ attribute: 'RAND()', direction: 'ASC' }] })],
  ['an order direction that is SQL', JSON.stringify({ ...base, order: [{ attribute: 'id', direction: 'ASC, SLEEP(1)' }] })],
  ['a grouping by SQL', JSON.stringify({ ...base, group: ['id` WITH ROLLUP; --'] })],
  ['a limit that is text', JSON.stringify({ ...base, limit: '1; DROP TABLE users' })],
  ['a negative offset', JSON.stringify({ ...base, offset: -1 })],
  ['an include of an unknown association', JSON.stringify({ ...base, include: [{ as: 'constructor' }] })],
  ['an included attribute that is not a column', JSON.stringify({ ...base, include: [{ as: 'posts', attributes: ['title`, (SELECT secret FROM users LIMIT 1) AS `x'] }] })],
  ['a method that changes data', JSON.stringify({ ...base, method: 'destroy' })],
  ['a model that is an object property', JSON.stringify({ ...base, model: '__proto__' })],
];

test('mysql orm: queries a webview could not have built are refused before any SQL is made, by preview and run alike', async () => {
  for (const [what, message] of HOSTILE) {
    const query = JSON.parse(message) as OrmQuery;
    for (const call of [() => session.previewOrm(db.database, query), () => session.runOrm(db.database, query)]) {
      await assert.rejects(call(), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'config', `${what}: ${error.message}`);
        assert.match(error.message, /refused|There is no model/, what);
        return true;
      }, what);
    }
  }
  // What the builder does send still runs.
  const counted = await session.runOrm(db.database, { ...base, aggregates: [{ fn: 'COUNT', attribute: '*', as: 'users' }], attributes: [] });
  assert.deepEqual(counted.rows, [['2']]);
  const joined = await session.runOrm(db.database, { ...base, where: [{ attribute: 'posts.title', op: 'eq', value: 'Notes' }], attributes: ['name'], include: [{ as: 'posts', attributes: ['title'], required: true }] });
  assert.deepEqual(joined.rows, [['Ada', '1 posts']]);
  assert.deepEqual(joined.nested[0]?.table.rows, [['Notes']]);
});

test('mysql orm: under NO_BACKSLASH_ESCAPES a value with a backslash and a quote matches itself, not every row', async () => {
  for (const value of ["x\\' OR 1=1 -- ", "x\\' OR '1'='1"]) {
    const result = await session.runOrm(db.database, { ...base, where: [{ attribute: 'name', op: 'eq', value }], attributes: ['id'] });
    assert.deepEqual(result.rows, [], `${value}: ${result.sql.join('; ')}`);
  }
});
