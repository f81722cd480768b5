import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampOffset, MAX_SCROLL_PX, rowsInView, scrollScale } from '../../webview/shared/scrollScale';

const ROW = 22;
const VIEW = 600;

test('a list shorter than the most pixels scrolls one to one', () => {
  const shape = { rows: 1000, rowHeight: ROW, view: VIEW };
  assert.deepEqual(scrollScale(shape), { height: 22_000, scale: 1 });
  assert.equal(clampOffset(Infinity, shape), 22_000 - VIEW);
  assert.deepEqual(rowsInView(clampOffset(Infinity, shape), shape), [972, 1000]);
});

for (const rows of [45_455, 1_000_000, 10_000_000, 20_000_000]) test(`${rows.toLocaleString('en')} rows: the scroll bar's ends are the list's ends, and no row is skipped dragging it pixel by pixel`, () => {
  const shape = { rows, rowHeight: ROW, view: VIEW };
  const { height, scale } = scrollScale(shape);
  assert.equal(height, Math.min(rows * ROW, MAX_SCROLL_PX));
  assert.ok(scale >= 1);
  const end = clampOffset(Infinity, shape);
  assert.equal(end, rows * ROW - VIEW, 'the view can start where the last row ends at its bottom');
  // The browser's last scrollTop is the area's height less the view's: it stands for the end of the list.
  const last = (height - VIEW) * scale;
  assert.ok(Math.abs(last - end) < 1e-6 * end, `the bottom of the scroll bar is the end of the list (${last} vs ${end})`);
  assert.deepEqual(rowsInView(clampOffset(last, shape), shape)[1], rows, 'the last row is in view');
  assert.deepEqual(rowsInView(0 * scale, shape)[0], 0);
  const rowsInAView = Math.floor(VIEW / ROW);
  if (rows <= 10_000_000) assert.ok(scale / ROW < rowsInAView, `a pixel of the scroll bar moves ${scale / ROW} rows, fewer than a view shows`);
});

test('a view taller than its rows, an empty list, and a view starting mid-row', () => {
  const short = { rows: 5, rowHeight: ROW, view: VIEW };
  assert.deepEqual(scrollScale(short), { height: 110, scale: 1 });
  assert.equal(clampOffset(500, short), 0);
  assert.deepEqual(rowsInView(0, short), [0, 5]);
  const empty = { rows: 0, rowHeight: ROW, view: VIEW };
  assert.deepEqual(scrollScale(empty), { height: 0, scale: 1 });
  assert.equal(clampOffset(-10, empty), 0);
  assert.deepEqual(rowsInView(0, empty), [0, 0]);
  const long = { rows: 1000, rowHeight: ROW, view: VIEW };
  assert.equal(clampOffset(-5, long), 0);
  // 35 px down: row 1 is cut at the top, and the rows of a view (28 for 600 px) and one more follow it.
  assert.deepEqual(rowsInView(35, long), [1, 30]);
});
