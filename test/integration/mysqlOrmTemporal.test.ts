import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import { MySqlProfile } from '../../src/drivers/types';
import { startMariaDb, MariaDbService } from '../services/mariadb';
import { CollectedRows, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Temporal values through the ORM builder and the scratchpad are the server's text, exactly as the SQL grid shows
 * them: on a server whose time zone is not UTC, with fractional seconds, negative times and zero dates.
 */

const root = mkdtempSync(join(tmpdir(), 'switchboard-temporal-'));
let db: MariaDbService;
let session: MySqlSession;

before(async () => {
  db = await startMariaDb(root, 'temporal', 'temporal-secret', 'temporal');
  await db.sql(`SET GLOBAL time_zone = '+05:30'; SET GLOBAL sql_mode = '';
    CREATE TABLE temporal.moments (id INT PRIMARY KEY, day DATE, at DATETIME(6), stamp TIMESTAMP(3) NULL, span TIME(3), yr YEAR, plain DATETIME);
    INSERT INTO temporal.moments VALUES
      (1, '2024-02-29', '2024-01-02 03:04:05.123456', '2024-06-30 23:59:59.999', '-838:59:59.000', 2024, '1999-12-31 23:59:59'),
      (2, '0000-00-00', '0000-00-00 00:00:00.000000', '0000-00-00 00:00:00.000', '00:00:00.000', 0000, '0000-00-00 00:00:00'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL);`);
  const profile: MySqlProfile = { id: 't', name: 'temporal', kind: 'mysql', host: '127.0.0.1', port: db.port, username: db.user, database: db.database, tls: false, readOnly: false };
  session = await driver.connect(profile, { secrets: { password: db.password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
});

after(async () => {
  await session.close();
  await db.stop();
  rmSync(root, { recursive: true, force: true });
});

const COLUMNS = ['id', 'day', 'at', 'stamp', 'span', 'yr', 'plain'];

async function grid(): Promise<(string | null)[][]> {
  const runner = await session.openRun(db.database);
  try {
    const sink = new CollectedRows();
    const sql = `SELECT ${COLUMNS.join(', ')} FROM moments ORDER BY id`;
    const outcome = await runner.run({ text: sql, start: 0, end: sql.length, line: 0 }, sink, { maxRows: 10 });
    assert.equal(outcome.error, undefined, outcome.error?.message);
    return sink.cells()[0]!;
  } finally {
    runner.close();
  }
}

test('mysql orm: DATE, DATETIME(6), TIMESTAMP, TIME, YEAR and zero dates come back as the server sent them, as in the SQL grid', async () => {
  const expected = await grid();
  // The TIMESTAMP was stored from a UTC session and is shown in the server's +05:30.
  assert.deepEqual(expected[0], ['1', '2024-02-29', '2024-01-02 03:04:05.123456', '2024-07-01 05:29:59.999', '-838:59:59.000', '2024', '1999-12-31 23:59:59']);
  const result = await session.runOrm(db.database, { model: 'Moment', method: 'findAll', combine: 'and', where: [], attributes: COLUMNS, order: [{ attribute: 'id', direction: 'ASC' }] });
  assert.deepEqual(result.columns, COLUMNS);
  assert.deepEqual(result.rows, expected);
  // A condition on a DATETIME compares with the server's text too.
  const found = await session.runOrm(db.database, { model: 'Moment', method: 'findAll', combine: 'and', where: [{ attribute: 'plain', op: 'eq', value: '1999-12-31 23:59:59' }], attributes: ['id'] });
  assert.deepEqual(found.rows, [['1']]);
});

test('mysql scratchpad: model values of temporal columns are the server\'s text as well', async () => {
  const result = await session.scratchpad(db.database, 'return (await models.Moment.findAll({ order: [["id", "ASC"]] })).map((m) => [m.get("at"), m.get("stamp"), m.get("plain")])', {
    language: 'javascript', timeoutMs: 10_000, commit: false, print: () => undefined,
  });
  const expected = await grid();
  assert.deepEqual(result.value, expected.map((row) => [row[2], row[3], row[6]]));
});
