import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { Connection, createConnection } from 'mysql2/promise';
import * as ts from 'typescript';
import { driver, modelSource, MySqlSession, splitStatements } from '../../src/drivers/mysql';
import { Cell, ColumnInfo, StatementOutcome } from '../../src/drivers/mysql/resultShapes';
import { MySqlProfile } from '../../src/drivers/types';
import { CollectedRows, need, pinnedHostKey, TIMEOUT_MS } from './env';
import { eventually } from '../eventually';

const url = new URL(need('MYSQL_URL'));
const DB = 'sbtest_shop';
const profile: MySqlProfile = {
  id: 'sq', name: 'maria', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database: DB, tls: false, readOnly: false,
};
const options = { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };

let raw: Connection;
let session: MySqlSession;

before(async () => {
  raw = await createConnection({ host: url.hostname, port: Number(url.port), user: profile.username, password: options.secrets.password, multipleStatements: true });
  await raw.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB} CHARACTER SET utf8mb4; USE ${DB};
    CREATE TABLE users (id INT UNSIGNED PRIMARY KEY AUTO_INCREMENT, name VARCHAR(80) NOT NULL, email VARCHAR(120) NOT NULL UNIQUE,
      nickname VARCHAR(40) NULL, balance DECIMAL(12,2) NOT NULL DEFAULT 0, big BIGINT UNSIGNED NULL, born DATE NULL, created DATETIME(3) NULL,
      avatar BLOB NULL, prefs JSON NULL, active TINYINT(1) NOT NULL DEFAULT 1);
    CREATE TABLE profiles (id INT UNSIGNED PRIMARY KEY AUTO_INCREMENT, user_id INT UNSIGNED NOT NULL UNIQUE, bio TEXT, FOREIGN KEY (user_id) REFERENCES users(id));
    CREATE TABLE posts (id INT UNSIGNED PRIMARY KEY AUTO_INCREMENT, author_id INT UNSIGNED NOT NULL, title VARCHAR(200) NOT NULL, status ENUM('draft','live') NOT NULL DEFAULT 'draft',
      FOREIGN KEY (author_id) REFERENCES users(id), INDEX posts_title (title));
    CREATE TABLE tags (id INT UNSIGNED PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL);
    CREATE TABLE post_tags (post_id INT UNSIGNED NOT NULL, tag_id INT UNSIGNED NOT NULL, PRIMARY KEY (post_id, tag_id),
      FOREIGN KEY (post_id) REFERENCES posts(id), FOREIGN KEY (tag_id) REFERENCES tags(id));
    CREATE VIEW live_posts AS SELECT id, title FROM posts WHERE status = 'live';
    INSERT INTO users (name, email, nickname, balance, big, born, created, avatar, prefs) VALUES
      ('Ada', 'ada@example.com', '', 1234567890.12, 18446744073709551615, '1815-12-10', '2024-01-02 03:04:05.678', X'00FF10', '{"theme": "dark", "n": 12345678901234567891}'),
      ('Grace', 'grace@example.com', NULL, 0.5, NULL, NULL, NULL, NULL, NULL);
    INSERT INTO profiles (user_id, bio) VALUES (1, 'Analytical');
    INSERT INTO posts (author_id, title, status) VALUES (1, 'Notes on the engine', 'live'), (1, 'Bernoulli numbers', 'draft'), (2, 'COBOL', 'live');
    INSERT INTO tags (name) VALUES ('math'), ('history');
    INSERT INTO post_tags VALUES (1, 1), (1, 2), (2, 1);
    CREATE PROCEDURE two_sets() BEGIN SELECT COUNT(*) AS users FROM users; SELECT name FROM tags ORDER BY id; END;`);
  session = await driver.connect(profile, options);
});

after(async () => {
  await session.close();
  await raw.query(`DROP DATABASE IF EXISTS ${DB}`);
  await raw.end();
});

interface Collected { columns: ColumnInfo[][]; rows: Cell[][][]; outcome: StatementOutcome }

async function run(sql: string, opts: { maxRows?: number; maxBytes?: number; signal?: AbortSignal; readOnly?: MySqlSession } = {}): Promise<Collected> {
  const runner = await (opts.readOnly ?? session).openRun(DB);
  try {
    const [statement] = splitStatements(sql);
    const sink = new CollectedRows();
    const outcome = await runner.run(statement!, sink, { maxRows: opts.maxRows ?? 100_000, ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    return { columns: sink.columnSets, rows: sink.cells(), outcome };
  } finally {
    runner.close();
  }
}

test('mysql sql: statements split like the mysql client, with their lines', () => {
  const script = "SELECT 1;\n-- a comment; with a semicolon\nSELECT 'a;b';\nDELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; END$$\nDELIMITER ;\nSELECT `x;y` FROM t";
  const statements = splitStatements(script);
  assert.deepEqual(statements.map((s) => s.text.replace(/^--[^\n]*\n/, '')), ["SELECT 1", "SELECT 'a;b'", 'CREATE PROCEDURE p() BEGIN SELECT 1; END', 'SELECT `x;y` FROM t']);
  assert.deepEqual(statements.map((s) => s.line), [0, 1, 4, 6]);
});

test('mysql sql: types come through exactly: NULL apart from empty, BIGINT past 2^53, DECIMAL, dates, JSON, binary', async () => {
  const { columns, rows, outcome } = await run('SELECT id, name, nickname, balance, big, born, created, avatar, prefs, active FROM users ORDER BY id');
  assert.equal(outcome.error, undefined);
  assert.deepEqual(outcome.results.map((r) => r.kind === 'rows' && [r.rowCount, r.complete]), [[2, true]]);
  const [ada, grace] = rows[0]!;
  // JSON is the server's own text: a number past 2^53 inside it is not rounded by a parse and a stringify.
  assert.deepEqual(ada, ['1', 'Ada', '', '1234567890.12', '18446744073709551615', '1815-12-10', '2024-01-02 03:04:05.678', '0x00ff10', '{"theme": "dark", "n": 12345678901234567891}', '1']);
  assert.deepEqual(grace!.slice(2, 9), [null, '0.50', null, null, null, null, null]);
  const kinds = Object.fromEntries(columns[0]!.map((c) => [c.name, c.kind]));
  assert.deepEqual(kinds, { id: 'number', name: 'text', nickname: 'text', balance: 'number', big: 'number', born: 'date', created: 'date', avatar: 'binary', prefs: 'json', active: 'number' });
  assert.equal(columns[0]![0]!.primaryKey, true);
  assert.equal(columns[0]![0]!.table, 'users');
});

test('mysql sql: cells read off the wire agree with mysql2\'s own parser for every column type; the character set is honoured', async () => {
  await raw.query(`CREATE TABLE ${DB}.wire_types (id INT PRIMARY KEY, t TINYINT, s SMALLINT, m MEDIUMINT, u INT UNSIGNED, b BIGINT, d DECIMAL(30,10),
    f FLOAT, g DOUBLE, bits BIT(5), day DATE, tm TIME(3), dt DATETIME(6), ts TIMESTAMP NULL, y YEAR, c CHAR(4), v VARCHAR(40), tx TEXT, lt LONGTEXT,
    bn BINARY(4), vb VARBINARY(8), bl BLOB, e ENUM('a','b'), st SET('x','y'), j JSON, sp POINT NULL)`);
  await raw.query(`INSERT INTO ${DB}.wire_types VALUES
    (1, -128, 32767, -8388608, 4294967295, -9223372036854775808, 12345678901234567890.0123456789, 1.5, -2.25, b'10101', '2024-02-29', '-838:59:59.000',
      '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05', 2155, 'ab', 'Grüße 😀 \\"q\\"', REPEAT('t', 300), REPEAT('€', 70000), X'00FF0102', X'DEADBEEF', X'00', 'b', 'x,y',
      '{"a": [1, 2.50, "z"]}', ST_GeomFromText('POINT(1 2)')),
    (2, 0, 0, 0, 0, 0, 0, 0, 0, b'0', '1000-01-01', '00:00:00', '1000-01-01 00:00:00', NULL, 1901, '', '', '', '', X'00000000', X'', X'', 'a', '', '[]', NULL),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  try {
    const sql = 'SELECT * FROM wire_types ORDER BY id';
    const ours = (await run(sql)).rows[0]!;
    // mysql2 parsing the same rows with the driver's options; its values written the way the grid writes them.
    const reference = await createConnection({ host: url.hostname, port: Number(url.port), user: profile.username, password: options.secrets.password, database: DB,
      supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, jsonStrings: true, charset: 'utf8mb4' });
    try {
      const [theirs] = await reference.query({ sql: sql.replace('*', 'id, t, s, m, u, b, d, f, g, bits, day, tm, dt, ts, y, c, v, tx, lt, bn, vb, bl, e, st, j'), rowsAsArray: true });
      const expected = (theirs as unknown[][]).map((row) => row.map((value) => (value === null ? null : Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : String(value))));
      assert.deepEqual(ours.map((row) => row.slice(0, -1)), expected);
      // A geometry is its WKB bytes, shown as hex like any binary value.
      const [wkb] = await reference.query({ sql: 'SELECT LOWER(HEX(ST_AsWKB(sp))) FROM wire_types WHERE id = 1', rowsAsArray: true });
      const hex = (wkb as string[][])[0]![0]!;
      assert.equal(ours[0]!.at(-1)?.slice(-hex.length), hex);
    } finally {
      await reference.end();
    }
    // A session that asks for another character set gets its text decoded in that set.
    const runner = await session.openRun(DB);
    try {
      const sink = new CollectedRows();
      for (const statement of splitStatements("SET NAMES cp1251; SELECT v, CONVERT('Привет' USING utf8mb4) AS hello FROM wire_types WHERE id = 1; SET NAMES utf8mb4")) {
        const outcome = await runner.run(statement, sink, { maxRows: 10 });
        assert.equal(outcome.error, undefined, outcome.error?.message);
      }
      assert.deepEqual(sink.cells(), [[['Gr??e ? "q"', 'Привет']]]);
    } finally {
      runner.close();
    }
  } finally {
    await raw.query(`DROP TABLE ${DB}.wire_types`);
  }
});

