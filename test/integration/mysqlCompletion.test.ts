import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import { CompletionFacts, quoteName } from '../../src/drivers/mysql/sqlCompletion';
import { MySqlProfile } from '../../src/drivers/types';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Completion and hover on the real MariaDB: the server's own keywords, tables with names that must be quoted, the
 * columns of the tables a statement joins (aliases resolved), joins along foreign keys, and nothing inside strings
 * or comments. The caret is where `|` is written.
 */

const DB = 'sb_completion';
const OTHER = 'sb_completion_other';
let raw: Connection;
let session: MySqlSession;

before(async () => {
  raw = await createConnection({ uri: need('MYSQL_URL'), multipleStatements: true });
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; DROP DATABASE IF EXISTS ${OTHER}; CREATE DATABASE ${DB}; CREATE DATABASE ${OTHER};
    USE ${DB};
    CREATE TABLE customers (id INT PRIMARY KEY COMMENT 'who buys', name VARCHAR(80) NOT NULL DEFAULT 'anonymous', email VARCHAR(120) NULL UNIQUE) COMMENT 'people who order';
    CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL DEFAULT 0,
      FOREIGN KEY fk_customer (customer_id) REFERENCES customers(id));
    CREATE TABLE \`order\` (\`select\` INT, \`we\`\`ird col\` TEXT);
    CREATE TABLE \`naïve table\` (x INT);
    CREATE TABLE \`line
break\` (\`a/*b\` INT, \`--c\` INT);
    CREATE VIEW big_spenders AS SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id;
    CREATE TABLE ${OTHER}.elsewhere (far_column INT);`);
  const url = new URL(need('MYSQL_URL'));
  const profile: MySqlProfile = { id: 'c', name: 'completion', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database: DB, tls: false, readOnly: false };
  session = await driver.connect(profile, { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
});

after(async () => {
  await session.close();
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; DROP DATABASE IF EXISTS ${OTHER}`);
  await raw.end();
});

/** Completion at the `|` of `text`. */
function at(text: string, database = DB): CompletionFacts & { labels: string[] } {
  const offset = text.indexOf('|');
  const facts = session.complete(text.replace('|', ''), offset, database);
  return { ...facts, labels: facts.items.map((i) => i.label) };
}
const insert = (facts: CompletionFacts, label: string): string | undefined => facts.items.find((i) => i.label === label)?.insertText;

test('a first completion answers at once from what has loaded (nothing yet), and says more is coming', async () => {
  const first = at('SELECT * FROM |');
  assert.equal(first.incomplete, true);
  await session.catalogLoaded(DB);
  const loaded = at('SELECT * FROM |');
  assert.equal(loaded.incomplete, false);
  assert.ok(loaded.labels.includes('customers') && loaded.labels.includes('big_spenders'), loaded.labels.join());
});

test('keywords and functions are the server\'s own (information_schema.KEYWORDS and SQL_FUNCTIONS on MariaDB)', () => {
  const facts = at('SEL|');
  const keywords = facts.items.filter((i) => i.kind === 'keyword').map((i) => i.label);
  // RETURNING is a MariaDB keyword the built-in list does not hold: it came from the server.
  assert.ok(keywords.includes('SELECT') && keywords.includes('RETURNING'), keywords.slice(0, 20).join());
  const count = facts.items.find((i) => i.label === 'COUNT');
  assert.equal(count?.kind, 'function');
  assert.equal(count?.insertText, 'COUNT($0)');
});

test('tables after FROM, JOIN and a comma; names that must be quoted are inserted quoted', () => {
  for (const text of ['SELECT * FROM |', 'SELECT * FROM customers c JOIN |', 'SELECT * FROM customers, |', 'UPDATE |', 'INSERT INTO |', 'SELECT * FROM cu|']) {
    const facts = at(text);
    assert.ok(facts.labels.includes('orders') && facts.labels.includes('order'), `${text}: ${facts.labels.join()}`);
    assert.ok(!facts.items.some((i) => i.kind === 'keyword'), `${text}: a table position offers no keywords`);
  }
  const facts = at('SELECT * FROM |');
  assert.equal(insert(facts, 'order'), '`order`', 'a reserved word is quoted');
  assert.equal(insert(facts, 'naïve table'), '`naïve table`');
  assert.equal(insert(facts, 'orders'), 'orders');
  assert.equal(facts.items.find((i) => i.label === 'big_spenders')?.kind, 'view');
  assert.ok(facts.labels.includes(OTHER), 'databases too, for db.table');
  // Typing inside backticks replaces from the backtick.
  const quoted = at('SELECT * FROM `na|');
  assert.equal(quoted.quoted, true);
  assert.equal(quoted.replaceStart, 'SELECT * FROM '.length);
  assert.equal(insert(quoted, 'orders'), '`orders`');
  // Inside a closed quote the item replaces through the closing backtick, so none is doubled.
  const closed = at('SELECT * FROM `or|der` WHERE 1');
  assert.deepEqual([closed.quoted, closed.replaceStart, closed.replaceEnd], [true, 'SELECT * FROM '.length, 'SELECT * FROM `order`'.length]);
  const word = at('SELECT * FROM ord|ers WHERE 1');
  assert.deepEqual([word.replaceStart, word.replaceEnd], ['SELECT * FROM '.length, 'SELECT * FROM orders'.length]);
});

