import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The integration files run two at a time against one Redis, and each flushes the database it works in: two files
 * sharing a database number empty each other's keys mid-test. Each database other than 0 belongs to one file.
 */
test('each Redis integration test file works in a database of its own', () => {
  const folder = join(__dirname, '..', '..', '..', 'test', 'integration');
  const owners = new Map<number, string[]>();
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.test.ts'))) {
    const text = readFileSync(join(folder, file), 'utf8');
    // Its database constant, and any other database it names (db 0 is everyone's and nobody flushes it whole here).
    const numbers = new Set([...text.matchAll(/^const DB = (\d+);|\bdb: (\d+)\b|\.select\((\d+)\)/gm)].map((m) => Number(m[1] ?? m[2] ?? m[3])).filter((n) => n !== 0));
    for (const n of numbers) owners.set(n, [...(owners.get(n) ?? []), file]);
  }
  assert.ok(owners.size > 3, 'the files were found');
  const shared = [...owners].filter(([, files]) => files.length > 1);
  assert.deepEqual(shared, [], `databases used by more than one file: ${JSON.stringify(shared)}`);
});