test('mysql sql: several result sets, DML counts and insert ids', async () => {
  const sets = await run('CALL two_sets()');
  assert.deepEqual(sets.rows.slice(0, 2), [[['2']], [['math'], ['history']]]);
  const insert = await run("INSERT INTO tags (name) VALUES ('new')");
  assert.deepEqual(insert.outcome.results, [{ kind: 'change', affectedRows: 1, insertId: '3', warnings: 0 }]);
  const update = await run("UPDATE tags SET name = UPPER(name) WHERE id <= 3");
  const change = update.outcome.results[0];
  assert.ok(change?.kind === 'change' && change.affectedRows === 3 && change.changedRows === 3, JSON.stringify(change));
  await run('DELETE FROM tags WHERE id = 3');
});

test('mysql sql: errors carry code, number and the editor line the server points at', async () => {
  const runner = await session.openRun(DB);
  try {
    const [, statement] = splitStatements('SELECT 1;\n\nSELECT *\nFROM users\nWHERE id = = 2');
    const outcome = await runner.run(statement!, { columns: () => undefined, rows: () => undefined }, { maxRows: 10 });
    assert.equal(outcome.error?.code, 'ER_PARSE_ERROR');
    assert.equal(outcome.error?.errno, 1064);
    assert.equal(outcome.error?.line, 4, 'the third line of a statement that starts on line 2 (zero-based)');
  } finally {
    runner.close();
  }
  const missing = await run('SELECT * FROM no_such_table');
  assert.equal(missing.outcome.error?.code, 'ER_NO_SUCH_TABLE');
  assert.match(missing.outcome.error?.message ?? '', /no_such_table/);
});