test('hostile names: a newline, comment openers and backticks inside a name are inserted quoted and read back as that name', () => {
  assert.equal(insert(at('SELECT * FROM |'), 'line\nbreak'), '`line\nbreak`');
  const columns = at('SELECT | FROM `line\nbreak` AS `x--y`').items.filter((i) => i.kind === 'column').map((i) => i.insertText);
  assert.deepEqual(columns, ['`a/*b`', '`--c`'], 'a comment opener inside backticks is part of the name');
  assert.deepEqual(at('SELECT `x--y`.| FROM `line\nbreak` AS `x--y`').labels, ['a/*b', '--c']);
  const weird = session.hover('SELECT `we``ird col` FROM `order`', 'SELECT `we``i'.length, DB);
  assert.ok(weird?.kind === 'column');
  assert.equal(weird.column.name, 'we`ird col');
  assert.equal(weird.table, 'order');
  const broken = session.hover('SELECT * FROM `line\nbreak`', 'SELECT * FROM `li'.length, DB);
  assert.ok(broken?.kind === 'table' && broken.table.name === 'line\nbreak');
});

test('the columns of the tables a statement names, wherever the caret is; a name two tables share comes with its alias', () => {
  const facts = at('SELECT | FROM customers c JOIN orders o ON o.customer_id = c.id');
  const columns = facts.items.filter((i) => i.kind === 'column');
  assert.deepEqual(columns.map((c) => c.label).sort(), ['customer_id', 'email', 'id', 'id', 'name', 'total']);
  assert.deepEqual(columns.filter((c) => c.label === 'id').map((c) => c.insertText).sort(), ['c.id', 'o.id']);
  assert.equal(insert(facts, 'total'), 'total');
  assert.ok(columns[0]!.sortText < facts.items.find((i) => i.kind === 'keyword')!.sortText, 'columns come before keywords');
  const where = at('SELECT * FROM `order` AS x WHERE |');
  assert.deepEqual(where.items.filter((i) => i.kind === 'column').map((c) => c.insertText), ['`select`', '`we``ird col`']);
});

