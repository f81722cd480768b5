import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import type { MySqlSession } from '../../src/drivers/mysql';
import { planSteps, PlanStep } from '../../src/drivers/mysql/explainPlan';
import { isDriverError } from '../../src/drivers/errors';
import { startMariaDb, MariaDbService } from '../services/mariadb';
import { mariaDbSession } from './mariaDbSession';
import { eventually } from '../eventually';

/**
 * EXPLAIN as a tree and the server's own views (process list with kill, status, variables, users and grants) against
 * a private MariaDB: plans of joins and subqueries, a full scan marked costly, a sleeping query killed from another
 * connection, and read-only connections refusing kills, writes' EXPLAIN and ANALYZE of writes.
 */

const root = mkdtempSync(join(tmpdir(), 'switchboard-views-'));
let db: MariaDbService;
let raw: Connection;
let writable: MySqlSession;
let readOnly: MySqlSession;

const connect = (readOnlyProfile: boolean): Promise<MySqlSession> => mariaDbSession(db, readOnlyProfile);

before(async () => {
  db = await startMariaDb(root, 'views', 'views-secret', 'shop');
  raw = await createConnection({ host: '127.0.0.1', port: db.port, user: db.user, password: db.password, database: db.database, multipleStatements: true });
  await raw.query(`CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40), city VARCHAR(40));
    CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, total INT, note VARCHAR(40), KEY by_customer (customer_id));
    INSERT INTO customers SELECT seq, CONCAT('c', seq), IF(seq % 7 = 0, 'Oslo', 'Lima') FROM seq_1_to_3000;
    INSERT INTO orders SELECT seq, 1 + seq % 3000, seq % 500, CONCAT('n', seq) FROM seq_1_to_6000;
    ANALYZE TABLE customers, orders;`);
  writable = await connect(false);
  readOnly = await connect(true);
});

after(async () => {
  await writable?.close();
  await readOnly?.close();
  await raw?.end();
  await db?.stop();
  rmSync(root, { recursive: true, force: true });
});

const tables = (plan: PlanStep): PlanStep[] => planSteps(plan).filter((s) => s.table !== undefined);
const step = (plan: PlanStep, table: string): PlanStep => {
  const found = tables(plan).find((s) => s.table === table);
  assert.ok(found, `no step for ${table} in ${JSON.stringify(plan)}`);
  return found;
};

test('EXPLAIN of a join: each table a step with its access type, key, rows and filtered; the full scan is marked costly', async () => {
  const { plan, sent, reads } = await writable.explain('SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.city = \'Oslo\';', undefined, 'explain');
  assert.equal(sent, 'EXPLAIN FORMAT=JSON SELECT c.name, o.total FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.city = \'Oslo\'');
  assert.equal(reads, true);
  const customers = step(plan, 'c');
  assert.equal(customers.access, 'ALL');
  assert.ok((customers.rows ?? 0) >= 2000, `rows ${customers.rows}`);
  assert.equal(typeof customers.filtered, 'number');
  assert.match(customers.costly.join(), /full table scan of ~[\d,]+ rows of c/);
  const orders = step(plan, 'o');
  assert.equal(orders.access, 'ref');
  assert.equal(orders.key, 'by_customer');
  assert.deepEqual(orders.costly, [], 'an index lookup is not costly');
});

