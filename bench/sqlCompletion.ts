import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { Connection, createConnection } from 'mysql2/promise';
import type { MySqlSession } from '../src/drivers/mysql';
import type { Driver, MySqlProfile } from '../src/drivers/types';
import { sessionOfKind } from '../src/core/sessionKinds';
import { Figure, median } from './figures';

const TABLES = 2000;
const COLUMNS = 20;
const SMALL = 20;
const RUNS = 400;

/** A database of `tables` tables of COLUMNS columns; every tenth has a foreign key to the one before it. */
async function generate(raw: Connection, database: string, tables: number): Promise<void> {
  await raw.query(`DROP DATABASE IF EXISTS ${database}`);
  await raw.query(`CREATE DATABASE ${database}`);
  const name = (i: number): string => `t${String(i).padStart(4, '0')}`;
  for (let start = 0; start < tables; start += 100) {
    const ddl: string[] = [];
    for (let i = start; i < Math.min(tables, start + 100); i++) {
      const columns = ['id INT PRIMARY KEY', 'parent_id INT NULL'];
      for (let c = 2; c < COLUMNS; c++) columns.push(`col_${String(c).padStart(2, '0')}_${c % 2 ? 'name' : 'count'} ${c % 2 ? 'VARCHAR(40)' : 'INT'} NULL COMMENT 'column ${c} of ${name(i)}'`);
      if (i % 10 === 1) columns.push(`FOREIGN KEY (parent_id) REFERENCES ${name(i - 1)}(id)`);
      ddl.push(`CREATE TABLE ${database}.${name(i)} (${columns.join(', ')})`);
    }
    await raw.query(ddl.join(';\n'));
  }
}

/** The statements typed, with the caret at `|`: every context completion reads differently. */
const CASES = [
  'SELECT | FROM t0001 a JOIN t0000 b ON a.parent_id = b.id WHERE a.col_03_name LIKE \'x%\'',
  'SELECT a.| FROM t0001 a JOIN t0000 b ON a.parent_id = b.id',
  'SELECT * FROM t0001 a JOIN t0000 b ON |',
  'SELECT * FROM t1|',
  'SELECT a.id, b.col_02_count FROM t0011 a JOIN t0010 b ON a.parent_id = b.id WHERE b.col_0|',
  'UPDATE t0005 SET col_03_name = \'y\' WHERE |',
  'SELECT COUNT(*) FROM t0012 x GROUP BY x.|',
];

function timings(session: MySqlSession, database: string): number[] {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const text = CASES[run % CASES.length]!;
    const offset = text.indexOf('|');
    const start = process.hrtime.bigint();
    const facts = session.complete(text.replace('|', ''), offset, database);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (facts.items.length === 0) throw new Error(`no completion for ${text}`);
  }
  return times;
}

/**
 * Completion after `alias.` in the last statement of a file of `statements` statements, each time after a keystroke:
 * at the end of the file (`where: 'end'`, a space typed after the caret) or in its first statement (`'top'`, where
 * everything after the keystroke is split again).
 */
