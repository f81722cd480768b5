import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowCache } from '../../webview/shared/windowCache';

interface Asked {
  readonly view: number;
  readonly start: number;
  readonly count: number;
}

/**
 * A host list of `count` rows named by their view, index and the list's version (bumped when its rows move), counting
 * the fetches it is asked; each answer, what the host had when asked, waits until released, in any order.
 */
function host(count: number) {
  const asked: Asked[] = [];
  const pending: { readonly asked: Asked; readonly answer: () => void }[] = [];
  let failNext = false;
  let version = 0;
  let notOurs = false;
  const fetch = (view: number, start: number, n: number): Promise<string[] | undefined> => {
    const ask = { view, start, count: n };
    asked.push(ask);
    // What the host has when asked is what it answers.
    const rows = Array.from({ length: Math.max(0, Math.min(n, count - start)) }, (_, i) => `v${view}:${start + i}${version ? `#${version}` : ''}`);
    return new Promise((resolve, reject) => pending.push({
      asked: ask,
      answer: () => {
        if (failNext) {
          failNext = false;
          reject(new Error('connection lost'));
        } else resolve(notOurs ? undefined : rows);
      },
    }));
  };
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  return {
    asked, fetch,
    setCount(next: number) { count = next; },
    /** The host's rows move: what it answers from now on is another version of them. */
    move() { version++; },
    failNext() { failNext = true; },
    /** Answers come for another list than the one the cache asked about. */
    answerForAnotherList(on: boolean) { notOurs = on; },
    get waiting(): number { return pending.length; },
    /** Answers every fetch asked so far and waits for the cache to take them. */
    async release() {
      for (const { answer } of pending.splice(0)) answer();
      await settle();
    },
    /** Answers the fetch asked `n`th of those waiting (0: the oldest), leaving the others waiting. */
    async releaseOne(n: number) {
      const [one] = pending.splice(n, 1);
      assert.ok(one, `no fetch #${n} is waiting`);
      one.answer();
      await settle();
    },
  };
}

type Host = ReturnType<typeof host>;

function cacheOn(h: Host, count: number, view = 1) {
  const seen = { loaded: 0, errors: [] as unknown[] };
  const cache = new WindowCache<string>({ fetch: h.fetch, loaded: () => seen.loaded++, failed: (error) => seen.errors.push(error) });
  cache.reset(view, count);
  return { cache, seen };
}

test('a row is fetched with its block once; the rows of a block come from that one answer', async () => {
  const h = host(1000);
  const { cache, seen } = cacheOn(h, 1000);
  assert.equal(cache.row(250), undefined, 'not here yet: on its way');
  assert.equal(cache.row(260), undefined);
  assert.deepEqual(h.asked, [{ view: 1, start: 200, count: 200 }], 'one fetch for the block, however many rows of it are drawn');
  await h.release();
  assert.equal(seen.loaded, 1);
  assert.equal(cache.row(250), 'v1:250');
  assert.equal(cache.row(349), 'v1:349');
  assert.equal(cache.fresh(349), 'v1:349');
  assert.equal(h.asked.length, 1, 'rows held fresh are not asked for again');
  assert.deepEqual(seen.errors, []);
});

test("rows drawn near a block's edge fetch the block beyond it, once, and never one outside the list", async () => {
  const h = host(1000);
  const { cache } = cacheOn(h, 1000);
  cache.row(300);
  await h.release();
  assert.equal(cache.row(350), 'v1:350', 'the 50th row before the edge');
  assert.deepEqual(h.asked.map((a) => a.start), [200, 400], 'the next block is on its way');
  cache.row(399);
  assert.equal(h.asked.length, 2, 'asked once');
  await h.release();
  assert.equal(cache.held(400), 'v1:400', 'scrolling on finds its rows here');
  cache.row(449);
  assert.equal(h.asked.length, 2, 'the block above is here');
  cache.row(210);
  assert.deepEqual(h.asked.map((a) => a.start), [200, 400, 0], 'near the top of a block, the one above it');
  await h.release();
  cache.row(10);
  cache.row(999);
  assert.deepEqual(h.asked.map((a) => a.start), [200, 400, 0, 800], 'nothing above the first block; the last row fetches its block and nothing past it');
  await h.release();
  const before = h.asked.length;
  cache.row(399);
  cache.row(400);
  assert.equal(h.asked.length, before, 'blocks held are not fetched again for being near');
});

test('held() and fresh() only look: nothing is fetched for a row that is not here', async () => {
  const h = host(1000);
  const { cache } = cacheOn(h, 1000);
  assert.equal(cache.held(10), undefined);
  assert.equal(cache.fresh(10), undefined);
  assert.equal(h.asked.length, 0);
  cache.row(10);
  await h.release();
  assert.equal(cache.held(10), 'v1:10');
  assert.equal(cache.held(500), undefined);
  assert.equal(h.asked.length, 1);
});

test('memory stays bounded: at most 100 blocks are held, the least recently drawn forgotten and fetched again when drawn', async () => {
  const h = host(1_000_000);
  const { cache } = cacheOn(h, 1_000_000);
  cache.row(0);
  await h.release();
  for (let block = 1; block <= 300; block++) {
    cache.row(block * 200);
    await h.release();
    if (block % 50 === 0) assert.equal(cache.row(0), 'v1:0', 'drawing block 0 again keeps it recent');
  }
  let held = 0;
  for (let block = 0; block <= 300; block++) if (cache.held(block * 200) !== undefined) held++;
  assert.equal(held, 100, 'a million rows drawn, a hundred blocks held');
  assert.equal(cache.held(0), 'v1:0', 'the recently drawn block stayed');
  assert.equal(cache.held(300 * 200), 'v1:60000', 'the last drawn block stayed');
  const before = h.asked.length;
  assert.equal(cache.row(200), undefined, 'an old block was forgotten');
  assert.equal(h.asked.length, before + 1, 'and is fetched again when drawn');
});

test('answers for a view that was replaced are dropped, failures in it are not reported', async () => {
  const h = host(300);
  const { cache, seen } = cacheOn(h, 300);
  cache.row(250);
  cache.reset(2, 300);
  assert.equal(cache.held(250), undefined);
  await h.release();
  assert.equal(seen.loaded, 0, 'nothing to redraw');
  assert.equal(cache.row(250), undefined, 'the answer for view 1 is not shown in view 2');
  assert.deepEqual(h.asked.at(-1), { view: 2, start: 200, count: 200 }, 'view 2 asks for itself');
  await h.release();
  assert.equal(cache.row(250), 'v2:250');

  h.failNext();
  cache.row(0);
  cache.reset(3, 300);
  await h.release();
  assert.deepEqual(seen.errors, [], 'a failure of a view no longer shown says nothing');

  const got = cache.get(120);
  cache.reset(4, 300);
  await h.release();
  assert.equal(await got, undefined, "get() does not hand back another view's row");
});

test('a view kept with the same id keeps its rows; the short last block is fetched again when the list grows', async () => {
  const h = host(300);
  const { cache } = cacheOn(h, 300);
  cache.row(100);
  cache.row(250);
  await h.release();
  cache.reset(1, 300);
  assert.equal(cache.row(250), 'v1:250', 'the same view and count: nothing forgotten');
  assert.equal(h.asked.length, 2);

  h.setCount(350);
  cache.reset(1, 350);
  assert.equal(cache.row(299), 'v1:299', 'what the short block held is still drawn');
  assert.equal(cache.row(320), undefined);
  assert.equal(cache.fresh(299), undefined, 'but it is not what the host has now');
  assert.equal(cache.row(100), 'v1:100', 'a block that was whole stays');
  assert.equal(cache.fresh(100), 'v1:100');
  assert.equal(h.asked.length, 3, 'the block that was short is read again, once');
  assert.deepEqual(h.asked.at(-1), { view: 1, start: 200, count: 200 });
  await h.release();
  assert.equal(cache.row(320), 'v1:320');
  assert.equal(cache.fresh(299), 'v1:299');
  assert.equal(cache.row(400), undefined);
  assert.equal(h.asked.filter((a) => a.start >= 400).length, 0, 'nothing is asked past the end');
});

test('the list growing while its short last block is on its way: the short answer does not stay', async () => {
  const h = host(300);
  const { cache } = cacheOn(h, 300);
  cache.row(250);
  h.setCount(350);
  cache.reset(1, 350);
  cache.row(250);
  assert.equal(h.waiting, 2, 'asked again for the rows it did not ask about');
  await h.releaseOne(1);
  await h.releaseOne(0);
  assert.equal(cache.row(320), 'v1:320', 'the older, shorter answer arriving last is dropped');
  assert.equal(h.waiting, 0);
});

test('rows moved: the rows held are still drawn until fresh ones arrive, then those are drawn', async () => {
  const h = host(1000);
  const { cache, seen } = cacheOn(h, 1000);
  cache.row(10);
  cache.row(450);
  await h.release();
  h.move();
  cache.invalidate();
  assert.equal(cache.held(10), 'v1:10', 'nothing is forgotten: the list does not blink');
  assert.equal(cache.fresh(10), undefined, 'what is held is no longer known to be what the host has there');
  assert.equal(cache.row(10), 'v1:10', 'drawn stale');
  assert.equal(cache.row(20), 'v1:20');
  assert.equal(h.asked.length, 3, 'the block drawn is asked for again, once');
  await h.release();
  assert.equal(seen.loaded, 3);
  assert.equal(cache.row(10), 'v1:10#1', 'the fresh rows replace the stale ones');
  assert.equal(cache.fresh(10), 'v1:10#1');
  assert.equal(cache.held(450), 'v1:450', 'a block not drawn since stays stale');
  assert.equal(cache.fresh(450), undefined);
  assert.equal(h.asked.length, 3);
  assert.equal(cache.row(450), 'v1:450');
  assert.equal(h.asked.length, 4, 'and is asked for again when drawn');
});

test('an answer asked before the rows moved is drawn only while nothing fresher is here, and stays stale', async () => {
  const h = host(1000);
  const { cache } = cacheOn(h, 1000);
  cache.row(10);
  h.move();
  cache.invalidate();
  cache.row(10);
  assert.equal(h.waiting, 2);
  await h.releaseOne(0);
  assert.equal(cache.row(10), 'v1:10', 'better than nothing: drawn');
  assert.equal(cache.fresh(10), undefined, 'but not fresh');
  assert.equal(h.waiting, 1, 'the fresh answer is still on its way: not asked for a third time');
  await h.release();
  assert.equal(cache.fresh(10), 'v1:10#1');

  h.move();
  cache.invalidate();
  cache.row(10);
  h.move();
  cache.invalidate();
  cache.row(10);
  assert.equal(h.waiting, 2);
  await h.releaseOne(1);
  assert.equal(cache.fresh(10), 'v1:10#3', 'the fresh answer came first');
  await h.releaseOne(0);
  assert.equal(cache.fresh(10), 'v1:10#3', 'the older answer arriving after it is dropped');
});

test('an answer for another list (undefined) is dropped and asked for again when drawn', async () => {
  const h = host(1000);
  const { cache, seen } = cacheOn(h, 1000);
  h.answerForAnotherList(true);
  cache.row(10);
  await h.release();
  assert.equal(seen.loaded, 0);
  assert.equal(cache.held(10), undefined);
  h.answerForAnotherList(false);
  cache.row(10);
  assert.equal(h.asked.length, 2);
  await h.release();
  assert.equal(cache.row(10), 'v1:10');
});

test('update() changes the rows held in place, fresh or stale, without fetching or freshening them', async () => {
  const h = host(1000);
  const { cache } = cacheOn(h, 1000);
  cache.row(10);
  cache.row(450);
  await h.release();
  cache.invalidate();
  cache.row(10);
  await h.release();
  cache.update((row) => `${row}+meta`);
  assert.equal(cache.fresh(10), 'v1:10+meta');
  assert.equal(cache.held(450), 'v1:450+meta');
  assert.equal(cache.fresh(450), undefined, 'a stale row stays stale');
  assert.equal(h.asked.length, 3);
});

test('a block that failed is reported and asked for again the next time it is drawn; get() fetches one row', async () => {
  const h = host(1000);
  const { cache, seen } = cacheOn(h, 1000);
  h.failNext();
  cache.row(10);
  await h.release();
  assert.equal(seen.errors.length, 1);
  assert.equal(seen.loaded, 0);
  assert.equal(cache.row(10), undefined);
  assert.equal(h.asked.length, 2);
  await h.release();
  assert.equal(cache.row(10), 'v1:10');

  const got = cache.get(900);
  await h.release();
  assert.equal(await got, 'v1:900');
  assert.ok(h.asked.some((a) => a.start === 900 && a.count === 1), 'the one row is asked for by itself');
  assert.equal(await cache.get(10), 'v1:10', 'a row held is not fetched');
});