test('after alias. only that table\'s columns; db. lists its tables and db.table. their columns', async () => {
  assert.deepEqual(at('SELECT o.| FROM customers c JOIN orders o ON true').labels, ['id', 'customer_id', 'total']);
  assert.deepEqual(at('SELECT O.to| FROM orders o').labels, ['id', 'customer_id', 'total'], 'aliases match without regard to case');
  assert.deepEqual(at('SELECT customers.| FROM customers').labels, ['id', 'name', 'email']);
  assert.deepEqual(at('SELECT c.| FROM customers AS c').labels, ['id', 'name', 'email']);
  // Another database's schema is read on first use: the first answer says so, and the next has it.
  assert.equal(at(`SELECT * FROM ${OTHER}.|`).incomplete, true);
  await session.catalogLoaded(OTHER);
  assert.deepEqual(at(`SELECT * FROM ${OTHER}.|`).labels, ['elsewhere']);
  assert.deepEqual(at(`SELECT ${OTHER}.elsewhere.| FROM ${OTHER}.elsewhere`).labels, ['far_column']);
  assert.deepEqual(at(`SELECT e.| FROM ${OTHER}.elsewhere e`).labels, ['far_column']);
  assert.deepEqual(at('SELECT s.| FROM (SELECT id AS key_id, name FROM customers) AS s').labels, ['key_id', 'name'], 'a derived table offers what it selects');
  assert.deepEqual(at('WITH recent AS (SELECT id, total FROM orders) SELECT recent.| FROM recent').labels, ['id', 'total']);
  assert.deepEqual(at('SELECT b.| FROM big_spenders b').labels, ['customer_id', 'spent']);
});

test('a USE earlier in the document moves the statements after it to that database, as the mysql client runs the script', async () => {
  await session.catalogLoaded(OTHER);
  const tables = (text: string): string[] => at(text).items.filter((i) => i.kind === 'table').map((i) => i.label);
  assert.deepEqual(tables(`USE ${OTHER};\nSELECT * FROM |`), ['elsewhere']);
  assert.deepEqual(at(`USE \`${OTHER}\`;\nSELECT | FROM elsewhere`).items.filter((i) => i.kind === 'column').map((i) => i.label), ['far_column']);
  assert.ok(tables(`SELECT * FROM |;\nUSE ${OTHER};`).includes('customers'), 'a USE after the statement does not move it');
  assert.ok(tables(`-- USE ${OTHER};\nSELECT * FROM |`).includes('customers'), 'a USE in a comment is not one');
  assert.ok(tables(`USE ${OTHER};\nUSE ${DB};\nSELECT * FROM |`).includes('customers'), 'the last USE counts');
  const hovered = session.hover(`USE ${OTHER};\nSELECT far_column FROM elsewhere`, `USE ${OTHER};\nSELECT far`.length, DB);
  assert.equal(hovered?.kind === 'column' ? hovered.column.name : undefined, 'far_column', 'hover follows the USE too');
});

test('after JOIN … ON the foreign-key conditions between the joined table and the ones before it, in both directions', () => {
  assert.deepEqual(at('SELECT * FROM customers c JOIN orders o ON |').items.filter((i) => i.kind === 'join').map((i) => i.insertText), ['o.customer_id = c.id']);
  assert.deepEqual(at('SELECT * FROM orders JOIN customers ON |').items.filter((i) => i.kind === 'join').map((i) => i.insertText), ['orders.customer_id = customers.id']);
  assert.deepEqual(at('SELECT * FROM orders o LEFT JOIN customers AS c ON c.id > 0 AND |').items.filter((i) => i.kind === 'join').map((i) => i.insertText), ['o.customer_id = c.id']);
});

test('nothing inside a string or a comment; unterminated text is read as it is typed, never refused', () => {
  for (const text of ["SELECT 'FROM |' FROM customers", "SELECT * FROM customers WHERE name = 'abc|", 'SELECT 1 -- FROM |', 'SELECT /* FROM | */ 1', 'SELECT /* FROM |', '# c|']) {
    assert.deepEqual(at(text).items, [], text);
  }
  assert.ok(at('SELECT "abc" FROM customers WHERE c|').labels.includes('email'));
  assert.ok(at("SELECT * FROM customers WHERE name = 'it''s' AND |").labels.includes('email'), 'a doubled quote does not end the string');
  assert.ok(at('SELECT `a;b` FROM customers; SELECT | FROM orders').labels.includes('total'), 'the statement under the caret only');
  assert.ok(!at('SELECT `a;b` FROM customers; SELECT | FROM orders').labels.includes('email'));
  assert.ok(at('SELECT 1;\nSELECT * FROM |').labels.includes('customers'), 'a statement after another');
});

