import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseInUse, StatementIndex } from '../../src/drivers/mysql/statementIndex';
import { splitStatements } from '../../src/drivers/mysql/statements';
import { dialectOf } from '../../src/drivers/mysql/sqlLexer';

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** Pieces that change how what follows them splits: quotes, comments, delimiters inside them, line breaks. */
const PIECES = ["'", '"', '`', ';', '/*', '*/', '-- ', '#', '\n', ' ', 'SELECT 1', "'a;b'", '`x;y`', '/* ; */', 'USE shop', '\\', "''", 'x'];

test('statements kept between edits are exactly what splitting the whole text gives, whatever was typed where', () => {
  const next = random(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  let text = '';
  for (let i = 0; i < 200; i++) text += `SELECT ${i}, 'a;${i}' /* ; */ FROM t${i};\n`;
  const index = new StatementIndex();
  assert.deepEqual(index.of(text), splitStatements(text));
  for (let edit = 0; edit < 600; edit++) {
    // Mostly near the end (typing at the bottom of a file), sometimes anywhere.
    const at = next() < 0.7 ? Math.max(0, text.length - Math.floor(next() * 200)) : Math.floor(next() * text.length);
    if (next() < 0.3 && text.length > 0) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(next() * 5)));
    else text = text.slice(0, at) + pick(PIECES) + text.slice(at);
    assert.deepEqual(index.of(text), splitStatements(text), `after edit ${edit} at ${at}`);
  }
});

test('a DELIMITER directive anywhere makes the text split whole, as the mysql client reads it', () => {
  const index = new StatementIndex();
  const head = 'SELECT 1;\nSELECT 2;\n';
  index.of(`${head}SELECT 3;`);
  const changed = `${head}DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nSELECT 4;`;
  assert.deepEqual(index.of(changed), splitStatements(changed));
  assert.ok(index.of(changed).some((s) => s.text.includes('BEGIN SELECT 1; SELECT 2; END')), 'the procedure body is one statement');
});

test('the database in use is the one the last USE before the statement names, quoted or not; USE in a string or comment is not one', () => {
  const dialect = dialectOf('', '10.11.6-MariaDB');
  const at = (text: string): string | undefined => {
    const statements = splitStatements(text.replace('|', ''));
    return databaseInUse(statements, text.indexOf('|'), dialect);
  };
  assert.equal(at('SELECT |'), undefined);
  assert.equal(at('USE Shop;\nSELECT |'), 'Shop', 'the name as written, not upper-cased');
  assert.equal(at('USE shop;\nUSE `my ``db`;\nSELECT |'), 'my `db');
  assert.equal(at('use /* why */ shop ;\nSELECT |'), 'shop');
  assert.equal(at("SELECT 'USE shop;';\nSELECT |"), undefined);
  assert.equal(at('/* USE shop; */ SELECT |'), undefined);
  assert.equal(at('-- USE shop;\nSELECT |'), undefined);
  assert.equal(at('SELECT |;\nUSE shop;'), undefined, 'a USE after the statement does not move it');
  assert.equal(at('USE shop extra;\nSELECT |'), undefined, 'not a USE the server would run');
  assert.equal(at('USE a;\nSELECT 1;\nUSE b;\nSELECT |'), 'b');
});
