import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { MySqlSession, PageQuery, TableLayout } from '../../src/drivers/mysql';
import type { Cell } from '../../src/drivers/mysql/resultShapes';
import { need } from './env';
import { suiteMariaDbSession } from './mariaDbSession';

/**
 * The table data view's reads on the real MariaDB: pages by key that join up exactly (integer, text with a
 * case-insensitive collation, composite keys), sorting with ties, OFFSET where there is no usable key, and a WHERE
 * filter that stays a plain read whatever is typed into it, on writable and read-only connections alike.
 */

const DB = 'sb_tabledata';
let raw: Connection;
let session: MySqlSession;
let readOnly: MySqlSession;

const connect = (ro: boolean): Promise<MySqlSession> => suiteMariaDbSession(DB, ro);

before(async () => {
  raw = await createConnection({ uri: need('MYSQL_URL'), multipleStatements: true });
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}; USE ${DB};
    CREATE TABLE nums (id INT PRIMARY KEY, grp INT NOT NULL, label VARCHAR(20) NULL);
    INSERT INTO nums SELECT seq, seq % 7, IF(seq % 5 = 0, NULL, CONCAT('n', seq)) FROM seq_1_to_2500;
    CREATE TABLE words (w VARCHAR(20) COLLATE utf8mb4_general_ci PRIMARY KEY, n INT);
    INSERT INTO words VALUES ('apple', 1), ('Banana', 2), ('cherry', 3), ('Damson', 4), ('elder', 5), ('Fig', 6), ('grape', 7);
    CREATE TABLE pairs (a INT, b VARCHAR(5), v INT, PRIMARY KEY (a, b));
    INSERT INTO pairs SELECT s.seq, x.b, s.seq * 10 FROM seq_1_to_4 s, (SELECT 'x' b UNION SELECT 'y' UNION SELECT 'z') x;
    CREATE TABLE nokey (v INT);
    INSERT INTO nokey SELECT seq FROM seq_1_to_25;
    CREATE TABLE writes (id INT AUTO_INCREMENT PRIMARY KEY);
    CREATE FUNCTION sb_write() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO writes VALUES (NULL); RETURN 1; END;`);
  session = await connect(false);
  readOnly = await connect(true);
});

after(async () => {
  await session.close();
  await readOnly.close();
  await raw.query(`DROP DATABASE IF EXISTS ${DB}`);
  await raw.end();
});

const layoutOf = async (s: MySqlSession, table: string): Promise<TableLayout> => (await s.tableLayout(DB, table))!;
const cells = (page: { rows: { length: number; slice(a: number, b: number): Cell[][] } }): Cell[][] => page.rows.slice(0, page.rows.length);

/** Every row by walking the pages forwards (by key), and the same walking back from the last page. */
async function walk(s: MySqlSession, layout: TableLayout, query: PageQuery, size: number): Promise<{ forwards: Cell[][]; backwards: Cell[][]; keyset: boolean }> {
  const forwards: Cell[][] = [];
  let page = await s.readPage(layout, query, { kind: 'first' }, size);
  for (;;) {
    forwards.push(...cells(page));
    if (page.rows.length < size) break;
    page = await s.readPage(layout, query, { kind: 'after', row: cells(page).at(-1)! }, size);
    if (page.rows.length === 0) break;
  }
  const backwards: Cell[][] = [];
  page = await s.readPage(layout, query, { kind: 'last' }, size);
  for (;;) {
    backwards.unshift(...cells(page));
    if (page.rows.length < size) break;
    page = await s.readPage(layout, query, { kind: 'before', row: cells(page)[0]! }, size);
    if (page.rows.length === 0) break;
  }
  return { forwards, backwards, keyset: page.keyset };
}

test('pages by key join up exactly, forwards and backwards, for integer, case-insensitive text and composite keys', async () => {
  const [expectedNums] = await raw.query<RowDataPacket[]>(`SELECT id, grp, label FROM ${DB}.nums ORDER BY id`, undefined);
  const nums = await walk(session, await layoutOf(session, 'nums'), { filter: '' }, 300);
  assert.equal(nums.keyset, true);
  assert.deepEqual(nums.forwards.map((r) => r[0]), expectedNums.map((r) => String(r['id'])));
  assert.deepEqual(nums.backwards, nums.forwards);
  const words = await walk(session, await layoutOf(session, 'words'), { filter: '' }, 2);
  // The collation's order (case-insensitive), not the bytes' order.
  assert.deepEqual(words.forwards.map((r) => r[0]), ['apple', 'Banana', 'cherry', 'Damson', 'elder', 'Fig', 'grape']);
  assert.deepEqual(words.backwards, words.forwards);
  const pairs = await walk(session, await layoutOf(session, 'pairs'), { filter: '' }, 5);
  assert.deepEqual(pairs.forwards.map((r) => `${r[0]}${r[1]}`), ['1x', '1y', '1z', '2x', '2y', '2z', '3x', '3y', '3z', '4x', '4y', '4z']);
  assert.deepEqual(pairs.backwards, pairs.forwards);
});

test('sorting by a NOT NULL column with ties pages by (column, key); by a nullable one, by OFFSET', async () => {
  const layout = await layoutOf(session, 'nums');
  const byGroup = await walk(session, layout, { filter: 'id <= 100', sort: { column: 'grp', direction: 'DESC' } }, 30);
  assert.equal(byGroup.keyset, true);
  const expected = Array.from({ length: 100 }, (_, i) => i + 1).sort((x, y) => (y % 7) - (x % 7) || y - x).map(String);
  assert.deepEqual(byGroup.forwards.map((r) => r[0]), expected);
  assert.deepEqual(byGroup.backwards, byGroup.forwards);
  const first = await session.readPage(layout, { filter: '', sort: { column: 'label', direction: 'ASC' } }, { kind: 'first' }, 10);
  assert.equal(first.keyset, false);
  const second = await session.readPage(layout, { filter: '', sort: { column: 'label', direction: 'ASC' } }, { kind: 'offset', offset: 10 }, 10);
  assert.match(second.sql, /LIMIT 10 OFFSET 10$/);
  await assert.rejects(session.readPage(layout, { filter: '', sort: { column: 'label', direction: 'ASC' } }, { kind: 'after', row: cells(first).at(-1)! }, 10), /paged by row number/);
  const nokey = await session.readPage(await layoutOf(session, 'nokey'), { filter: '' }, { kind: 'offset', offset: 20 }, 10);
  assert.deepEqual(cells(nokey).map((r) => r[0]), ['21', '22', '23', '24', '25']);
});

test('a filter reads only what it matches; a foreign key match finds the row it names, bound as a value', async () => {
  const layout = await layoutOf(session, 'nums');
  const page = await session.readPage(layout, { filter: "label LIKE 'n1%' AND grp = 3" }, { kind: 'first' }, 1000);
  const [expected] = await raw.query<RowDataPacket[]>(`SELECT id FROM ${DB}.nums WHERE label LIKE 'n1%' AND grp = 3 ORDER BY id`);
  assert.deepEqual(cells(page).map((r) => r[0]), expected.map((r) => String(r['id'])));
  const hostileValue = "x' OR '1'='1";
  const none = await session.readPage(await layoutOf(session, 'words'), { filter: '', match: { columns: ['w'], values: [hostileValue] } }, { kind: 'first' }, 10);
  assert.equal(none.rows.length, 0, 'a value is bound, never part of the SQL');
  const one = await session.readPage(await layoutOf(session, 'words'), { filter: '', match: { columns: ['w'], values: ['Fig'] } }, { kind: 'first' }, 10);
  assert.deepEqual(cells(one), [['Fig', '6']]);
  const line = await session.readPage(layout, { filter: 'id = 7 -- a comment ends the line, not the statement' }, { kind: 'first' }, 10);
  assert.deepEqual(cells(line).map((r) => r[0]), ['7']);
});

test('whatever is typed into the filter, it stays one condition of a plain read, on writable and read-only connections', async () => {
  const refusals: [string, RegExp][] = [
    ['1) UNION SELECT w, n, NULL FROM words WHERE (1', /closes a parenthesis it did not open/],
    ['1=1; DROP TABLE nums', /semicolon/],
    ['(1=1', /leaves a parenthesis open/],
    ["id = 1 /*!) UNION SELECT 1,2,3 FROM words WHERE (1 */", /closes a parenthesis/],
    ["id = 1 AND GET_LOCK('sb', 0)", /GET_LOCK\(\) takes a user lock/],
    ["id IN (SELECT id FROM nums FOR UPDATE)", /locking read/],
    ["id = 1 INTO OUTFILE '/tmp/sb-filter'", /INTO OUTFILE writes a file/],
    ["label = 'unterminated", /cannot be read safely/],
    ['id = (SELECT NEXTVAL(s))', /advances a sequence/],
    ["id = 1 /*!99999 OR 1=1 */", /versioned comment/],
  ];
  for (const s of [session, readOnly]) {
    const layout = await layoutOf(s, 'nums');
    for (const [filter, why] of refusals) {
      await assert.rejects(s.readPage(layout, { filter }, { kind: 'first' }, 10), (error: Error) => {
        assert.match(error.message, /The filter was not applied/, filter);
        assert.match(error.message, why, filter);
        return true;
      });
    }
    // A stored function that writes passes the gate (it is a call in a read), and the READ ONLY transaction stops it.
    await assert.rejects(s.readPage(layout, { filter: 'sb_write() = 1' }, { kind: 'first' }, 10), /READ ONLY|read only|read-only/i);
  }
  const [writes] = await raw.query<RowDataPacket[]>(`SELECT COUNT(*) n FROM ${DB}.writes`);
  assert.equal(Number(writes[0]?.['n']), 0, 'nothing was written');
  // The same connection reads normally afterwards: no transaction or variable left behind.
  const after = await session.readPage(await layoutOf(session, 'words'), { filter: "w = 'apple'" }, { kind: 'first' }, 10);
  assert.deepEqual(cells(after), [['apple', '1']]);
});

test('a page\'s rows can be edited through the optimistic row edits (the page holds every column and the key)', async () => {
  const layout = await layoutOf(session, 'words');
  const page = await session.readPage(layout, { filter: '' }, { kind: 'first' }, 10);
  const target = await session.editTarget(page.columns);
  assert.ok(target, 'a page of a table with a primary key is editable');
  const row = cells(page).findIndex((r) => r[0] === 'cherry');
  const statements = session.editStatements(target, [{ kind: 'update', row, original: cells(page)[row]!, values: { 1: '33' } }, { kind: 'insert', values: { 0: 'kiwi', 1: null } }]);
  assert.equal(await session.applyStatements(statements), 2);
  const [now] = await raw.query<RowDataPacket[]>(`SELECT w, n FROM ${DB}.words WHERE w IN ('cherry', 'kiwi') ORDER BY w`);
  assert.deepEqual(now.map((r) => [r['w'], r['n']]), [['cherry', 33], ['kiwi', null]]);
  assert.equal(await readOnly.editTarget(page.columns).then((t) => t && readOnly.editStatements(t, [])).catch((e: Error) => e.message), 'Editing rows refused: "prod" is a read-only connection.');
});

test('an edit of a row a colleague changed since the page was read saves nothing, naming the row; read-only refuses in the driver', async () => {
  const layout = await layoutOf(session, 'words');
  const page = await session.readPage(layout, { filter: "w IN ('apple', 'grape')" }, { kind: 'first' }, 10);
  const target = (await session.editTarget(page.columns))!;
  const rows = cells(page);
  const apple = rows.findIndex((r) => r[0] === 'apple');
  const grape = rows.findIndex((r) => r[0] === 'grape');
  // Trailing spaces and case are changes too: the row is compared as it was read, every column.
  await raw.query(`UPDATE ${DB}.words SET w = 'Apple ' WHERE w = 'apple'`);
  const statements = session.editStatements(target, [
    { kind: 'update', row: grape, original: rows[grape]!, values: { 1: '70' } },
    { kind: 'update', row: apple, original: rows[apple]!, values: { 1: '10' } },
  ]);
  await assert.rejects(session.applyStatements(statements), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'conflict');
    assert.match(error.message, /Nothing was saved/);
    return true;
  });
  const [now] = await raw.query<RowDataPacket[]>(`SELECT w, n FROM ${DB}.words WHERE w IN ('apple', 'grape') ORDER BY n`);
  assert.deepEqual(now.map((r) => [r['w'], r['n']]), [['Apple ', 1], ['grape', 7]], 'the other edit was rolled back with it');
  const roPage = await readOnly.readPage(await layoutOf(readOnly, 'words'), { filter: "w = 'grape'" }, { kind: 'first' }, 10);
  const roTarget = (await readOnly.editTarget(roPage.columns))!;
  await assert.rejects(readOnly.applyStatements(session.editStatements(roTarget, [{ kind: 'update', row: 0, original: cells(roPage)[0]!, values: { 1: '1' } }])), /read-only connection/);
  const [still] = await raw.query<RowDataPacket[]>(`SELECT n FROM ${DB}.words WHERE w = 'grape'`);
  assert.equal(still[0]?.['n'], 7);
});

test('hostile names page, filter and sort as any other; rows inserted and deleted between pages are neither repeated nor skipped', async () => {
  await raw.query(`CREATE TABLE ${DB}.\`we\`\`ird tab\` (\`k\`\`ey\` VARCHAR(10) PRIMARY KEY, \`v al\` INT NOT NULL, \`--c\` TEXT);
    INSERT INTO ${DB}.\`we\`\`ird tab\` VALUES ('a''b', 3, '/*'), ('a\\\\b', 1, NULL), ('\`x', 2, '*/'), ('ü', 2, ''), ('a b', 5, '--');`);
  await session.forget(DB);
  const weird = await layoutOf(session, 'we`ird tab');
  const [expected] = await raw.query<RowDataPacket[]>(`SELECT \`k\`\`ey\` k FROM ${DB}.\`we\`\`ird tab\` ORDER BY \`v al\` DESC, \`k\`\`ey\` DESC`);
  const sorted = await walk(session, weird, { filter: '`v al` > 0', sort: { column: 'v al', direction: 'DESC' } }, 2);
  assert.equal(sorted.keyset, true);
  assert.deepEqual(sorted.forwards.map((r) => r[0]), expected.map((r) => r['k']));
  assert.deepEqual(sorted.backwards, sorted.forwards);
  const matched = await session.readPage(weird, { filter: '', match: { columns: ['k`ey'], values: ['`x'] } }, { kind: 'first' }, 10);
  assert.deepEqual(cells(matched), [['`x', '2', '*/']]);

  // Walking nums while a colleague deletes rows already shown and inserts before and after the page boundary.
  const layout = await layoutOf(session, 'nums');
  let page = await session.readPage(layout, { filter: '' }, { kind: 'first' }, 300);
  const seen = cells(page).map((r) => Number(r[0]));
  await raw.query(`DELETE FROM ${DB}.nums WHERE id <= 50 OR id = 301; INSERT INTO ${DB}.nums VALUES (0, 0, 'before'), (3000, 1, 'after')`);
  for (;;) {
    page = await session.readPage(layout, { filter: '' }, { kind: 'after', row: cells(page).at(-1)! }, 300);
    seen.push(...cells(page).map((r) => Number(r[0])));
    if (page.rows.length < 300) break;
  }
  assert.equal(new Set(seen).size, seen.length, 'no row twice');
  assert.ok(seen.every((id, i) => i === 0 || id > seen[i - 1]!), 'in key order');
  const [beyond] = await raw.query<RowDataPacket[]>(`SELECT id FROM ${DB}.nums WHERE id > 300 ORDER BY id`);
  assert.deepEqual(seen.filter((id) => id > 300), beyond.map((r) => Number(r['id'])), 'every row past the first page as it is now');
  await raw.query(`INSERT INTO ${DB}.nums SELECT seq, seq % 7, IF(seq % 5 = 0, NULL, CONCAT('n', seq)) FROM seq_1_to_50; INSERT INTO ${DB}.nums VALUES (301, 0, 'n301'); DELETE FROM ${DB}.nums WHERE id IN (0, 3000)`);
});