test('hover names a column\'s type, key, default and comment, and a table\'s key, foreign keys and comment', () => {
  const hover = (text: string) => session.hover(text.replace('|', ''), text.indexOf('|'), DB);
  const name = hover('SELECT c.na|me FROM customers c');
  assert.ok(name?.kind === 'column');
  assert.equal(name.table, 'customers');
  assert.equal(name.column.columnType, 'varchar(80)');
  assert.equal(name.column.nullable, false);
  assert.equal(name.column.defaultValue, "'anonymous'");
  const id = hover('SELECT i|d FROM customers');
  assert.ok(id?.kind === 'column');
  assert.equal(id.column.key, 'PRI');
  assert.equal(id.column.comment, 'who buys');
  const fk = hover('SELECT o.customer_i|d FROM orders o');
  assert.ok(fk?.kind === 'column');
  assert.deepEqual(fk.references, { table: 'customers', column: 'id' });
  const table = hover('SELECT * FROM custo|mers');
  assert.ok(table?.kind === 'table');
  assert.equal(table.table.comment, 'people who order');
  assert.equal(table.start, 'SELECT * FROM '.length);
  const aliased = hover('SELECT * FROM orders o JOIN customers c ON |o.customer_id = c.id');
  assert.ok(aliased?.kind === 'table' && aliased.table.name === 'orders', 'an alias is its table');
  assert.equal(hover("SELECT 'custo|mers'"), undefined, 'nothing in a string');
});

test('DDL is told apart from other statements, and a refresh reads a new table', async () => {
  for (const ddl of ['CREATE TABLE x (a INT)', 'alter table orders add column note text', '/*!40000 ALTER TABLE orders DISABLE KEYS */', 'DROP VIEW big_spenders', '  RENAME TABLE a TO b', '-- why\nCREATE INDEX i ON orders (total)']) {
    assert.equal(session.changesSchema(ddl), true, ddl);
  }
  for (const other of ['SELECT 1', "INSERT INTO orders VALUES (1, 1, 1)", "SELECT 'CREATE TABLE'", 'SHOW CREATE TABLE orders']) assert.equal(session.changesSchema(other), false, other);
  await raw.query(`CREATE TABLE ${DB}.arrived_later (y INT)`);
  assert.ok(!at('SELECT * FROM |').labels.includes('arrived_later'), 'cached until the schema is read again');
  session.refreshCatalog();
  await session.catalogLoaded(DB);
  assert.ok(at('SELECT * FROM |').labels.includes('arrived_later'));
});

test('every keyword the server reserves is inserted quoted: each one it lists, tried unquoted as a table and a column name on the server', async () => {
  const [rows] = await raw.query<RowDataPacket[]>('SELECT WORD FROM information_schema.KEYWORDS');
  const words = rows.map((r) => String(r['WORD']));
  assert.ok(words.length > 500, `the server listed ${words.length} keywords`);
  const unquotedButReserved: string[] = [];
  for (const word of words) {
    if (quoteName(word) !== word) continue;
    const name = `\`${word}\``;
    const accepted = await raw.query(`WITH ${name} AS (SELECT 1 AS ${name}) SELECT ${word} FROM ${word}`).then(() => true, (error: { errno?: number }) => {
      if (error.errno !== 1064) throw error;
      return false;
    });
    if (!accepted) unquotedButReserved.push(word);
  }
  assert.deepEqual(unquotedButReserved, [], 'the server refused these unquoted, but completion would insert them bare');
});
