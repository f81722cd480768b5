import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryHistory, searchHistory } from '../../src/storage/queryHistory';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-history-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const entry = (sql: string, extra: object = {}) => ({ profileId: 'db', database: 'shop', sql, at: Date.now(), ms: 3, outcome: 'ok' as const, rows: 1, ...extra });

test('statements survive a restart, newest first, per connection; a damaged line is skipped', async () => {
  const file = join(dir, 'a.jsonl');
  let changes = 0;
  const first = new QueryHistory(file, () => 100, () => changes++);
  await first.record(entry('SELECT 1'));
  await first.record(entry('SELECT 2', { profileId: 'other' }));
  await first.record(entry('UPDATE t SET a = 1', { outcome: 'error', error: 'Unknown column a' }));
  assert.equal(changes, 3);
  appendFileSync(file, '{"not": "an entry"}\nnot json at all\n');
  const again = new QueryHistory(file, () => 100);
  assert.deepEqual((await again.list()).map((e) => e.sql), ['UPDATE t SET a = 1', 'SELECT 2', 'SELECT 1']);
  assert.deepEqual((await again.list('db')).map((e) => e.sql), ['UPDATE t SET a = 1', 'SELECT 1']);
  const failed = (await again.list())[0]!;
  assert.equal(failed.outcome, 'error');
  assert.equal(failed.error, 'Unknown column a');
});

test('the cap keeps the newest statements; 0 keeps none; the file never holds result data', async () => {
  const file = join(dir, 'b.jsonl');
  const history = new QueryHistory(file, () => 10);
  for (let i = 0; i < 25; i++) await history.record(entry(`SELECT ${i}`));
  const kept = await history.list();
  assert.ok(kept.length <= 11, String(kept.length));
  assert.equal(kept[0]!.sql, 'SELECT 24');
  const reread = await new QueryHistory(file, () => 10).list();
  assert.deepEqual(reread.map((e) => e.sql), kept.map((e) => e.sql));
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!)).sort(), ['at', 'database', 'id', 'ms', 'outcome', 'profileId', 'rows', 'sql']);
  const off = new QueryHistory(join(dir, 'c.jsonl'), () => 0);
  assert.equal(await off.record(entry('SELECT 1')), undefined);
  assert.deepEqual(await off.list(), []);
});

test('removing, clearing one connection, and searching by every word', async () => {
  const history = new QueryHistory(join(dir, 'd.jsonl'), () => 100);
  const a = await history.record(entry('SELECT * FROM orders WHERE total > 100'));
  await history.record(entry('SELECT name FROM customers', { database: 'crm' }));
  await history.record(entry('SELECT 1', { profileId: 'other' }));
  assert.deepEqual(searchHistory(await history.list(), 'orders total').map((e) => e.sql), ['SELECT * FROM orders WHERE total > 100']);
  assert.deepEqual(searchHistory(await history.list(), 'CRM').map((e) => e.sql), ['SELECT name FROM customers']);
  await history.remove(new Set([a!.id]));
  await history.clear('other');
  assert.deepEqual((await history.list()).map((e) => e.sql), ['SELECT name FROM customers']);
});