test('mysql sql: a long query is cancelled on the server (KILL QUERY) and the session goes on', async () => {
  const controller = new AbortController();
  const running = run('SELECT SLEEP(30)', { signal: controller.signal });
  // Cancelled once the server runs it (it shows in the process list), not at a guessed moment.
  await eventually('the query to run on the server', async () => {
    const [listed] = await raw.query<import('mysql2').RowDataPacket[]>(`SELECT COUNT(*) n FROM information_schema.PROCESSLIST WHERE DB = '${DB}' AND INFO = 'SELECT SLEEP(30)'`);
    return Number(listed[0]!['n']) > 0;
  });
  const started = Date.now();
  controller.abort();
  const { outcome } = await running;
  assert.ok(Date.now() - started < 5000, 'returned soon after the cancel');
  assert.ok(outcome.cancelled || outcome.results.some((r) => r.kind === 'rows' && !r.complete), JSON.stringify(outcome));
  const [processes] = await raw.query<import('mysql2').RowDataPacket[]>("SELECT COUNT(*) n FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(30)'");
  assert.equal(Number(processes[0]!['n']), 0, 'nothing left running on the server');
  assert.deepEqual((await run('SELECT 42')).rows[0], [['42']]);
});

test('mysql sql: a result beyond the row cap or the bytes kept stops there and says which; one of exactly the cap is whole', async () => {
  const { rows, outcome } = await run('SELECT seq FROM seq_1_to_100000', { maxRows: 1000 });
  assert.equal(rows[0]!.length, 1000);
  const [set] = outcome.results;
  assert.ok(set?.kind === 'rows' && set.capped === 'rows' && !set.complete && set.rowCount === 1000, JSON.stringify(set));
  assert.equal(outcome.error, undefined);
  // Exactly as many rows as the cap is a whole result.
  const exact = await run('SELECT seq FROM seq_1_to_1000', { maxRows: 1000 });
  assert.deepEqual(exact.outcome.results.map((r) => r.kind === 'rows' && [r.rowCount, r.complete, r.capped]), [[1000, true, false]]);
  // Wide rows stop at the bytes kept: 1 KB rows under a 100 KB cap.
  const wide = await run("SELECT seq, REPEAT('x', 1000) FROM seq_1_to_10000", { maxBytes: 100_000 });
  const [held] = wide.outcome.results;
  assert.ok(held?.kind === 'rows' && held.capped === 'bytes' && !held.complete && held.rowCount > 90 && held.rowCount < 100, JSON.stringify(held));
  assert.equal(wide.rows[0]!.length, held.rowCount);
});

