import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import { isDriverError } from '../../src/drivers/errors';
import { writeWholeFile } from '../../src/drivers/wholeFile';
import { MySqlProfile } from '../../src/drivers/types';
import { sessionOfKind } from '../../src/core/sessionKinds';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * A database with awkward data dumped as SQL and restored by the real `mariadb` client into fresh databases (one of
 * them with a session in NO_BACKSLASH_ESCAPES), every row compared; a cancelled dump leaves no file behind.
 */

const DB = 'sb_dump';
const RESTORED = 'sb_dump_restored';
const RESTORED_NBE = 'sb_dump_restored_nbe';
const WEIRD = 'we`ird \'t"able';
const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
let raw: Connection;
let session: MySqlSession;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-dump-'));
  raw = await createConnection({ uri: need('MYSQL_URL'), multipleStatements: true, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, charset: 'utf8mb4' });
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; DROP DATABASE IF EXISTS ${RESTORED}; DROP DATABASE IF EXISTS ${RESTORED_NBE};
    CREATE DATABASE ${DB} CHARACTER SET utf8mb4; CREATE DATABASE ${RESTORED}; CREATE DATABASE ${RESTORED_NBE}; USE ${DB};
    SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', SESSION time_zone = '+02:00';
    CREATE TABLE ${q(WEIRD)} (
      id INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(200) COMMENT 'it''s a \\\\ comment', t LONGTEXT, b VARBINARY(300), bl LONGBLOB, n INT NULL,
      d DATE, dt DATETIME(6), ts TIMESTAMP NULL DEFAULT NULL, tm TIME(3), y YEAR, j JSON, amount DECIMAL(40,12), f DOUBLE, fl FLOAT,
      bits BIT(12), e ENUM('a','b''c'), st SET('x','y'), big BIGINT UNSIGNED, neg BIGINT, g INT GENERATED ALWAYS AS (id * 2) VIRTUAL,
      latin VARCHAR(20) CHARACTER SET latin1, fixed CHAR(5) DEFAULT 'x\\\\y', bin BINARY(4)
    );
    CREATE TABLE a_child (id INT PRIMARY KEY, parent INT, FOREIGN KEY (parent) REFERENCES ${q(WEIRD)} (id));
    CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(100));
    INSERT INTO big SELECT seq, REPEAT(CHAR(65 + seq % 26), 100) FROM seq_1_to_30000;
    CREATE TABLE empty_one (id INT);
    CREATE VIEW zz_base AS SELECT id, s FROM ${q(WEIRD)} WHERE id > 0;
    CREATE VIEW a_view AS SELECT COUNT(*) AS c FROM zz_base;`);
  const all = Buffer.from(Array.from({ length: 256 }, (_v, i) => i));
  const rows: unknown[][] = [
    [0, 'zero id', '', Buffer.alloc(0), Buffer.alloc(0), 0, '0000-00-00', '0000-00-00 00:00:00.000000', null, '00:00:00', 0, '{}', '0', 0, 0, Buffer.from([0, 0]), 'a', '', '0', '0', 'plain', '', Buffer.from('ab\0\0')],
    [1, "it's \"quoted\" \\ back\\slash \\' \\\\", 'NUL\0byte, \r\n CRLF, \t tab, \x1a ctrl-z, emoji 😀🎉, 中文', all, Buffer.concat([all, all, all]), null,
      '2024-02-29', '2024-12-31 23:59:59.999999', '2024-03-31 01:30:00', '-838:59:59.000', 2155, '{"a": [1, 2.5, "x\\"y"], "big": 12345678901234567890}', '-1234567890123456789012345678.123456789012', 1.7976931348623157e308, -1.5e-7,
      Buffer.from([0x0f, 0xff]), "b'c", 'x,y', '18446744073709551615', '-9223372036854775808', 'café ÿ', 'x\\y', Buffer.from([0xff, 0, 0x27, 0x5c])],
    [2, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  ];
  for (const row of rows) {
    await raw.query(`INSERT INTO ${q(WEIRD)} (id, s, t, b, bl, n, d, dt, ts, tm, y, j, amount, f, fl, bits, e, st, big, neg, latin, fixed, bin) VALUES (?)`, [row]);
  }
  await raw.query('INSERT INTO a_child VALUES (1, 1), (2, NULL)');
  const [stored] = await raw.query<RowDataPacket[]>(`SELECT t FROM ${q(WEIRD)} WHERE id = 1`);
  assert.match(String(stored[0]?.['t']), /NUL\0byte.*😀🎉, 中文$/s, 'the awkward text is stored as it is');
  const url = new URL(need('MYSQL_URL'));
  // A read-only connection: dumping is a read.
  const profile: MySqlProfile = { id: 'dump', name: 'prod', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database: DB, tls: false, readOnly: true };
  session = sessionOfKind(await driver.connect(profile, { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') }), 'mysql');
});

after(async () => {
  await session.close();
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; DROP DATABASE IF EXISTS ${RESTORED}; DROP DATABASE IF EXISTS ${RESTORED_NBE}`);
  await raw.end();
  rmSync(dir, { recursive: true, force: true });
});

