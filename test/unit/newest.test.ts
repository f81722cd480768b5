import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newest } from '../../webview/shared/newest';

test('a live list keeps the newest items up to its cap, in the order they came', () => {
  assert.deepEqual(newest([1, 2], [3], 5), [1, 2, 3]);
  assert.deepEqual(newest([1, 2, 3], [4, 5, 6], 4), [3, 4, 5, 6]);
  assert.deepEqual(newest([], [1, 2, 3, 4, 5, 6, 7], 3), [5, 6, 7], 'a batch bigger than the cap');
  assert.deepEqual(newest([1, 2], [], 2), [1, 2]);
});
