/**
 * The most pixels a list's scrollable area is made tall. Past it (about 45,000 rows of 22 px) the scroll bar's range
 * is mapped onto the rows proportionally and the wheel is turned into rows itself: rows are always placed near the
 * viewport, never millions of pixels down, where the browser's compositor draws them misplaced and cut.
 */
export const MAX_SCROLL_PX = 1_000_000;

/** A list of `rows` rows `rowHeight` pixels tall, seen through a view `view` pixels tall. */
export interface ListShape {
  readonly rows: number;
  readonly rowHeight: number;
  readonly view: number;
}

/**
 * How tall the scrollable area is made, and how many pixels of the full list (rows × rowHeight) one pixel of the
 * scroll bar's range stands for: the end of the scroll bar's range is the end of the list, so the last row can be
 * reached by dragging.
 */
export function scrollScale({ rows, rowHeight, view }: ListShape, maxPx = MAX_SCROLL_PX): { height: number; scale: number } {
  const full = rows * rowHeight;
  const height = Math.min(full, maxPx);
  return { height, scale: full > height && height > view ? (full - view) / (height - view) : 1 };
}

/** Where a view may start, in pixels of the full list: from the top to where the last row ends at the view's bottom. */
export function clampOffset(offset: number, { rows, rowHeight, view }: ListShape): number {
  return Math.max(0, Math.min(offset, rows * rowHeight - view));
}

/** The rows in a view starting at `offset`, [first, last): from the row cut at the top, a view's worth and one more. */
export function rowsInView(offset: number, { rows, rowHeight, view }: ListShape): [number, number] {
  const first = Math.max(0, Math.floor(offset / rowHeight));
  return [first, Math.min(rows, first + Math.ceil(view / rowHeight) + 1)];
}
