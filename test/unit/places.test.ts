import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Place, placeKey, placeOf } from '../../src/drivers/places';

test('a place keys the same whatever order its fields were written in, nested ones too', () => {
  const binding = { source: 'orders', destinationType: 'queue', destination: 'audit', routingKey: 'a.b', arguments: { 'x-match': 'all', region: 'eu' } } as const;
  const written: Place = { kind: 'rabbitmq', of: 'binding', vhost: '/', direction: 'out', binding };
  const reordered: Place = { binding: { arguments: { region: 'eu', 'x-match': 'all' }, routingKey: 'a.b', destination: 'audit', destinationType: 'queue', source: 'orders' }, direction: 'out', vhost: '/', of: 'binding', kind: 'rabbitmq' };
  assert.equal(placeKey(written), placeKey(reordered));
});

test("rows that differ in any field key apart: a binding's arguments, its direction, what an empty row is under", () => {
  const binding = { source: 'orders', destinationType: 'queue', destination: 'audit', routingKey: '', arguments: { 'x-match': 'all' } } as const;
  const keys = [
    placeKey({ kind: 'rabbitmq', of: 'binding', vhost: '/', direction: 'out', binding }),
    placeKey({ kind: 'rabbitmq', of: 'binding', vhost: '/', direction: 'in', binding }),
    placeKey({ kind: 'rabbitmq', of: 'binding', vhost: '/', direction: 'out', binding: { ...binding, arguments: { 'x-match': 'any' } } }),
    // An exchange and a queue of the same name, both without bindings, are two rows.
    placeKey({ kind: 'rabbitmq', of: 'noBindings', vhost: '/', under: 'exchange', name: 'orders' }),
    placeKey({ kind: 'rabbitmq', of: 'noBindings', vhost: '/', under: 'queue', name: 'orders' }),
    // Names that read alike joined by a separator stay apart.
    placeKey({ kind: 'mysql', of: 'table', db: 'a/b', table: 'c' }),
    placeKey({ kind: 'mysql', of: 'table', db: 'a', table: 'b/c' }),
    placeKey({ kind: 'mysql', of: 'column', db: 'shop', table: 'orders', column: 'id' }),
  ];
  assert.equal(new Set(keys).size, keys.length, keys.join('\n'));
});

test("a place is read as its kind's only when it is of that kind", () => {
  const table: Place = { kind: 'mysql', of: 'table', db: 'shop', table: 'orders' };
  assert.deepEqual(placeOf('mysql', table), table);
  assert.equal(placeOf('redis', table), undefined);
  assert.equal(placeOf('mysql', undefined), undefined);
});
