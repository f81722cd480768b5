import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { mappingByHeader, MySqlSession, previewCsv } from '../../src/drivers/mysql';
import { isDriverError } from '../../src/drivers/errors';
import { need } from './env';
import { suiteMariaDbSession } from './mariaDbSession';

/**
 * CSV import on the real MariaDB: fields mapped by header, checked against the column types, inserted in one
 * transaction; a bad row in the middle (by the check, or refused by the server), a cancel and a read-only connection
 * all leave the table as it was.
 */

const DB = 'sb_csv';
let raw: Connection;
let session: MySqlSession;
let readOnly: MySqlSession;
let dir: string;

const connect = (ro: boolean): Promise<MySqlSession> => suiteMariaDbSession(DB, ro);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-csv-'));
  raw = await createConnection({ uri: need('MYSQL_URL'), multipleStatements: true, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, charset: 'utf8mb4' });
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB} CHARACTER SET utf8mb4; USE ${DB};
    CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL, born DATE NULL, score DECIMAL(5,2), tags SET('a','b'), data VARBINARY(10), note TEXT NULL, flags BIT(4), twice INT AS (id * 2));
    INSERT INTO people (id, name) VALUES (1, 'existing');`);
  session = await connect(false);
  readOnly = await connect(true);
});

after(async () => {
  await session.close();
  await readOnly.close();
  await raw.query(`DROP DATABASE IF EXISTS ${DB}`);
  await raw.end();
  rmSync(dir, { recursive: true, force: true });
});

async function people(): Promise<unknown[][]> {
  const [rows] = await raw.query<RowDataPacket[][]>({ sql: `SELECT id, name, born, score, tags, HEX(data), note, flags + 0, twice FROM ${DB}.people ORDER BY id`, rowsAsArray: true });
  return rows;
}

const plan = async (file: string): Promise<{ database: string; table: string; file: string; header: true; mapping: { column: string; field: number }[] }> => {
  const [header = []] = await previewCsv(file);
  return { database: DB, table: 'people', file, header: true, mapping: mappingByHeader(header, (await session.schema(DB)).find((t) => t.name === 'people')!.columns) };
};

test('a CSV maps to columns by its header and goes in with quotes, commas, newlines, NULL and "" told apart', async () => {
  const file = join(dir, 'good.csv');
  writeFileSync(file, '\uFEFFNote,ID,name,born,score,tags,data,flags,twice,unknown\r\n'
    + '"says ""hi"", twice\r\non two lines",2,Zoë 😀,2024-02-29,-123.45,"a,b",0x00ff27,9,,x\r\n'
    + ',3,"",,,,,,,\r\n'
    + '"",4,O\'B \\ x,1999-12-31,0.5,,0x,0,,\r\n');
  const mapped = await plan(file);
  assert.deepEqual(mapped.mapping, [
    { column: 'note', field: 0 }, { column: 'id', field: 1 }, { column: 'name', field: 2 }, { column: 'born', field: 3 }, { column: 'score', field: 4 },
    { column: 'tags', field: 5 }, { column: 'data', field: 6 }, { column: 'flags', field: 7 },
  ]);
  const progress: number[] = [];
  assert.deepEqual(await session.importCsv(mapped, { onProgress: (rows) => progress.push(rows) }), { rows: 3 });
  assert.deepEqual(progress, [3]);
  assert.deepEqual(await people(), [
    [1, 'existing', null, null, null, null, null, null, 2],
    [2, 'Zoë 😀', '2024-02-29', '-123.45', 'a,b', '00FF27', 'says "hi", twice\r\non two lines', 9, 4],
    [3, '', null, null, null, null, null, null, 6],
    [4, "O'B \\ x", '1999-12-31', '0.50', null, '', '', 0, 8],
  ]);
  await raw.query(`DELETE FROM ${DB}.people WHERE id > 1`);
});

test('a bad row in the middle is named by its line and reason, and the rows before it are not kept', async () => {
  const before = await people();
  const lines = ['id,name,born'];
  for (let i = 10; i < 2500; i++) lines.push(`${i},n${i},${i === 1800 ? '2023-02-30' : '2020-01-01'}`);
  const file = join(dir, 'bad-date.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await assert.rejects(session.importCsv(await plan(file), {}), (e: unknown) => {
    assert.ok(isDriverError(e));
    assert.equal(e.code, 'config');
    assert.match(e.message, /^Line 1792, column `born`: "2023-02-30" is not a date \(YYYY-MM-DD\)\. Nothing was imported\.$/);
    return true;
  });
  assert.deepEqual(await people(), before);
  // Too long for VARCHAR(10), a NULL for a NOT NULL column: each named.
  writeFileSync(file, 'id,name\n10,ok\n11,much too long a name\n');
  await assert.rejects(session.importCsv(await plan(file), {}), /^DriverError: Line 3, column `name`: "much too long a name" is longer than varchar\(10\)/);
  writeFileSync(file, 'id,name\n10,\n');
  await assert.rejects(session.importCsv(await plan(file), {}), /Line 2, column `name`: name does not take NULL/);
  assert.deepEqual(await people(), before);
});

test('a row the server refuses (a duplicate key) is found and named by its line, and nothing is kept', async () => {
  const before = await people();
  const lines = ['id,name'];
  for (let i = 10; i < 1500; i++) lines.push(`${i},n${i}`);
  lines.push('1,duplicate');
  const file = join(dir, 'duplicate.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await assert.rejects(session.importCsv(await plan(file), {}), (e: unknown) => isDriverError(e) && e.code === 'server' && /^Line 1492: the server refused the row: Duplicate entry '1'/.test(e.message));
  assert.deepEqual(await people(), before);
});

test('a cancelled import rolls back, and a read-only connection refuses before reading the file', async () => {
  const before = await people();
  const lines = ['id,name'];
  for (let i = 10; i < 5000; i++) lines.push(`${i},n${i}`);
  const file = join(dir, 'many.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const controller = new AbortController();
  await assert.rejects(session.importCsv(await plan(file), { signal: controller.signal, onProgress: () => controller.abort() }), (e: unknown) => isDriverError(e) && e.code === 'cancelled');
  assert.deepEqual(await people(), before);
  await assert.rejects(readOnly.importCsv(await plan(file), {}), (e: unknown) => isDriverError(e) && e.code === 'readOnly');
  assert.deepEqual(await people(), before);
  // The same file goes in whole when nothing stops it.
  assert.deepEqual(await session.importCsv(await plan(file), {}), { rows: 4990 });
  await raw.query(`DELETE FROM ${DB}.people WHERE id > 1`);
});