/** Feeds a file to the mariadb command-line client, as a user restoring a dump would. */
function restore(file: string, database: string, initCommand?: string): Promise<void> {
  const url = new URL(need('MYSQL_URL'));
  const args = ['--no-defaults', `--host=${url.hostname}`, `--port=${url.port}`, `--user=${decodeURIComponent(url.username)}`, `--password=${decodeURIComponent(url.password)}`,
    ...(initCommand ? [`--init-command=${initCommand}`] : []), database];
  const input = openSync(file, 'r');
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/mariadb', args, { stdio: [input, 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(input);
      if (code === 0) resolve();
      else reject(new Error(`mariadb exited ${code}: ${output}`));
    });
  });
}

async function rowsOf(database: string, table: string, order = 'id'): Promise<unknown[][]> {
  const [rows] = await raw.query<RowDataPacket[][]>({ sql: `SELECT * FROM ${q(database)}.${q(table)} ORDER BY ${order}`, rowsAsArray: true });
  return rows;
}

async function createOf(database: string, table: string): Promise<string> {
  const [rows] = await raw.query<RowDataPacket[]>(`SHOW CREATE TABLE ${q(database)}.${q(table)}`);
  return String(rows[0]?.['Create Table']);
}

test('a dumped database restores with the mariadb client, every row and definition the same, also under NO_BACKSLASH_ESCAPES', async () => {
  const file = join(dir, 'sb_dump.sql');
  const seen: number[] = [];
  const summary = await writeWholeFile(file, (out) => session.dump(out, { database: DB, onProgress: (p) => seen.push(p.done) }));
  assert.deepEqual(summary, { tables: 4, views: 2, rows: 3 + 2 + 30000 });
  assert.ok(seen.length > 0);
  const sql = readFileSync(file, 'utf8');
  // No backslash in any value: the rows read the same whatever the restoring session's sql_mode.
  for (const line of sql.split('\n').filter((l) => l.startsWith('('))) assert.doesNotMatch(line, /\\/);
  assert.ok((sql.match(/^INSERT INTO `big`/gm) ?? []).length > 1, 'the big table goes in more than one multi-row INSERT');
  assert.doesNotMatch(sql, /`sb_dump`\./, 'no statement names the dumped database');
  await restore(file, RESTORED);
  await restore(file, RESTORED_NBE, "SET SESSION sql_mode='NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES'");
  for (const target of [RESTORED, RESTORED_NBE]) {
    await raw.query("SET SESSION time_zone = '+05:00'");
    for (const table of [WEIRD, 'a_child', 'big', 'empty_one']) {
      assert.deepEqual(await rowsOf(target, table), await rowsOf(DB, table), `${target}.${table}`);
      assert.equal(await createOf(target, table), await createOf(DB, table), `${target}.${table} definition`);
    }
    assert.deepEqual(await rowsOf(target, 'a_view', 'c'), [['2']]);
    const [view] = await raw.query<RowDataPacket[]>(`SHOW CREATE VIEW ${target}.zz_base`);
    assert.match(String(view[0]?.['Create View']), new RegExp(`\`${target}\`\\.`), 'the restored view reads its own database');
  }
});

test('one table dumps alone: its definition and rows, nothing else', async () => {
  const file = join(dir, 'child.sql');
  const summary = await writeWholeFile(file, (out) => session.dump(out, { database: DB, tables: ['a_child'] }));
  assert.deepEqual(summary, { tables: 1, views: 0, rows: 2 });
  const sql = readFileSync(file, 'utf8');
  assert.match(sql, /CREATE TABLE `a_child`/);
  assert.doesNotMatch(sql, /CREATE TABLE `big`/);
  await assert.rejects(writeWholeFile(join(dir, 'none.sql'), (out) => session.dump(out, { database: DB, tables: ['no_such'] })), (e: unknown) => isDriverError(e) && e.code === 'config');
  assert.ok(!readdirSync(dir).includes('none.sql'));
});

test('a cancelled dump leaves the file it would have replaced as it was, and no partial file', async () => {
  const file = join(dir, 'cancelled.sql');
  writeFileSync(file, 'the previous dump\n');
  const controller = new AbortController();
  await assert.rejects(writeWholeFile(file, (out) => session.dump(out, {
    database: DB, tables: ['big'], signal: controller.signal, onProgress: (p) => p.rows > 0 && controller.abort(),
  })), (e: unknown) => isDriverError(e) && e.code === 'cancelled');
  assert.equal(readFileSync(file, 'utf8'), 'the previous dump\n');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('cancelled')), ['cancelled.sql']);
  // The session is still usable afterwards.
  assert.ok((await session.databases()).includes(DB));
});