test('mysql sql: a read-only connection runs reading statements only, and the server session is read-only too', async () => {
  const ro = await driver.connect({ ...profile, readOnly: true }, options);
  try {
    for (const sql of ["INSERT INTO tags (name) VALUES ('x')", 'DELETE FROM tags', 'DROP TABLE tags', "SET SESSION TRANSACTION READ WRITE", 'SELECT * FROM users INTO OUTFILE \'/tmp/x\'', 'WITH t AS (SELECT 1) DELETE FROM tags']) {
      const { outcome } = await run(sql, { readOnly: ro });
      assert.equal(outcome.error?.code, 'READ_ONLY', sql);
      assert.match(outcome.error?.message ?? '', /read-only connection/);
    }
    assert.deepEqual((await run('SELECT @@session.tx_read_only', { readOnly: ro })).rows[0], [['1']]);
    assert.deepEqual((await run('SELECT COUNT(*) FROM tags', { readOnly: ro })).rows[0], [['2']]);
    await assert.rejects(ro.scratchpad(DB, 'return 1', { language: 'javascript', timeoutMs: 5000, commit: true, print: () => undefined }), /read-only/);
  } finally {
    await ro.close();
  }
});

test('mysql sql: export to CSV and JSON streams every row, NULL and binary kept apart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-export-'));
  try {
    const write = async (format: 'csv' | 'json'): Promise<string> => {
      const file = join(dir, `users.${format}`);
      const out = createWriteStream(file);
      const n = await session.export('SELECT id, name, nickname, avatar, prefs FROM users ORDER BY id', out, { format, database: DB });
      await new Promise((r) => out.end(r));
      assert.equal(n, 2);
      return readFileSync(file, 'utf8');
    };
    const csv = await write('csv');
    assert.equal(csv, 'id,name,nickname,avatar,prefs\n1,Ada,,0x00ff10,"{""theme"": ""dark"", ""n"": 12345678901234567891}"\n2,Grace,,,\n');
    const json = JSON.parse(await write('json')) as Record<string, unknown>[];
    assert.deepEqual(json[0], { id: '1', name: 'Ada', nickname: '', avatar: '0x00ff10', prefs: '{"theme": "dark", "n": 12345678901234567891}' });
    assert.deepEqual(json[1], { id: '2', name: 'Grace', nickname: null, avatar: null, prefs: null });
    await assert.rejects(session.export('DELETE FROM users', new PassThrough(), { format: 'csv' }), /Only a read can be exported/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mysql schema: the tree shows models, columns, indexes and foreign keys', async () => {
  const db = (await session.children()).find((n) => n.label === DB)!;
  const rows = await session.children(db);
  assert.deepEqual(rows.map((r) => r.label), ['Models', 'live_posts', 'posts', 'post_tags', 'profiles', 'tags', 'users']);
  const posts = rows.find((r) => r.label === 'posts')!;
  const postRows = await session.children(posts);
  assert.deepEqual(postRows.map((r) => r.label), ['id', 'author_id', 'title', 'status', 'Indexes', 'Foreign keys']);
  const [fk] = await session.children(postRows.find((r) => r.label === 'Foreign keys'));
  assert.equal(fk?.label, '(author_id) → users(id)');
  const indexes = await session.children(postRows.find((r) => r.label === 'Indexes'));
  assert.ok(indexes.some((i) => i.label === 'posts_title' && i.description === '(title)'));
  const models = await session.children(rows[0]);
  assert.deepEqual(models.map((m) => m.label), ['LivePost', 'Post', 'PostTag', 'Profile', 'Tag', 'User']);
  const user = await session.children(models.find((m) => m.label === 'User'));
  assert.deepEqual(user.map((a) => `${a.label}: ${a.description}`), ['posts: hasMany Post · author_id', 'profile: hasOne Profile · user_id']);
  const post = await session.children(models.find((m) => m.label === 'Post'));
  assert.deepEqual(post.map((a) => `${a.label}: ${a.description}`), ['author: belongsTo User · author_id', 'postTags: hasMany PostTag · post_id', 'tags: belongsToMany Tag through PostTag · post_id']);
});