function documentTiming(session: MySqlSession, database: string, statements: number, where: 'end' | 'top'): number {
  let text = '';
  for (let i = 0; i < statements; i++) text += `SELECT a.id, b.col_03_name FROM t${String(i % TABLES).padStart(4, '0')} a JOIN t0000 b ON a.parent_id = b.id WHERE a.col_05_name = 'x${i}';\n`;
  text += 'SELECT a. FROM t0001 a';
  const offset = text.length - ' FROM t0001 a'.length;
  const times: number[] = [];
  for (let run = 0; run < 30; run++) {
    const typed = ' '.repeat(run % 2);
    const edited = where === 'end' ? text + typed : `SELECT 1${typed}` + text.slice('SELECT a'.length);
    const caret = where === 'end' ? offset : offset - 'a'.length + '1'.length + typed.length;
    const start = process.hrtime.bigint();
    if (!session.complete(edited, caret, database).items.length) throw new Error('no completion in the file');
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/**
 * Completion latency on a 2,000-table × 20-column schema beside the same completions on a 20-table one, and how the
 * schema load behaves: the first tables offered while it streams, the whole of it, the event loop meanwhile.
 */
export async function sqlCompletionFigures(root: string): Promise<Figure[]> {
  const { driver } = require(join(root, 'dist', 'drivers', 'mysql.js')) as { driver: Driver<MySqlProfile> };
  const url = new URL(process.env['MYSQL_URL']!);
  const raw = await createConnection({ uri: process.env['MYSQL_URL']!, multipleStatements: true });
  const big = 'bench_completion_big';
  const small = 'bench_completion_small';
  const generated = process.hrtime.bigint();
  await generate(raw, big, TABLES);
  await generate(raw, small, SMALL);
  const generateSeconds = Number(process.hrtime.bigint() - generated) / 1e9;
  const profile: MySqlProfile = { id: 'b', name: 'bench', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database: big, tls: false, readOnly: false };
  const session = sessionOfKind(await driver.connect(profile, { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: 10_000, hostKeys: { verify: async () => false } }), 'mysql');
  try {
    // The load streams while completion answers from what is there: how soon the first tables and columns come.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = process.hrtime.bigint();
    const since = (): number => Number(process.hrtime.bigint() - started) / 1e6;
    let firstTables = 0;
    let firstColumns = 0;
    const loaded = session.catalogLoaded(big);
    let done = false;
    void loaded.then(() => (done = true));
    while (!done) {
      if (!firstTables && session.complete('SELECT * FROM ', 14, big).items.length) firstTables = since();
      if (!firstColumns && session.complete('SELECT | FROM t0000', 7, big).items.some((i) => i.kind === 'column')) firstColumns = since();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const whole = since();
    loop.disable();
    // The same loop for as long again with nothing loading: what the machine itself costs the event loop meanwhile.
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    const idleUntil = Date.now() + whole;
    while (Date.now() < idleUntil) await new Promise((resolve) => setImmediate(resolve));
    idle.disable();
    await session.catalogLoaded(small);
    const bigTimes = timings(session, big);
    const smallTimes = timings(session, small);
    const [fileSmall, fileBig, fileBigTop] = [documentTiming(session, big, 500, 'end'), documentTiming(session, big, 5000, 'end'), documentTiming(session, big, 5000, 'top')];
    const worst = (times: number[]): number => Math.max(...times);
    return [
      { name: `sql completion: generating ${TABLES.toLocaleString('en-US')} tables × ${COLUMNS} columns (set-up)`, value: generateSeconds, unit: 's' },
      { name: 'sql completion: first tables offered while the schema streams in', value: firstTables, unit: 'ms', baseline: { name: 'the whole schema loaded', value: whole } },
      { name: 'sql completion: first columns offered while the schema streams in', value: firstColumns, unit: 'ms', baseline: { name: 'the whole schema loaded', value: whole } },
      { name: 'sql completion: worst event-loop delay while the schema loads', value: loop.max / 1e6, unit: 'ms', baseline: { name: 'the same loop idle as long', value: idle.max / 1e6 }, target: '< 50 ms' },
      { name: `sql completion on ${TABLES.toLocaleString('en-US')} × ${COLUMNS}, median of ${RUNS}`, value: median(bigTimes), unit: 'ms', baseline: { name: `the same on ${SMALL} tables`, value: median(smallTimes) }, target: '< 20 ms' },
      { name: `sql completion on ${TABLES.toLocaleString('en-US')} × ${COLUMNS}, worst of ${RUNS}`, value: worst(bigTimes), unit: 'ms', baseline: { name: `the same on ${SMALL} tables`, value: worst(smallTimes) }, target: '< 50 ms' },
      { name: 'sql completion in the last statement of a 500-statement file (~53 KB) as it is typed, median', value: fileSmall, unit: 'ms', baseline: { name: 'the statement alone', value: median(bigTimes) }, target: '< 20 ms' },
      { name: 'sql completion in the last statement of a 5,000-statement file (~530 KB) as it is typed, median', value: fileBig, unit: 'ms', baseline: { name: 'the statement alone', value: median(bigTimes) }, target: '< 20 ms' },
      { name: 'sql completion in that file after a keystroke in its first statement (all of it split again), median', value: fileBigTop, unit: 'ms', baseline: { name: 'the statement alone', value: median(bigTimes) } },
    ];
  } finally {
    await session.close();
    await raw.query(`DROP DATABASE IF EXISTS ${big}; DROP DATABASE IF EXISTS ${small}`);
    await raw.end();
  }
}
