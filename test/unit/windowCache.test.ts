import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowCache } from '../../webview/shared/windowCache';

/** A host list of `count` rows named by index, counting the fetches it answers; answers wait until released. */
function host(count: number) {
  const asked: { view: number; start: number; count: number }[] = [];
  const pending: (() => void)[] = [];
  let failNext = false;
  const fetch = (view: number, start: number, n: number): Promise<string[]> => {
    asked.push({ view, start, count: n });
    return new Promise((resolve, reject) => pending.push(() => {
      if (failNext) {
        failNext = false;
        reject(new Error('connection lost'));
      } else resolve(Array.from({ length: Math.max(0, Math.min(n, count - start)) }, (_, i) => `v${view}:${start + i}`));
    }));
  };
  return {
    asked, fetch,
    setCount(next: number) { count = next; },
    failNext() { failNext = true; },
    /** Answers every fetch asked so far and waits for the cache to take them. */
    async release() {
      for (const answer of pending.splice(0)) answer();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

test('a row is fetched with its block once; the rows of a block come from that one answer', async () => {
  const h = host(1000);
  let loaded = 0;
  const cache = new WindowCache<string>(h.fetch, () => loaded++, (e) => assert.fail(String(e)));
  cache.reset(1, 1000);
  assert.equal(cache.row(250), undefined, 'not here yet: on its way');
  assert.equal(cache.row(260), undefined);
  assert.deepEqual(h.asked, [{ view: 1, start: 200, count: 200 }], 'one fetch for the block, however many rows of it are drawn');
  await h.release();
  assert.equal(loaded, 1);
  assert.equal(cache.row(250), 'v1:250');
  assert.equal(cache.row(399), 'v1:399');
  assert.equal(h.asked.length, 1);
});

test('memory stays bounded: the least recently drawn blocks are forgotten and fetched again when drawn', async () => {
  const h = host(1_000_000);
  const cache = new WindowCache<string>(h.fetch, () => undefined, (e) => assert.fail(String(e)));
  cache.reset(1, 1_000_000);
  cache.row(0);
  await h.release();
  for (let block = 1; block <= 100; block++) {
    cache.row(block * 200);
    await h.release();
    if (block === 50) assert.equal(cache.row(0), 'v1:0', 'drawing block 0 again keeps it recent');
  }
  assert.equal(cache.row(0), 'v1:0', 'the recently drawn block stayed');
  const before = h.asked.length;
  assert.equal(cache.row(200), undefined, 'the oldest block was forgotten');
  assert.equal(h.asked.length, before + 1);
});

test('answers for a view that was replaced are dropped; a short last block is fetched again when the list grows', async () => {
  const h = host(300);
  const cache = new WindowCache<string>(h.fetch, () => undefined, (e) => assert.fail(String(e)));
  cache.reset(1, 300);
  cache.row(250);
  cache.reset(2, 300);
  await h.release();
  assert.equal(cache.row(250), undefined, 'the answer for view 1 is not shown in view 2');
  await h.release();
  assert.equal(cache.row(250), 'v2:250');
  assert.equal(cache.row(299), 'v2:299');

  h.setCount(350);
  cache.reset(2, 350);
  assert.equal(cache.row(320), undefined, 'the block that was short is read again');
  await h.release();
  assert.equal(cache.row(320), 'v2:320');
  assert.equal(cache.row(400), undefined);
  assert.equal(h.asked.filter((a) => a.start === 400).length, 0, 'nothing is asked past the end');
});

test('a block that failed is asked for again the next time it is drawn; get() fetches one row', async () => {
  const h = host(1000);
  const errors: unknown[] = [];
  const cache = new WindowCache<string>(h.fetch, () => undefined, (e) => errors.push(e));
  cache.reset(1, 1000);
  h.failNext();
  cache.row(10);
  await h.release();
  assert.equal(errors.length, 1);
  assert.equal(cache.row(10), undefined);
  await h.release();
  assert.equal(cache.row(10), 'v1:10');

  const got = cache.get(900);
  await h.release();
  assert.equal(await got, 'v1:900');
});