test('mysql models: generated TypeScript compiles under strict settings against the real sequelize types', async () => {
  const source = modelSource(await session.modelGraph(DB));
  assert.match(source, /export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>>/);
  assert.match(source, /declare big: string \| null;/);
  assert.match(source, /declare prefs: object \| null;/);
  assert.match(source, /declare status: CreationOptional<"draft" \| "live">;/);
  assert.match(source, /status: \{ type: DataTypes\.ENUM\('draft', 'live'\), allowNull: false, defaultValue: 'draft' \}/);
  assert.match(source, /Post\.belongsToMany\(Tag, \{ as: 'tags', foreignKey: 'post_id', through: PostTag, otherKey: 'tag_id' \}\);/);
  const file = join(__dirname, 'generated-models.ts');
  writeFileSync(file, source);
  try {
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, types: ['node'] });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, []);
  } finally {
    rmSync(file);
  }
});

test('mysql orm: the builder shows the SQL first, then runs findAll with includes, count and grouped aggregates', async () => {
  const query = {
    model: 'Post', method: 'findAll' as const, combine: 'and' as const,
    where: [{ attribute: 'status', op: 'eq' as const, value: 'live' }, { attribute: 'author.name', op: 'like' as const, value: 'A%' }],
    attributes: ['id', 'title'], include: [{ as: 'author', attributes: ['name'] }], order: [{ attribute: 'id', direction: 'ASC' as const }], limit: 10,
  };
  const [sql] = await session.previewOrm(DB, query);
  assert.match(sql ?? '', /^SELECT `Post`\.`id`, `Post`\.`title`, `author`\.`name` AS `author\.name` FROM `posts` AS `Post` LEFT OUTER JOIN `users` AS `author` ON `Post`\.`author_id` = `author`\.`id`/);
  assert.match(sql ?? '', /`Post`\.`status` = 'live' AND `author`\.`name` LIKE 'A%'/);
  const result = await session.runOrm(DB, query);
  assert.deepEqual(result.columns, ['id', 'title', 'author.name']);
  assert.deepEqual(result.rows, [['1', 'Notes on the engine', 'Ada']]);
  assert.equal(result.sql[0], sql, 'what ran is what was shown');
  const counted = await session.runOrm(DB, { model: 'User', method: 'count', combine: 'or', where: [{ attribute: 'nickname', op: 'isNull', value: '' }, { attribute: 'id', op: 'in', value: '1, 2' }] });
  assert.equal(counted.count, 2);
  const grouped = await session.runOrm(DB, { model: 'Post', method: 'findAll', combine: 'and', where: [], attributes: ['author_id'], group: ['author_id'], aggregates: [{ fn: 'COUNT', attribute: 'id', as: 'posts' }], order: [{ attribute: 'author_id', direction: 'ASC' }] });
  assert.deepEqual(grouped.rows, [['1', '2'], ['2', '1']]);
  const many = await session.runOrm(DB, { model: 'Tag', method: 'findAndCountAll', combine: 'and', where: [{ attribute: 'id', op: 'between', value: '1,2' }], include: [{ as: 'posts', attributes: ['title'], required: true }] });
  assert.equal(many.count, 2);
  // A hasMany include is one row per instance: Ada with her two posts nested under one cell, not two rows.
  const ada = await session.runOrm(DB, { model: 'User', method: 'findAll', combine: 'and', where: [{ attribute: 'id', op: 'eq', value: '1' }], attributes: ['id', 'name'], include: [{ as: 'posts', attributes: ['title'] }] });
  assert.deepEqual(ada.columns, ['id', 'name', 'posts']);
  assert.deepEqual(ada.rows, [['1', 'Ada', '2 posts']]);
  assert.equal(ada.nested.length, 1);
  assert.deepEqual({ row: ada.nested[0]?.row, column: ada.nested[0]?.column, model: ada.nested[0]?.model }, { row: 0, column: 2, model: 'Post' });
  assert.deepEqual(ada.nested[0]?.table.columns, ['title']);
  assert.deepEqual(ada.nested[0]?.table.rows.map((r) => r[0]).sort(), ['Bernoulli numbers', 'Notes on the engine']);
  // Many-to-many: the junction row is not shown as an attribute of each post.
  const math = await session.runOrm(DB, { model: 'Tag', method: 'findAll', combine: 'and', where: [{ attribute: 'id', op: 'eq', value: '1' }], attributes: ['id'], include: [{ as: 'posts', attributes: ['id'] }] });
  assert.deepEqual(math.rows, [['1', '2 posts']]);
  assert.deepEqual(math.nested[0]?.table.columns, ['id']);
  await assert.rejects(session.runOrm(DB, { model: 'Post', method: 'findAll', combine: 'and', where: [], include: [{ as: 'nope' }] }), /Post has no association "nope"/);
});

