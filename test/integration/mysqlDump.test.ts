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
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * A database with awkward data, triggers, routines and an event (hostile names, bodies with `;`, `;;` and quotes)
 * dumped as SQL and restored by the real `mariadb` client into fresh databases (one of them with a session in
 * NO_BACKSLASH_ESCAPES), every row and definition compared and the triggers and routines run; a cancelled dump leaves
 * no file behind.
 */

const DB = 'sb_dump';
const RESTORED = 'sb_dump_restored';
const RESTORED_NBE = 'sb_dump_restored_nbe';
const WEIRD = 'we`ird \'t"able';
const TRIG = 'tr`ig \'x\' ;; "q"\nline';
const TRIG_FIRST = 'second ;;';
const PROC = "pr`oc ;; 'p'";
const FUNC = 'fu`n;;\'c"';
const EVT = "ev`ent ;; 'e'";
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
  // Created after the rows, which they would change. The first names the database, as typed.
  await raw.query(`CREATE TRIGGER ${DB}.${q(TRIG)} BEFORE INSERT ON ${DB}.${q(WEIRD)} FOR EACH ROW SET NEW.s = CONCAT(COALESCE(NEW.s, ''), '+1;it''s')`);
  await raw.query(`CREATE TRIGGER ${q(TRIG_FIRST)} BEFORE INSERT ON ${q(WEIRD)} FOR EACH ROW PRECEDES ${q(TRIG)} SET NEW.s = CONCAT(COALESCE(NEW.s, ''), '+2')`);
  await raw.query('CREATE TRIGGER child_trig AFTER INSERT ON a_child FOR EACH ROW SET @child = NEW.id');
  await raw.query(`CREATE PROCEDURE ${q(PROC)}(IN x INT, OUT y VARCHAR(100)) BEGIN DECLARE n INT; SELECT COUNT(*) INTO n FROM big WHERE id <= x; SET y = CONCAT('got; it''s ', n); END`);
  // In its own sql_mode || concatenates; restored in any other it would be OR.
  await raw.query("SET SESSION sql_mode = 'PIPES_AS_CONCAT'");
  await raw.query(`CREATE FUNCTION ${q(FUNC)}(x VARCHAR(20)) RETURNS VARCHAR(100) DETERMINISTIC BEGIN DECLARE r VARCHAR(100); SET r = x || ';it''s;;'; RETURN r; END`);
  await raw.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
  // A view that calls a function: the function has to exist first.
  await raw.query(`CREATE VIEW fn_view AS SELECT ${q(FUNC)}('v') AS r`);
  // Its schedule is in the session's +02:00; the event scheduler may be off.
  await raw.query(`CREATE EVENT ${q(EVT)} ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO BEGIN INSERT INTO empty_one VALUES (1); SET @e = 'x;''y'; END`);
  const [stored] = await raw.query<RowDataPacket[]>(`SELECT t FROM ${q(WEIRD)} WHERE id = 1`);
  assert.match(String(stored[0]?.['t']), /NUL\0byte.*😀🎉, 中文$/s, 'the awkward text is stored as it is');
  const url = new URL(need('MYSQL_URL'));
  // A read-only connection: dumping is a read.
  const profile: MySqlProfile = { id: 'dump', name: 'prod', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database: DB, tls: false, readOnly: true };
  session = await driver.connect(profile, { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
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

/** The database's triggers, routines and events as information_schema shows them. */
async function programsOf(database: string): Promise<unknown[][][]> {
  const queries = [
    'SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_STATEMENT, ACTION_TIMING, SQL_MODE, DEFINER, COLLATION_CONNECTION FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME',
    'SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION, DTD_IDENTIFIER, IS_DETERMINISTIC, SQL_MODE, DEFINER, COLLATION_CONNECTION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_NAME',
    'SELECT EVENT_NAME, EVENT_DEFINITION, INTERVAL_VALUE, INTERVAL_FIELD, STARTS, STATUS, ON_COMPLETION, TIME_ZONE, SQL_MODE, DEFINER, COLLATION_CONNECTION FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME',
  ];
  const all: unknown[][][] = [];
  for (const sql of queries) all.push((await raw.query<RowDataPacket[][]>({ sql, rowsAsArray: true }, [database]))[0]);
  return all;
}

async function createOf(database: string, table: string): Promise<string> {
  const [rows] = await raw.query<RowDataPacket[]>(`SHOW CREATE TABLE ${q(database)}.${q(table)}`);
  return String(rows[0]?.['Create Table']);
}

test('a dumped database restores with the mariadb client, every row and definition the same, also under NO_BACKSLASH_ESCAPES', async () => {
  const file = join(dir, 'sb_dump.sql');
  const seen: number[] = [];
  const named = new Set<string>();
  const summary = await writeWholeFile(file, (out) => session.dump(out, { database: DB, onProgress: (p) => {
    seen.push(p.done);
    named.add(p.table);
    assert.equal(p.total, 4 + 3 + 2 + 1);
  } }));
  assert.deepEqual(summary, { tables: 4, views: 3, rows: 3 + 2 + 30000, triggers: 3, routines: 2, events: 1 });
  assert.ok(seen.includes(9), 'the last step is the event');
  for (const name of [PROC, FUNC, EVT, 'fn_view']) assert.ok(named.has(name), name);
  const sql = readFileSync(file, 'utf8');
  // No backslash in any value: the rows read the same whatever the restoring session's sql_mode.
  for (const line of sql.split('\n').filter((l) => l.startsWith('('))) assert.doesNotMatch(line, /\\/);
  assert.ok((sql.match(/^INSERT INTO `big`/gm) ?? []).length > 1, 'the big table goes in more than one multi-row INSERT');
  assert.doesNotMatch(sql, /`sb_dump`\./, 'no statement names the dumped database');
  assert.doesNotMatch(sql.split('\n').filter((l) => !l.startsWith('--')).join('\n'), /sb_dump/, 'not even a trigger created with the database in its name');
  const original = await programsOf(DB);
  assert.deepEqual(original.map((rows) => rows.length), [3, 2, 1]);
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
    assert.deepEqual(await programsOf(target), original, `${target} triggers, routines and events`);
    await raw.query(`INSERT INTO ${q(target)}.${q(WEIRD)} (id, s) VALUES (100, 'x')`);
    assert.deepEqual(await raw.query<RowDataPacket[][]>({ sql: `SELECT s FROM ${q(target)}.${q(WEIRD)} WHERE id = 100`, rowsAsArray: true }).then(([r]) => r), [["x+2+1;it's"]], 'both triggers fired, in their order');
    await raw.query(`CALL ${q(target)}.${q(PROC)}(5, @y)`);
    assert.deepEqual(await raw.query<RowDataPacket[][]>({ sql: `SELECT @y, ${q(target)}.${q(FUNC)}('a'), r FROM ${q(target)}.fn_view`, rowsAsArray: true }).then(([r]) => r), [["got; it's 5", "a;it's;;", "v;it's;;"]]);
  }
});

test('one table dumps alone: its definition and rows, nothing else', async () => {
  const file = join(dir, 'child.sql');
  const summary = await writeWholeFile(file, (out) => session.dump(out, { database: DB, tables: ['a_child'] }));
  assert.deepEqual(summary, { tables: 1, views: 0, rows: 2, triggers: 1, routines: 0, events: 0 });
  const sql = readFileSync(file, 'utf8');
  assert.match(sql, /CREATE TABLE `a_child`/);
  assert.doesNotMatch(sql, /CREATE TABLE `big`/);
  assert.match(sql, /TRIGGER `child_trig` AFTER INSERT ON `a_child` FOR EACH ROW/);
  assert.doesNotMatch(sql, /TRIGGER `tr|TRIGGER `second|PROCEDURE|FUNCTION|EVENT/);
  await restore(file, RESTORED);
  await raw.query(`INSERT INTO ${RESTORED}.a_child VALUES (3, NULL)`);
  assert.deepEqual(await raw.query<RowDataPacket[][]>({ sql: 'SELECT @child', rowsAsArray: true }).then(([r]) => r), [['3']], 'the restored trigger fired');
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
