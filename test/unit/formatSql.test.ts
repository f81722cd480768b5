import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedMeaning, formatSql } from '../../src/editors/formatSql';

const layout = { dialect: 'mysql' as const, tabWidth: 2, useTabs: false };
const formatted = (sql: string): string => {
  const result = formatSql(sql, layout);
  if ('refused' in result) throw new Error(`refused: ${result.refused}`);
  return result.text;
};

test('formats in the MySQL dialect, changing only layout: case, strings, comments and quoted names stay', () => {
  const sql = "select a, `b c`, 'x -- y', \"q\" from t where x='#' -- keep me\n and y=1 and z<=>null;\nSELECT COUNT(*) FROM t2;";
  assert.equal(formatted(sql), "select\n  a,\n  `b c`,\n  'x -- y',\n  \"q\"\nfrom\n  t\nwhere\n  x = '#' -- keep me\n  and y = 1\n  and z <=> null;\n\nSELECT\n  COUNT(*)\nFROM\n  t2;");
  assert.equal(formatted('insert into t values(1,2)'), 'insert into\n  t\nvalues\n  (1, 2)');
});

test('refuses what it cannot vouch for, leaving the text as it was', () => {
  for (const [sql, why] of [
    ['DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //', /DELIMITER/],
    ["select 'unterminated", /cannot be read|could not read/],
  ] as const) {
    const result = formatSql(sql, layout);
    assert.ok('refused' in result, sql);
    assert.match(result.refused, why);
  }
});

test('the meaning check catches a space inside an operator, a call or a variable, and code pulled into a comment', () => {
  assert.match(changedMeaning('select a<=b', 'select a< =b', 'mysql') ?? '', /space inside "<="/);
  assert.match(changedMeaning('select count(*)', 'select count (*)', 'mysql') ?? '', /space inside "count\("/);
  assert.match(changedMeaning('select @@sql_mode', 'select @ @sql_mode', 'mysql') ?? '', /space inside/);
  assert.match(changedMeaning('select t.a', 'select t. a', 'mysql') ?? '', /space inside/);
  assert.match(changedMeaning('select 1 -- c\n, 2', 'select 1 -- c , 2', 'mysql') ?? '', /comment would swallow code/);
  assert.match(changedMeaning('select /*!50000 1 */', 'select /*!50000\n1 */', 'mysql') ?? '', /executable comment/);
  assert.equal(changedMeaning('select a,b from t where x=1', 'select a, b\nfrom t\nwhere x = 1', 'mysql'), undefined);
  assert.equal(changedMeaning('select myfunc(1)', 'select myfunc (1)', 'mysql'), undefined, 'a stored function may be called with a space');
});
