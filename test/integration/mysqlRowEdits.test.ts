import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import type { Cell, ColumnInfo } from '../../src/drivers/mysql/resultShapes';
import { MySqlProfile } from '../../src/drivers/types';
import { startMariaDb, MariaDbService } from '../services/mariadb';
import { CollectedRows, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Grid edits on a private MariaDB under hostile sql_modes and hostile values, with a colleague changing the same rows
 * from another connection between the read and the save: each edit changes exactly the row it was shown, or nothing.
 */

const root = mkdtempSync(join(tmpdir(), 'switchboard-edits-'));
let db: MariaDbService;
let raw: Connection;

before(async () => {
  db = await startMariaDb(root, 'edits', 'edits-secret', 'edits');
  raw = await createConnection({ host: '127.0.0.1', port: db.port, user: db.user, password: db.password, database: db.database, multipleStatements: true, dateStrings: true });
});

after(async () => {
  await raw.end();
  await db.stop();
  rmSync(root, { recursive: true, force: true });
});

async function connect(sqlMode: string): Promise<MySqlSession> {
  await raw.query('SET GLOBAL sql_mode = ?', [sqlMode]);
  const profile: MySqlProfile = { id: 'e', name: 'edits', kind: 'mysql', host: '127.0.0.1', port: db.port, username: db.user, database: db.database, tls: false, readOnly: false };
  return await driver.connect(profile, { secrets: { password: db.password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
}

/** Reads rows through the grid's own path: what a user would be editing. */
async function read(session: MySqlSession, sql: string): Promise<{ columns: ColumnInfo[]; rows: Cell[][] }> {
  const runner = await session.openRun(db.database);
  try {
    const sink = new CollectedRows();
    const outcome = await runner.run({ text: sql, start: 0, end: sql.length, line: 0 }, sink, { maxRows: 1000 });
    assert.equal(outcome.error, undefined, outcome.error?.message);
    return { columns: sink.columnSets[0]!, rows: sink.cells()[0]! };
  } finally {
    runner.close();
  }
}

async function table(sql: string): Promise<RowDataPacket[]> {
  const [rows] = await raw.query<RowDataPacket[]>(sql);
  return rows;
}

const HOSTILE_KEY = "a\\' OR 1=1 -- ";

test('mysql edits: under NO_BACKSLASH_ESCAPES a primary key with a backslash and a quote deletes its own row only', async () => {
  await raw.query("DROP TABLE IF EXISTS keyed; CREATE TABLE keyed (k VARCHAR(40) PRIMARY KEY, v INT); INSERT INTO keyed VALUES (?, 1), ('b', 2), ('c', 3)", [HOSTILE_KEY]);
  const session = await connect('NO_BACKSLASH_ESCAPES');
  try {
    const { columns, rows } = await read(session, 'SELECT k, v FROM keyed ORDER BY v');
    const target = await session.editTarget(columns);
    assert.ok(target);
    const edit = { kind: 'delete' as const, row: 0, original: rows[0]! };
    assert.equal(await session.applyStatements(session.editStatements(target, [edit])), 1);
    assert.deepEqual((await table('SELECT k FROM keyed ORDER BY v')).map((r) => r['k']), ['b', 'c'], 'only the hostile row is gone');
  } finally {
    await session.close();
  }
});

test('mysql edits: hostile values (quotes, backslashes, NUL, multibyte, binary) are written and matched exactly under ANSI_QUOTES and NO_BACKSLASH_ESCAPES', async () => {
  await raw.query(`DROP TABLE IF EXISTS hostile; CREATE TABLE hostile (id INT PRIMARY KEY, t VARCHAR(100) COLLATE utf8mb4_general_ci, b VARBINARY(20), note TEXT) DEFAULT CHARSET=utf8mb4;
    INSERT INTO hostile VALUES (1, 'plain', X'00', 'n')`);
  const values = ["it's \"quoted\" \\ and \\' \\\" `tick` ?", 'NUL\0inside', 'Grüße 😀 中文 ‮', 'trailing   ', "'; DELETE FROM hostile; -- "];
  const bytes = Buffer.from([0x00, 0x27, 0x5c, 0x22, 0x60, 0xff, 0x0a]);
  for (const mode of ['ANSI_QUOTES,NO_BACKSLASH_ESCAPES', 'ANSI', '']) {
    const session = await connect(mode);
    try {
      for (const value of values) {
        const { columns, rows } = await read(session, 'SELECT id, t, b, note FROM hostile');
        const target = (await session.editTarget(columns))!;
        // The previous round's hostile value is now the original the edit must match.
        const edit = { kind: 'update' as const, row: 0, original: rows[0]!, values: { 1: value, 2: `0x${bytes.toString('hex')}`, 3: value } };
        assert.equal(await session.applyStatements(session.editStatements(target, [edit])), 1, `${mode}: ${JSON.stringify(value)}`);
        const [row] = await table('SELECT t, b, note FROM hostile WHERE id = 1');
        assert.deepEqual([row!['t'], Buffer.from(row!['b'] as Buffer), row!['note']], [value, bytes, value], `${mode}: ${JSON.stringify(value)}`);
      }
      assert.equal((await table('SELECT COUNT(*) n FROM hostile'))[0]!['n'], 1);
    } finally {
      await session.close();
    }
  }
});

test('mysql edits: a colleague\'s change to any column since the read makes the save roll back and name the row', async () => {
  await raw.query(`DROP TABLE IF EXISTS people; CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(40) COLLATE utf8mb4_general_ci, nick VARCHAR(40) NULL, score FLOAT, seen DATETIME(6), blob_ BLOB);
    INSERT INTO people VALUES (1, 'Ada', NULL, 1.1, '2024-01-02 03:04:05.123456', REPEAT(X'AB', 1000)), (2, 'Grace', 'g', 2.5, NULL, NULL), (3, 'Alan', 'a', 0.1, '0000-00-00 00:00:00', X'01')`);
  const session = await connect('');
  try {
    const changes: readonly [string, string][] = [
      ['another column', "UPDATE people SET nick = 'colleague' WHERE id = 1"],
      ['only the case, in a case-insensitive column', "UPDATE people SET name = 'ADA' WHERE id = 1"],
      ['only trailing spaces', "UPDATE people SET name = 'Ada ' WHERE id = 1"],
      ['the length of a long BLOB the grid only previewed', "UPDATE people SET blob_ = REPEAT(X'AB', 1001) WHERE id = 1"],
      ['a NULL to a value', "UPDATE people SET nick = '' WHERE id = 1"],
    ];
    for (const [what, colleague] of changes) {
      const { columns, rows } = await read(session, 'SELECT id, name, nick, score, seen, blob_ FROM people ORDER BY id');
      const target = (await session.editTarget(columns))!;
      const before = await table('SELECT * FROM people ORDER BY id');
      const prepared = session.editStatements(target, [
        { kind: 'update', row: 1, original: rows[1]!, values: { 2: 'mine' } },
        { kind: 'update', row: 0, original: rows[0]!, values: { 3: '9' } },
      ]);
      await raw.query(colleague);
      const seenByColleague = await table('SELECT * FROM people ORDER BY id');
      await assert.rejects(session.applyStatements(prepared), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'conflict', error.message);
        assert.match(error.message, /^Nothing was saved: row 1 \(id = 1\) no longer matches what was read/, what);
        return true;
      }, what);
      assert.deepEqual(await table('SELECT * FROM people ORDER BY id'), seenByColleague, `${what}: the colleague's change stands and the other edit was rolled back`);
      await raw.query('DELETE FROM people; INSERT INTO people VALUES ?', [before.map((r) => Object.values(r))]);
    }
    // A row deleted or changed meanwhile is not deleted.
    const { columns, rows } = await read(session, 'SELECT id, name, nick, score, seen, blob_ FROM people ORDER BY id');
    const target = (await session.editTarget(columns))!;
    const removal = session.editStatements(target, [{ kind: 'delete', row: 2, original: rows[2]! }]);
    await raw.query("UPDATE people SET nick = 'changed' WHERE id = 3");
    await assert.rejects(session.applyStatements(removal), /row 3 \(id = 3\) no longer matches/);
    assert.equal((await table('SELECT COUNT(*) n FROM people WHERE id = 3'))[0]!['n'], 1);
    // Unchanged rows save: FLOAT, DATETIME(6), a zero date, a previewed BLOB and NULLs all match as read.
    const fresh = await read(session, 'SELECT id, name, nick, score, seen, blob_ FROM people ORDER BY id');
    const all = session.editStatements(target, fresh.rows.map((row, i) => ({ kind: 'update' as const, row: i, original: row, values: { 1: `${row[1]}!` } })));
    assert.equal(await session.applyStatements(all), 3);
    assert.deepEqual((await table('SELECT name FROM people ORDER BY id')).map((r) => r['name']), ['Ada!', 'Grace!', 'Alan!']);
  } finally {
    await session.close();
  }
});

test('mysql edits: a column read under an alias is written to the column it came from', async () => {
  await raw.query("DROP TABLE IF EXISTS aliased; CREATE TABLE aliased (id INT PRIMARY KEY, name VARCHAR(20), email VARCHAR(40)); INSERT INTO aliased VALUES (1, 'Ada', 'ada@example.com')");
  const session = await connect('');
  try {
    const { columns, rows } = await read(session, 'SELECT id, email AS name FROM aliased');
    const target = (await session.editTarget(columns))!;
    const edit = { kind: 'update' as const, row: 0, original: rows[0]!, values: { 1: 'new@example.com' } };
    await session.applyStatements(session.editStatements(target, [edit]));
    assert.deepEqual({ ...(await table('SELECT name, email FROM aliased'))[0] }, { name: 'Ada', email: 'new@example.com' });
  } finally {
    await session.close();
  }
});
