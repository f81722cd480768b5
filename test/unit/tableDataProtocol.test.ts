import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from 'valibot';
import { tableProtocol } from '../../src/panels/tableData/protocol';

/** What a compromised table view could send: each refused by the protocol's schema before the host acts on it. */
test('the table view\'s messages: out-of-range columns and rows, huge filters, and unknown moves are refused', () => {
  const { commands, requests } = tableProtocol;
  const refused: [string, boolean][] = [
    ['sort by a column past the last', v.safeParse(commands.sort.params, { column: 4096, direction: 'ASC' }).success],
    ['sort by a negative column', v.safeParse(commands.sort.params, { column: -1, direction: 'ASC' }).success],
    ['sort by half a column', v.safeParse(commands.sort.params, { column: 1.5, direction: 'ASC' }).success],
    ['sort in SQL', v.safeParse(commands.sort.params, { column: 0, direction: 'ASC; DROP TABLE t' }).success],
    ['a filter past 64 KiB', v.safeParse(commands.filter.params, { filter: 'x'.repeat(64 * 1024 + 1) }).success],
    ['a filter that is not text', v.safeParse(commands.filter.params, { filter: { toString: 'DROP' } }).success],
    ['an unknown move', v.safeParse(commands.go.params, { to: 'drop' }).success],
    ['following row -1', v.safeParse(commands.follow.params, { page: 1, row: -1, column: 0 }).success],
    ['reading 5,001 rows at once', v.safeParse(requests.rows.params, { page: 1, start: 0, count: 5001 }).success],
    ['reading from row NaN', v.safeParse(requests.rows.params, { page: 1, start: Number.NaN, count: 10 }).success],
  ];
  assert.deepEqual(refused.filter(([, accepted]) => accepted).map(([what]) => what), []);
  assert.ok(v.safeParse(commands.sort.params, { column: 3, direction: 'DESC' }).success);
  assert.ok(v.safeParse(commands.filter.params, { filter: "status = 'open'" }).success);
});