test('mysql scratchpad: a TypeScript snippet runs in a transaction that is rolled back unless committed; a slow one times out', async () => {
  const printed: string[] = [];
  const snippet = `
    const created = await models.User.create({ name: 'Temp', email: 'temp@example.com' });
    const n: number = await models.User.count({ where: { name: { [Op.like]: 'T%' } } });
    console.log('created', created.get('id'));
    return { n };`;
  const result = await session.scratchpad(DB, snippet, { language: 'typescript', timeoutMs: 10_000, commit: false, print: (l) => printed.push(l) });
  assert.deepEqual(result.value, { n: 1 });
  assert.equal(result.committed, false);
  assert.ok(printed.some((l) => /^-- INSERT INTO `users`/.test(l)), printed.join('\n'));
  assert.ok(printed.includes('created 3'));
  const [[after]] = await raw.query<import('mysql2').RowDataPacket[]>(`SELECT COUNT(*) n FROM ${DB}.users WHERE name = 'Temp'`);
  assert.equal(Number(after!['n']), 0, 'rolled back');
  await session.scratchpad(DB, "await models.Tag.create({ name: 'kept' })", { language: 'javascript', timeoutMs: 10_000, commit: true, print: () => undefined });
  const [[kept]] = await raw.query<import('mysql2').RowDataPacket[]>(`SELECT COUNT(*) n FROM ${DB}.tags WHERE name = 'kept'`);
  assert.equal(Number(kept!['n']), 1, 'committed');
  const started = Date.now();
  await assert.rejects(session.scratchpad(DB, "await sequelize.query('SELECT SLEEP(20)')", { language: 'javascript', timeoutMs: 800, commit: true, print: () => undefined }), /longer than 0.8 s: it was stopped and its changes were rolled back/);
  assert.ok(Date.now() - started < 5000);
  // The connection is usable again afterwards.
  assert.deepEqual((await session.scratchpad(DB, 'return (await models.Tag.findAll({ order: [["id", "ASC"]] })).map((t) => t.get("name"))', { language: 'javascript', timeoutMs: 5000, commit: false, print: () => undefined })).value, ['MATH', 'HISTORY', 'kept'], 'the tags as the UPDATE test left them, plus the committed one');
  await assert.rejects(session.scratchpad(DB, 'const x: = 1', { language: 'typescript', timeoutMs: 5000, commit: false, print: () => undefined }), /does not compile/);
});

