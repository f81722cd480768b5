import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { MySqlSession, splitStatements } from '../../src/drivers/mysql';
import { isDriverError } from '../../src/drivers/errors';
import { startMariaDb, MariaDbService } from '../services/mariadb';
import { CollectedRows } from './env';
import { mariaDbSession } from './mariaDbSession';
import { eventually } from '../eventually';

/**
 * What EXPLAIN, ANALYZE and the pooled connections they borrow leave behind, against a private MariaDB: a plan read in
 * another database does not move later SQL there, ANALYZE does not keep what a rollback cannot undo (user locks, files)
 * and does not let a "read" write through a stored function, and a read-only connection stays read-only throughout.
 */

const root = mkdtempSync(join(tmpdir(), 'switchboard-explain-guards-'));
let db: MariaDbService;
let raw: Connection;
let writable: MySqlSession;
let readOnly: MySqlSession;

const connect = (readOnlyProfile: boolean): Promise<MySqlSession> => mariaDbSession(db, readOnlyProfile);

before(async () => {
  db = await startMariaDb(root, 'guards', 'guards-secret', 'shop');
  raw = await createConnection({ host: '127.0.0.1', port: db.port, user: db.user, password: db.password, database: db.database, multipleStatements: true });
  await raw.query(`CREATE TABLE place (name VARCHAR(20)); INSERT INTO place VALUES ('shop');
    CREATE DATABASE other; CREATE TABLE other.place (name VARCHAR(20)); INSERT INTO other.place VALUES ('other');
    CREATE TABLE audit (n INT) ENGINE=InnoDB; CREATE TABLE audit_myisam (n INT) ENGINE=MyISAM;
    CREATE FUNCTION bump() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO audit VALUES (1); RETURN 1; END;
    CREATE FUNCTION bump_myisam() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO audit_myisam VALUES (1); RETURN 1; END;`);
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

/** What `SELECT DATABASE(), name FROM place` answers in a SQL run that names no database (the connection's own). */
async function whereARunLands(session: MySqlSession): Promise<string[][]> {
  const run = await session.openRun(undefined);
  try {
    const rows = new CollectedRows();
    const [statement] = splitStatements('SELECT DATABASE(), name FROM place');
    const outcome = await run.run(statement!, rows, { maxRows: 10 });
    assert.equal(outcome.error, undefined, outcome.error?.message);
    return rows.cells()[0]!.map((row) => row.map(String));
  } finally {
    run.close();
  }
}

/** Waits until the server no longer lists connection `id`. */
async function eventuallyGone(id: number): Promise<void> {
  await eventually(`connection ${id} to leave the process list`, async () => {
    const [rows] = await raw.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
    return Number(rows[0]?.['n']) === 0;
  }, 10_000);
}

const count = async (table: string): Promise<number> => Number((await raw.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0][0]?.['n']);

test('EXPLAIN in another database does not move later SQL of the connection\'s own database there', async () => {
  for (const session of [writable, readOnly]) {
    await session.explain('SELECT * FROM place', 'other', 'explain');
    await session.explain('SELECT * FROM place', 'other', 'analyze');
    // The pool keeps one idle connection: every run below is offered the one EXPLAIN used.
    for (let i = 0; i < 3; i++) assert.deepEqual(await whereARunLands(session), [['shop', 'shop']], `run ${i} on ${session.readOnly ? 'read-only' : 'writable'}`);
  }
});

test('a SQL run that changed database with USE does not hand that database to the next run', async () => {
  const run = await writable.openRun(undefined);
  const [use] = splitStatements('USE other');
  assert.equal((await run.run(use!, new CollectedRows(), { maxRows: 10 })).error, undefined);
  run.close();
  assert.deepEqual(await whereARunLands(writable), [['shop', 'shop']]);
});

test('ANALYZE of a read that writes through a stored function: nothing is kept, confirmed or not, on either connection', async () => {
  for (const fn of ['bump', 'bump_myisam']) {
    for (const session of [writable, readOnly]) {
      const verdict = await session.explainVerdict(`SELECT ${fn}()`);
      assert.equal(verdict.reads, true, 'the gate cannot see into a stored function');
      await session.explain(`SELECT ${fn}()`, 'shop', 'analyze').catch((error: unknown) => assert.ok(isDriverError(error) || error instanceof Error));
    }
  }
  assert.equal(await count('audit'), 0, 'the InnoDB write of the function was kept');
  assert.equal(await count('audit_myisam'), 0, 'the MyISAM write of the function was kept');
});

test('ANALYZE refuses, even confirmed, what a rollback does not undo: user locks, files on the server, variables', async () => {
  const file = join(root, 'analyzed.txt');
  for (const sql of [`SELECT GET_LOCK('held', 0)`, `SELECT * FROM place INTO OUTFILE '${file}'`, 'SELECT name FROM place INTO @kept']) {
    const verdict = await writable.explainVerdict(sql);
    assert.equal(verdict.reads, false, sql);
    // Known before anything is asked: nobody is asked to confirm a run that is then refused.
    assert.equal(verdict.analyzable, false, sql);
    assert.match(verdict.analyzeReason ?? '', /rollback after it does not undo/, sql);
    await assert.rejects(writable.explain(sql, 'shop', 'analyze', false), (e: unknown) => isDriverError(e) && e.code === 'config' && /does not undo/.test(e.message), `${sql}: refused for what it is, not for want of a confirmation`);
    await assert.rejects(writable.explain(sql, 'shop', 'analyze', true), (e: unknown) => isDriverError(e) && e.code === 'config', sql);
    await assert.rejects(readOnly.explain(sql, 'shop', 'analyze', true), (e: unknown) => isDriverError(e) && e.code === 'readOnly', sql);
  }
  const [lock] = await raw.query<RowDataPacket[]>(`SELECT IS_FREE_LOCK('held') AS free`);
  assert.equal(Number(lock[0]?.['free']), 1, 'a pooled connection holds the user lock ANALYZE took');
  assert.equal(existsSync(file), false, 'ANALYZE wrote a file on the server');
  // EXPLAIN alone runs nothing: it is still offered for them.
  assert.ok((await writable.explain(`SELECT GET_LOCK('held', 0)`, 'shop', 'explain')).plan);
});

test('ANALYZE of a confirmed write is rolled back; executable comments and typed EXPLAIN prefixes do not get past the gate', async () => {
  const before = await count('place');
  const verdict = await writable.explainVerdict('DELETE FROM place');
  assert.deepEqual([verdict.reads, verdict.analyzable], [false, true], 'a write the rollback undoes may be analyzed once confirmed');
  const deleted = await writable.explain('DELETE FROM place', 'shop', 'analyze', true);
  assert.equal(deleted.rolledBack, true);
  assert.equal(await count('place'), before);
  for (const sql of ['SELECT 1 /*! , GET_LOCK(\'c\', 0) */', 'SELECT 1 /*!100000 , bump() */', 'EXPLAIN DELETE FROM place', 'ANALYZE DELETE FROM place', 'SET autocommit = 1', 'LOCK TABLES place WRITE', '/*! DELETE FROM place */']) {
    const verdict = await readOnly.explainVerdict(sql);
    assert.ok(!verdict.reads, `${sql}: ${JSON.stringify(verdict)}`);
    await assert.rejects(readOnly.explain(sql, 'shop', 'analyze', true), (e: unknown) => isDriverError(e), sql);
  }
  assert.equal(await count('place'), before);
});

test('KILL of Switchboard\'s own connection: reported, and the next operation runs on a new connection', async () => {
  const own = (await writable.server.processes()).find((p) => p.own);
  assert.ok(own);
  assert.equal(await writable.server.kill(own.id, 'connection'), true);
  await eventuallyGone(own.id);
  assert.ok((await writable.server.processes()).length > 0, 'the next operation did not get the killed connection');
  await assert.rejects(readOnly.server.kill(own.id, 'connection'), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
});

test('ANALYZE of a confirmed write whose connection is killed mid-run: nothing is kept, and the next ANALYZE runs', async () => {
  const before = await count('place');
  const running = writable.explain('DELETE FROM place WHERE SLEEP(5) = 0', 'shop', 'analyze', true);
  running.catch(() => undefined);
  const id = await eventually('the ANALYZE to show in the process list', async () => {
    const [rows] = await raw.query<RowDataPacket[]>("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ANALYZE FORMAT=JSON DELETE%'");
    const listed: unknown = rows[0]?.['id'];
    return listed === undefined ? undefined : Number(listed);
  }, 10_000);
  await raw.query(`KILL CONNECTION ${id}`);
  await assert.rejects(running);
  assert.equal(await count('place'), before, 'the DELETE of the dropped ANALYZE was kept');
  assert.ok((await writable.explain('DELETE FROM place', 'shop', 'analyze', true)).rolledBack);
  assert.equal(await count('place'), before);
});
