import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowStore } from '../../src/drivers/mysql/rowStore';
import { isReadingStatement } from '../../src/drivers/mysql/statements';
import { Cell } from '../../src/drivers/mysql/resultShapes';

test('row store: NULL stays apart from empty, control characters survive, slices cross chunk boundaries', () => {
  const store = new RowStore();
  const rows: Cell[][] = [];
  for (let i = 0; i < 1500; i++) {
    const row: Cell[] = [String(i), i % 3 === 0 ? null : '', i === 700 ? 'tab\u0000nul\u0001one\u0002two' : `name ${i}`];
    rows.push(row);
    store.add([...row]);
  }
  assert.equal(store.length, 1500);
  assert.deepEqual(store.slice(0, 1500), rows);
  assert.deepEqual(store.slice(510, 515), rows.slice(510, 515));
  assert.deepEqual(store.slice(699, 701), rows.slice(699, 701));
  assert.deepEqual(store.slice(1490, 2000), rows.slice(1490));
  assert.deepEqual(store.slice(2000, 2100), []);
  store.set(3, ['3', 'edited', null]);
  assert.deepEqual(store.slice(3, 4), [['3', 'edited', null]]);
  const one = new RowStore();
  one.add(['']);
  one.add([null]);
  assert.deepEqual(one.slice(0, 2), [[''], [null]]);
  // With column kinds, only text columns are looked at for the separators; they still survive there.
  const typed = new RowStore(['number', 'date', 'binary', 'text', 'json']);
  const odd: Cell[] = ['1', '2026-01-01 00:00:00', '0x00ff', 'a\u0000b\u0002c', '{"a":"\u0001"}'];
  typed.add([...odd]);
  typed.add(['2', null, null, 'plain', null]);
  assert.deepEqual(typed.slice(0, 2), [odd, ['2', null, null, 'plain', null]]);
});

test('read-only statements: reading ones pass, anything that could write is refused', () => {
  for (const sql of ['SELECT 1', '  select * from t', '/* why */ SELECT 1', '-- note\nSHOW TABLES', 'DESCRIBE t', 'EXPLAIN SELECT 1', "WITH x AS (SELECT 1) SELECT * FROM x", '(SELECT 1) UNION (SELECT 2)', "SELECT 'DELETE FROM t'", 'USE shop']) {
    assert.equal(isReadingStatement(sql), true, sql);
  }
  for (const sql of ['INSERT INTO t VALUES (1)', 'UPDATE t SET a = 1', 'DELETE FROM t', 'DROP TABLE t', 'CREATE TABLE t (a INT)', 'SET SESSION TRANSACTION READ WRITE',
    "SELECT * FROM t INTO OUTFILE '/tmp/x'", 'SELECT * FROM t FOR UPDATE', 'WITH x AS (SELECT 1) DELETE FROM t', 'CALL p()', 'LOCK TABLES t WRITE', 'ANALYZE TABLE t', 'GRANT ALL ON *.* TO x']) {
    assert.equal(isReadingStatement(sql), false, sql);
  }
});
