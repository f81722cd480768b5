import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { PagePosition } from '../src/drivers/mysql';
import type { Driver, MySqlProfile } from '../src/drivers/types';
import { sessionOfKind } from '../src/core/sessionKinds';
import { Figure, median } from './figures';

const ROWS = 10_000_000;
const PAGE = 1000;
const DEEP = 10_000;
const RUNS = 5;

/** `mariadb --quick` running one statement, output thrown away: seconds. */
function mariadbQuick(url: URL, sql: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/mariadb', ['--no-defaults', '--quick', '--batch', `-h${url.hostname}`, `-P${url.port}`, `-u${decodeURIComponent(url.username)}`,
      `-p${decodeURIComponent(url.password)}`, url.pathname.slice(1), '-e', sql], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`mariadb exited ${code}: ${stderr}`))));
  });
}

/**
 * The table view's first page and page 10,000 of a 10,000,000-row table (pages of 1,000, by key), each beside
 * `mariadb --quick` fetching the same rows with the same statement, and the OFFSET way of reaching page 10,000.
 */
export async function tableDataFigures(root: string): Promise<Figure[]> {
  const { driver } = require(join(root, 'dist', 'drivers', 'mysql.js')) as { driver: Driver<MySqlProfile> };
  const url = new URL(process.env['MYSQL_URL']!);
  const database = url.pathname.slice(1);
  const raw = await createConnection(process.env['MYSQL_URL']!);
  await raw.query('DROP TABLE IF EXISTS bench_big');
  await raw.query('CREATE TABLE bench_big (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(12,2) NOT NULL, created DATETIME NOT NULL)');
  const filled = process.hrtime.bigint();
  // In slices, so that no single transaction has to hold 10 million rows' undo.
  for (let from = 0; from < ROWS; from += 1_000_000) {
    await raw.query(`INSERT INTO bench_big SELECT seq, CONCAT('name-', seq), seq * 0.25, '2026-01-01' + INTERVAL seq SECOND FROM seq_${from + 1}_to_${from + 1_000_000}`);
  }
  const fillSeconds = Number(process.hrtime.bigint() - filled) / 1e9;
  const profile: MySqlProfile = { id: 'b', name: 'bench', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database, tls: false, readOnly: true };
  const session = sessionOfKind(await driver.connect(profile, { secrets: { password: decodeURIComponent(url.password) }, timeoutMs: 10_000, hostKeys: { verify: async () => false } }), 'mysql');
  try {
    const layout = (await session.tableLayout(database, 'bench_big'))!;
    const query = { filter: '' };
    // The last row of page 9,999, as the view holds it when Next is pressed there.
    const before = await session.readPage(layout, { filter: `id = ${(DEEP - 1) * PAGE}` }, { kind: 'first' }, 1);
    const deepStart: PagePosition = { kind: 'after', row: before.rows.slice(0, 1)[0]! };
    const timed = async (position: PagePosition): Promise<{ ms: number; sql: string }> => {
      const start = process.hrtime.bigint();
      const page = await session.readPage(layout, query, position, PAGE);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (page.rows.length !== PAGE) throw new Error(`a page of ${page.rows.length} rows`);
      return { ms, sql: page.sql };
    };
    const firstRuns: number[] = [];
    const deepRuns: number[] = [];
    const quickFirst: number[] = [];
    const quickDeep: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const first = await timed({ kind: 'first' });
      const deep = await timed(deepStart);
      firstRuns.push(first.ms);
      deepRuns.push(deep.ms);
      quickFirst.push(await mariadbQuick(url, first.sql));
      quickDeep.push(await mariadbQuick(url, deep.sql));
    }
    const offset = await mariadbQuick(url, `SELECT id, name, amount, created FROM bench_big ORDER BY id LIMIT ${PAGE} OFFSET ${(DEEP - 1) * PAGE}`);
    return [
      { name: `table view: filling ${ROWS.toLocaleString('en-US')} rows with INSERT … SELECT from seq (set-up)`, value: fillSeconds, unit: 's' },
      { name: `table view: first page (${PAGE.toLocaleString('en-US')} rows) of ${ROWS.toLocaleString('en-US')}, median of ${RUNS}`, value: median(firstRuns), unit: 'ms', baseline: { name: 'mariadb --quick, the same statement', value: median(quickFirst) } },
      { name: `table view: page ${DEEP.toLocaleString('en-US')} by key, median of ${RUNS}`, value: median(deepRuns), unit: 'ms', baseline: { name: 'mariadb --quick, the same statement', value: median(quickDeep) }, target: 'as page 1' },
      { name: `table view: page ${DEEP.toLocaleString('en-US')} by key`, value: median(deepRuns), unit: 'ms', baseline: { name: `mariadb --quick, LIMIT ${PAGE} OFFSET ${((DEEP - 1) * PAGE).toLocaleString('en-US')}`, value: offset } },
    ];
  } finally {
    await session.close();
    await raw.query('DROP TABLE IF EXISTS bench_big');
    await raw.end();
  }
}