test('EXPLAIN of subqueries and of a sort: the subquery is its own block, filesort and temporary tables are marked', async () => {
  const { plan } = await writable.explain('SELECT name, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS n FROM customers c WHERE c.id IN (SELECT customer_id FROM orders WHERE total > 490) ORDER BY name', 'shop', 'explain');
  const blocks = planSteps(plan).filter((s) => /^Query block #\d/.test(s.label));
  assert.ok(blocks.length >= 2, `blocks: ${blocks.map((b) => b.label).join(', ')}`);
  assert.ok(tables(plan).some((s) => s.table === 'o' && s.key === 'by_customer'), 'the correlated subquery looks orders up by customer');
  assert.ok(planSteps(plan).some((s) => s.costly.includes('Using filesort')), JSON.stringify(plan));
  const grouped = await writable.explain('SELECT note, COUNT(*) FROM orders GROUP BY note ORDER BY COUNT(*) DESC', 'shop', 'explain');
  assert.ok(planSteps(grouped.plan).some((s) => s.costly.includes('Using temporary')), JSON.stringify(grouped.plan));
});

test('ANALYZE FORMAT=JSON measures rows and time; ANALYZE of a write needs confirming and is rolled back', async () => {
  const analyzed = await writable.explain('SELECT * FROM customers WHERE city = \'Oslo\'', 'shop', 'analyze');
  assert.match(analyzed.sent, /^ANALYZE FORMAT=JSON /);
  const customers = step(analyzed.plan, 'customers');
  assert.equal(customers.actualRows, 3000);
  assert.equal(typeof customers.actualMs, 'number');
  const write = 'DELETE FROM orders WHERE total < 100';
  assert.deepEqual({ ...(await writable.explainVerdict(write)), reason: undefined }, { explainable: true, reads: false, reason: undefined, analyzable: true, mariadb: true });
  await assert.rejects(writable.explain(write, 'shop', 'analyze'), (e: unknown) => isDriverError(e) && /confirmed/.test(e.message));
  const deleted = await writable.explain(write, 'shop', 'analyze', true);
  assert.equal(deleted.rolledBack, true);
  assert.ok((step(deleted.plan, 'orders').actualRows ?? 0) > 0);
  const [count] = await raw.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM orders');
  assert.equal(Number(count[0]?.['n']), 6000, 'the DELETE was rolled back');
});

test('read-only: reads are explained and analyzed, writes are refused even confirmed; other statements are not explained', async () => {
  assert.equal(tables((await readOnly.explain('SELECT * FROM orders WHERE id = 5', 'shop', 'explain')).plan)[0]?.access, 'const');
  assert.ok((await readOnly.explain('SELECT COUNT(*) FROM orders', 'shop', 'analyze')).plan);
  for (const mode of ['explain', 'analyze'] as const) {
    await assert.rejects(readOnly.explain('UPDATE orders SET total = 0', 'shop', mode, true), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  }
  await assert.rejects(readOnly.explain('SELECT * FROM orders FOR UPDATE', 'shop', 'analyze', true), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  await assert.rejects(writable.explain('DROP TABLE orders', 'shop', 'explain'), (e: unknown) => isDriverError(e) && e.code === 'config');
  await assert.rejects(writable.explain('SELECT 1; DELETE FROM orders', 'shop', 'explain'), (e: unknown) => isDriverError(e) && /more than one/.test(e.message));
});

test('process list: a sleeping query on another connection is listed, its query killed, then its connection; read-only refuses', async () => {
  const sleeper = await createConnection({ host: '127.0.0.1', port: db.port, user: db.user, password: db.password, database: db.database });
  try {
    const sleeping = sleeper.query<RowDataPacket[]>('SELECT SLEEP(30) AS slept').then(() => 'finished', (error: unknown) => (error instanceof Error && 'code' in error ? String(error.code) : 'failed'));
    const id = sleeper.threadId;
    const listed = await eventually('the sleeping query to be listed', async () =>
      (await writable.server.processes()).find((p) => p.id === id && p.info === 'SELECT SLEEP(30) AS slept'), 10_000);
    assert.equal(listed.command, 'Query');
    assert.equal(listed.user, 'views');
    assert.equal(listed.db, 'shop');
    assert.equal(listed.own, false);
    assert.ok((await writable.server.processes()).some((p) => p.own), 'the reading connection is marked as our own');
    await assert.rejects(readOnly.server.kill(id, 'query'), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
    assert.ok((await readOnly.server.processes()).some((p) => p.id === id), 'read-only connections read the list');
    assert.equal(await writable.server.kill(id, 'query'), true);
    // The statement is interrupted; its connection stays.
    assert.equal(await sleeping, 'ER_QUERY_INTERRUPTED');
    await eventually('its connection to be idle', async () => (await writable.server.processes()).find((p) => p.id === id)?.command === 'Sleep', 10_000);
    await assert.rejects(readOnly.server.kill(id, 'connection'), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
    assert.equal(await writable.server.kill(id, 'connection'), true);
    await eventually('its connection to leave the list', async () => !(await writable.server.processes()).some((p) => p.id === id), 10_000);
    assert.equal(await writable.server.kill(id, 'connection'), false, 'a connection that has gone is told apart');
  } finally {
    sleeper.destroy();
  }
});

test('status, variables, users and grants are read, also on read-only connections; the tree shows them under Server', async () => {
  for (const session of [writable, readOnly]) {
    const status = new Map(await session.server.serverValues('status'));
    assert.ok(Number(status.get('Uptime')) >= 0);
    assert.ok(status.has('Threads_connected'));
    const variables = new Map(await session.server.serverValues('variables'));
    assert.equal(variables.get('port'), String(db.port));
  }
  const top = await writable.children();
  assert.deepEqual(top.at(-1)?.place, { kind: 'mysql', of: 'server' }, 'the Server row comes after the databases');
  assert.deepEqual(top[0]?.place, { kind: 'mysql', of: 'db', db: 'shop' }, 'the connection\'s database still comes first');
  const views = await writable.children(top.at(-1));
  assert.deepEqual(views.map((v) => (v.place.of === 'serverView' ? v.place.view : v.place.of)), ['processes', 'status', 'variables', 'users']);
  const users = await writable.children(views[3]);
  const me = users.find((u) => u.place.of === 'user' && u.place.user === 'views');
  assert.ok(me, JSON.stringify(users));
  const grants = await writable.children(me);
  assert.ok(grants.some((g) => /^GRANT .* TO `views`@/.test(g.label)), JSON.stringify(grants));
});
