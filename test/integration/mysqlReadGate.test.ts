import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { driver, MySqlSession, splitStatements } from '../../src/drivers/mysql';
import { MySqlProfile } from '../../src/drivers/types';
import { startMariaDb, MariaDbService } from '../services/mariadb';
import { CollectedRows, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Read-only connections against hostile spellings of writes, on a private MariaDB whose global sql_mode each test
 * sets (sessions inherit it): every refused statement is refused by the driver with READ_ONLY, and what it would have
 * done (a file on the server, a changed row, a lock, a sequence step) is checked not to have happened. Statements
 * that really write are shown to write on a writable connection first, so a refusal is not a syntax error in disguise.
 */

const root = mkdtempSync(join(tmpdir(), 'switchboard-gate-'));
const files = mkdtempSync(join(tmpdir(), 'switchboard-gate-out-'));
let db: MariaDbService;
let raw: Connection;
let fileCount = 0;
const nextFile = (): string => join(files, `out-${++fileCount}.txt`);

before(async () => {
  db = await startMariaDb(root, 'gate', 'gate-secret', 'gate');
  raw = await createConnection({ host: '127.0.0.1', port: db.port, user: db.user, password: db.password, database: db.database, multipleStatements: true });
  await raw.query(`CREATE TABLE probe (id INT PRIMARY KEY, v VARCHAR(40), \`lock\` INT);
    INSERT INTO probe VALUES (1, 'original', 0);
    CREATE SEQUENCE seq;
    CREATE FUNCTION writer() RETURNS INT MODIFIES SQL DATA BEGIN UPDATE probe SET v = 'by a function'; RETURN 1; END;`);
});

after(async () => {
  await raw.end();
  await db.stop();
  rmSync(root, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

async function connect(sqlMode: string, readOnly: boolean): Promise<MySqlSession> {
  await raw.query('SET GLOBAL sql_mode = ?', [sqlMode]);
  const profile: MySqlProfile = { id: 'g', name: 'prod (read-only)', kind: 'mysql', host: '127.0.0.1', port: db.port, username: db.user, database: db.database, tls: false, readOnly };
  return await driver.connect(profile, { secrets: { password: db.password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
}

async function run(session: MySqlSession, sql: string): Promise<{ code?: string; message?: string; rows: unknown }> {
  const runner = await session.openRun(db.database);
  try {
    const sink = new CollectedRows();
    const outcome = await runner.run({ text: sql, start: 0, end: sql.length, line: 0 }, sink, { maxRows: 100 });
    return { ...(outcome.error?.code ? { code: outcome.error.code } : {}), ...(outcome.error ? { message: outcome.error.message } : {}), rows: sink.cells() };
  } finally {
    runner.close();
  }
}

async function unchanged(): Promise<void> {
  const [rows] = await raw.query<RowDataPacket[]>("SELECT v, IS_FREE_LOCK('gate') AS free, (SELECT NEXT_NOT_CACHED_VALUE FROM seq) AS next FROM probe WHERE id = 1");
  assert.deepEqual({ ...rows[0] }, { v: 'original', free: 1, next: 1 });
}

/** Statements that write a file on the server: `f` is replaced by a fresh file name. */
const FILE_WRITES: readonly [string, string][] = [
  ['the # inside a string', "SELECT '#', v FROM probe INTO OUTFILE 'f'"],
  ['-- inside a string', "SELECT '-- ', v FROM probe INTO OUTFILE 'f'"],
  ['a string with an escaped quote and a #', "SELECT 'it\\'s #', v FROM probe INTO OUTFILE 'f'"],
  ['a /* inside a string', "SELECT '/*', v FROM probe INTO OUTFILE 'f' -- */"],
  ['lower case, INTO before FROM', "select v into outfile 'f' from probe"],
  ['a versioned comment', "SELECT v FROM probe /*!50000 INTO OUTFILE 'f' */"],
  ['a versionless executable comment', "SELECT v FROM probe /*! INTO OUTFILE 'f' */"],
  ['a MariaDB executable comment', "SELECT v FROM probe /*M!100000 INTO DUMPFILE 'f' */"],
  ['a -- comment ended by a tab', "SELECT v FROM probe --\tcomment\nINTO OUTFILE 'f'"],
  ['a UNION', "SELECT v FROM probe UNION SELECT 'x' INTO OUTFILE 'f'"],
  ['a WITH', "WITH w AS (SELECT v FROM probe) SELECT * FROM w INTO OUTFILE 'f'"],
  ['a backtick with a quote in it', "SELECT v AS `'` FROM probe INTO OUTFILE 'f' -- '"],
];

test('mysql read-only gate: file output is refused in every spelling, and the same statements do write on a writable connection', async () => {
  const writable = await connect('', false);
  const ro = await connect('', true);
  try {
    for (const [what, template] of FILE_WRITES) {
      const control = nextFile();
      const wrote = await run(writable, template.replace("'f'", `'${control}'`));
      assert.equal(wrote.message, undefined, `${what}: ${wrote.message}`);
      assert.ok(existsSync(control), `${what}: the statement really writes a file`);
      const target = nextFile();
      const refused = await run(ro, template.replace("'f'", `'${target}'`));
      assert.equal(refused.code, 'READ_ONLY', `${what}: ${refused.message}`);
      assert.match(refused.message ?? '', /prod \(read-only\)/);
      assert.ok(!existsSync(target), `${what}: no file was written`);
    }
  } finally {
    await Promise.all([writable.close(), ro.close()]);
  }
});

test('mysql read-only gate: under NO_BACKSLASH_ESCAPES and ANSI_QUOTES quotes end where the server ends them', async () => {
  const cases: readonly [string, string][] = [
    // A backslash that does not escape: the string ends at the second quote and INTO is code.
    ['NO_BACKSLASH_ESCAPES', "SELECT 'a\\', v FROM probe INTO OUTFILE 'f' -- '"],
    // A double quote that names a column: the backslash inside it is a character, and INTO is code.
    ['ANSI_QUOTES', 'SELECT v AS "x\\" FROM probe INTO OUTFILE \'f\' -- "'],
    ['ANSI', "SELECT v AS \"it's\" FROM probe INTO OUTFILE 'f' -- '"],
  ];
  for (const [mode, template] of cases) {
    const writable = await connect(mode, false);
    const ro = await connect(mode, true);
    try {
      const control = nextFile();
      const wrote = await run(writable, template.replace("'f'", `'${control}'`));
      assert.equal(wrote.message, undefined, `${mode}: ${wrote.message}`);
      assert.ok(existsSync(control), `${mode}: the statement really writes a file`);
      const target = nextFile();
      const refused = await run(ro, template.replace("'f'", `'${target}'`));
      assert.equal(refused.code, 'READ_ONLY', `${mode}: ${refused.message}`);
      assert.ok(!existsSync(target), `${mode}: no file was written`);
      // Reads with the same quoting still run.
      assert.deepEqual((await run(ro, mode === 'NO_BACKSLASH_ESCAPES' ? "SELECT 'a\\' AS x" : 'SELECT v AS "x\\" FROM probe')).rows, [[[mode === 'NO_BACKSLASH_ESCAPES' ? 'a\\' : 'original']]]);
    } finally {
      await Promise.all([writable.close(), ro.close()]);
    }
  }
  await raw.query("SET GLOBAL sql_mode = DEFAULT");
});

const REFUSED: readonly string[] = [
  'SELECT v INTO @x FROM probe',
  'SELECT v FROM probe FOR UPDATE',
  'SELECT v FROM probe LOCK IN SHARE MODE',
  "SELECT GET_LOCK('gate', 0)",
  "SELECT get_lock ('gate', 0)",
  "SELECT `GET_LOCK`('gate', 0)",
  "SELECT GET_LOCK/* a comment */('gate', 0)",
  "SELECT /*!GET_LOCK*/('gate', 0)",
  "SELECT v FROM probe WHERE GET_LOCK('gate', 0)",
  'SELECT NEXTVAL(seq)',
  'SELECT NEXT VALUE FOR seq',
  "SELECT LOAD_FILE('/etc/hostname')",
  "DO GET_LOCK('gate', 0)",
  'DO SLEEP(0)',
  'CALL writer()',
  'HANDLER probe OPEN',
  "LOAD DATA INFILE '/etc/hostname' INTO TABLE probe",
  'SET @x = 1',
  'SET SESSION TRANSACTION READ WRITE',
  "SELECT 1; UPDATE probe SET v = 'x'",
  "SELECT 1 /*!; UPDATE probe SET v = 'x' */",
  "/*!UPDATE probe SET v = 'x'*/",
  "/*M!100000 UPDATE probe SET v = 'x'*/",
  "ANALYZE UPDATE probe SET v = 'x'",
  'ANALYZE SELECT * FROM probe',
  'EXPLAIN ANALYZE SELECT * FROM probe',
  "EXPLAIN UPDATE probe SET v = 'x'",
  "WITH w AS (SELECT 1) UPDATE probe SET v = 'x'",
  "(UPDATE probe SET v = 'x')",
  "SELECT v FROM probe /*!99999 ' */ INTO OUTFILE '/tmp/x' -- '",
  "SELECT v FROM probe # \0\nUNION SELECT 1",
  "SELECT 'unterminated",
  'SELECT 1 /* unterminated',
];

test('mysql read-only gate: writes, locks, sequences, server files, multi-statements and unreadable text are refused', async () => {
  const ro = await connect('', true);
  try {
    for (const sql of REFUSED) {
      const result = await run(ro, sql);
      assert.equal(result.code, 'READ_ONLY', `${JSON.stringify(sql)}: ${result.message}`);
      await unchanged();
    }
  } finally {
    await ro.close();
  }
});

test('mysql read-only gate: a stored function that writes is stopped by the server-side read-only session', async () => {
  const ro = await connect('', true);
  try {
    const result = await run(ro, 'SELECT writer()');
    assert.match(`${result.code} ${result.message}`, /READ ONLY|read-only|READ_ONLY_TRANSACTION/i);
    await unchanged();
  } finally {
    await ro.close();
  }
});

test('mysql read-only gate: reads still run, whatever words their strings, names and comments hold', async () => {
  const ro = await connect('', true);
  try {
    const reads: readonly [string, unknown][] = [
      ["SELECT v FROM probe WHERE v <> 'INTO OUTFILE x; DELETE FROM probe'", [[['original']]]],
      ['SELECT `lock` FROM probe', [[['0']]]],
      ["SELECT REPLACE(v, 'o', '0'), INSERT(v, 1, 1, 'O') FROM probe", [[['0riginal', 'Original']]]],
      ['SELECT CAST(v AS CHAR CHARACTER SET utf8mb4) FROM probe -- INTO OUTFILE', [[['original']]]],
      ["SELECT 'it\\'s', \"a \"\"b\"\"\" # INTO DUMPFILE", [[["it's", 'a "b"']]]],
      ['/*!40101 SELECT 1 */', [[['1']]]],
      ['WITH w AS (SELECT 1 AS n) SELECT n FROM w', [[['1']]]],
      ['(SELECT 1) UNION (SELECT 2)', [[['1'], ['2']]]],
      ['SELECT SLEEP(0)', [[['0']]]],
      ["SELECT IS_FREE_LOCK('gate')", [[['1']]]],
      ['SELECT 1;', [[['1']]]],
    ];
    for (const [sql, rows] of reads) {
      const result = await run(ro, sql);
      assert.equal(result.message, undefined, `${sql}: ${result.message}`);
      assert.deepEqual(result.rows, rows, sql);
    }
    for (const sql of ['SHOW TABLES', 'DESCRIBE probe', 'DESC probe v', 'EXPLAIN SELECT * FROM probe', 'EXPLAIN FORMAT=JSON SELECT 1', "HELP 'SELECT'", `USE ${db.database}`]) {
      const result = await run(ro, sql);
      assert.equal(result.message, undefined, `${sql}: ${result.message}`);
    }
    // The ordinary splitter's statements (comments before them included) pass through the same gate.
    const [statement] = splitStatements('-- note\nSELECT 7');
    assert.deepEqual((await run(ro, statement!.text)).rows, [[['7']]]);
  } finally {
    await ro.close();
  }
});