test('mysql edits: grid edits become reviewed statements by primary key, applied all or nothing', async () => {
  const { columns, rows } = await run('SELECT id, name, nickname, avatar FROM users ORDER BY id');
  const target = await session.editTarget(columns[0]!);
  assert.ok(target, 'users with its primary key is editable');
  assert.deepEqual(target.keyColumns, [0]);
  const [ada, grace] = rows[0]!;
  const statements = session.editStatements(target, [
    { kind: 'update', row: 0, original: ada!, values: { 2: "O'Brien", 3: '0xcafe' } },
    { kind: 'update', row: 1, original: grace!, values: { 2: null } },
    { kind: 'insert', values: { 0: '99', 1: 'New', 2: null } },
  ]);
  // Values are bound, never part of the SQL; the row is matched as read, by every column.
  const text = (c: string): string => `CAST(CONVERT(\`${c}\` USING utf8mb4) AS BINARY) <=> CAST(? AS BINARY)`;
  const where = `\`id\` <=> ? AND ${text('id')} AND ${text('name')} AND ${text('nickname')} AND `;
  assert.deepEqual(statements.map((s) => s.sql), [
    `UPDATE \`sbtest_shop\`.\`users\` SET \`nickname\` = ?, \`avatar\` = ? WHERE ${where}CAST(\`avatar\` AS BINARY) <=> ?`,
    `UPDATE \`sbtest_shop\`.\`users\` SET \`nickname\` = ? WHERE ${where}\`avatar\` IS NULL`,
    'INSERT INTO `sbtest_shop`.`users` (`id`, `name`, `nickname`) VALUES (?, ?, ?)',
  ]);
  assert.deepEqual(statements[0]!.params, ["O'Brien", Buffer.from('cafe', 'hex'), '1', '1', 'Ada', '', Buffer.from('00ff10', 'hex')]);
  assert.deepEqual(statements.map((s) => s.label), ['row 1 (id = 1)', 'row 2 (id = 2)', 'new row 1']);
  assert.match(session.describeEdits(statements)[0]!, /^row 1 \(id = 1\):\nUPDATE .*\n {2}with \? = "O'Brien", 0xcafe, "1", "1", "Ada", "", 0x00ff10$/);
  await assert.rejects(session.applyStatements(statements), /Duplicate entry|doesn't have a default|email/i, 'the insert lacks the NOT NULL email: nothing is applied');
  const [[still]] = await raw.query<import('mysql2').RowDataPacket[]>(`SELECT nickname FROM ${DB}.users WHERE id = 1`);
  assert.equal(still!['nickname'], '', 'the first update was rolled back with the rest');
  assert.equal(await session.applyStatements(statements.slice(0, 2)), 2);
  const after = await run('SELECT nickname, HEX(avatar) FROM users ORDER BY id');
  assert.deepEqual(after.rows[0], [["O'Brien", 'CAFE'], [null, null]]);
  // A row someone else changed (its key gone) matches nothing: everything is rolled back and said so.
  const stale = session.editStatements(target, [{ kind: 'delete', row: 0, original: ['12345', 'x', null, null] }]);
  await assert.rejects(session.applyStatements(stale), /Nothing was saved: row 1 \(id = 12345\) no longer matches what was read/);
  assert.equal((await session.editTarget([{ ...columns[0]![1]!, table: '' }])), undefined, 'a computed column is not editable');
  const joined = await run('SELECT p.id, u.name FROM posts p JOIN users u ON u.id = p.author_id');
  assert.equal(await session.editTarget(joined.columns[0]!), undefined, 'two tables are not editable');
});
