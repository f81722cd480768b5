import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planFromJson, planFromTree, planSteps } from '../../src/drivers/mysql/explainPlan';

/**
 * MySQL's spellings of a plan (the suite's server is MariaDB, whose plans the integration tests read): EXPLAIN
 * FORMAT=JSON as MySQL 8.0 writes it, and EXPLAIN ANALYZE's text tree, as the MySQL manual prints them.
 */

test('MySQL EXPLAIN FORMAT=JSON: nested loop, ordering with filesort, a full scan and a ref lookup', () => {
  const json = JSON.stringify({
    query_block: {
      select_id: 1, cost_info: { query_cost: '3405.20' },
      ordering_operation: {
        using_filesort: true,
        nested_loop: [
          { table: { table_name: 'c', access_type: 'ALL', possible_keys: ['PRIMARY'], rows_examined_per_scan: 3000, rows_produced_per_join: 300, filtered: '10.00', cost_info: { read_cost: '280.00' }, attached_condition: "(`shop`.`c`.`city` = 'Oslo')" } },
          { table: { table_name: 'o', access_type: 'ref', possible_keys: ['by_customer'], key: 'by_customer', ref: ['shop.c.id'], rows_examined_per_scan: 2, filtered: '100.00' } },
        ],
      },
    },
  });
  const plan = planFromJson(json);
  assert.equal(plan.label, 'Query block #1');
  assert.equal(plan.cost, 3405.2);
  const order = plan.children[0];
  assert.equal(order?.label, 'Order');
  assert.deepEqual(order?.costly, ['Using filesort']);
  const loop = order?.children[0];
  assert.equal(loop?.label, 'Nested loop');
  const [c, o] = loop?.children ?? [];
  assert.deepEqual({ access: c?.access, rows: c?.rows, filtered: c?.filtered, costly: c?.costly }, { access: 'ALL', rows: 3000, filtered: 10, costly: ['full table scan of ~3,000 rows of c'] });
  assert.ok(c?.notes.includes("Condition: (`shop`.`c`.`city` = 'Oslo')"));
  assert.deepEqual({ access: o?.access, key: o?.key, rows: o?.rows, costly: o?.costly }, { access: 'ref', key: 'by_customer', rows: 2, costly: [] });
});

test('MySQL EXPLAIN ANALYZE: the indented tree becomes steps with estimated and measured rows', () => {
  const text = [
    '-> Sort: c.name  (cost=620 rows=300) (actual time=4.1..4.2 rows=428 loops=1)',
    '    -> Nested loop inner join  (cost=590 rows=300) (actual time=0.1..3.9 rows=428 loops=1)',
    "        -> Filter: (c.city = 'Oslo')  (cost=280 rows=300) (actual time=0.05..1.2 rows=428 loops=1)",
    '            -> Table scan on c  (cost=280 rows=3000) (actual time=0.04..0.9 rows=3000 loops=1)',
    '        -> Index lookup on o using by_customer (customer_id=c.id)  (cost=1 rows=2) (actual time=0.003..0.004 rows=2 loops=428)',
  ].join('\n');
  const plan = planFromTree(text);
  assert.equal(plan.label, 'Sort: c.name');
  assert.deepEqual(plan.costly, ['Using filesort']);
  assert.equal(plan.actualRows, 428);
  const steps = planSteps(plan);
  assert.equal(steps.length, 5);
  const scan = steps.find((s) => s.label === 'Table scan on c');
  assert.deepEqual({ table: scan?.table, access: scan?.access, rows: scan?.rows, actualRows: scan?.actualRows, ms: scan?.actualMs, costly: scan?.costly },
    { table: 'c', access: 'ALL', rows: 3000, actualRows: 3000, ms: 0.9, costly: ['full table scan of ~3,000 rows of c'] });
  const lookup = steps.find((s) => s.table === 'o');
  assert.deepEqual({ key: lookup?.key, loops: lookup?.loops, costly: lookup?.costly }, { key: 'by_customer', loops: 428, costly: [] });
  assert.equal(steps.find((s) => s.label.startsWith('Filter'))?.children[0]?.label, 'Table scan on c');
});
