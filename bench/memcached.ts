import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemcachedSession } from '../src/drivers/memcached';
import type { Driver, MemcachedProfile } from '../src/drivers/types';
import { loadItems, startMemcached } from '../test/services/memcached';
import { KeyListing } from '../src/panels/memcachedBrowser/keyListing';
import { Figure, LoadWatch, median, settledMemoryMb } from './figures';
import { wireErrorOf } from '../src/panels/ipc/panelHost';

const KEYS = 1_000_000;
const RUNS = 3;

/** The raw baseline: `lru_crawler metadump all` over a plain socket, lines counted and nothing else. */
function rawMetadump(port: number): Promise<{ lines: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let lines = 0;
    let tail = '';
    const socket = connect(port, '127.0.0.1', () => socket.write('lru_crawler metadump all\r\n'));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
      tail = (tail + chunk).slice(-8);
      if (tail.endsWith('END\r\n')) {
        socket.destroy();
        resolve({ lines: lines - 1, seconds: Number(process.hrtime.bigint() - start) / 1e9 });
      }
    });
    socket.on('error', reject);
  });
}

/** Listing a million keys through the driver (parsed, batched) against the raw metadump read, in the same run. */
export async function memcachedFigures(root: string): Promise<Figure[]> {
  const { driver } = require(join(root, 'dist', 'drivers', 'memcached.js')) as { driver: Driver<MemcachedProfile> };
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-mc-'));
  const server = await startMemcached(dir, 'memcached-bench', undefined, 1024);
  try {
    await loadItems(server.port, KEYS, 'bench:user:', 'value');
    const session = (await driver.connect({ id: 'b', name: 'b', kind: 'memcached', servers: [{ host: '127.0.0.1', port: server.port, weight: 1 }], readOnly: true }, { secrets: {}, timeoutMs: 10_000, hostKeys: { verify: async () => false } })) as MemcachedSession;
    // Both sides depend on the server's crawler, whose speed swings between runs on a shared machine: the two are
    // measured turn about, three times each, and the medians compared.
    const rawSeconds: number[] = [];
    const ourSeconds: number[] = [];
    const panelSeconds: number[] = [];
    const heldMb: number[] = [];
    const releasedMb: number[] = [];
    let postedKb = 0;
    let first = 0;
    let watch: LoadWatch | undefined;
    for (let run = 0; run < RUNS; run++) {
      const raw = await rawMetadump(server.port);
      if (raw.lines < KEYS * 0.99) throw new Error(`only ${raw.lines} keys are in the bench server`);
      rawSeconds.push(raw.seconds);
      watch ??= await LoadWatch.start();
      const start = process.hrtime.bigint();
      let listed = 0;
      await session.listKeys((batch) => {
        if (!first) first = Number(process.hrtime.bigint() - start) / 1e6;
        listed += batch.length;
      }, { cap: 2 * KEYS });
      ourSeconds.push(Number(process.hrtime.bigint() - start) / 1e9);
      if (run === 0) watch.done();
      // The crawler walks live LRUs, so two walks can differ by a few items that move meanwhile.
      if (Math.abs(listed - raw.lines) > KEYS * 0.001) throw new Error(`the driver listed ${listed} keys, the raw read ${raw.lines}`);
      // The key browser's path on the extension host: the same listing packed into its KeyListing (store, view,
      // prefix groups), with what it would post to the webview serialised as it goes.
      const before = await settledMemoryMb();
      const panelStart = process.hrtime.bigint();
      let posted = 0;
      const post = (message: unknown): void => void (posted += JSON.stringify(message).length);
      let browser: KeyListing | undefined = new KeyListing([`127.0.0.1:${server.port}`], { listing: post, view: post, groups: post, errorOf: wireErrorOf });
      await browser.list(async () => session, 2 * KEYS);
      panelSeconds.push(Number(process.hrtime.bigint() - panelStart) / 1e9);
      const state = browser.state();
      if (state.error || Math.abs(state.keys - raw.lines) > KEYS * 0.001) throw new Error(`the browser's listing holds ${state.keys} keys (${state.error?.message ?? 'no error'}), the raw read ${raw.lines}`);
      const holding = await settledMemoryMb();
      browser.dispose();
      browser = undefined;
      // What closing the panel gives back: the memory in use once the listing is dropped, against before it.
      const released = await settledMemoryMb();
      heldMb.push(holding - released);
      releasedMb.push(released - before);
      postedKb = posted / 1024;
    }
    await session.close();
    return [
      { name: `memcached: list ${(KEYS / 1e6).toFixed(0)}M keys (metadump, parsed, batched), median of ${RUNS}`, value: median(ourSeconds), unit: 's', baseline: { name: `raw socket metadump read, median of ${RUNS}`, value: median(rawSeconds) }, target: '<= 1.5' },
      { name: `memcached: list ${(KEYS / 1e6).toFixed(0)}M keys into the key browser's host-side listing (packed, filtered, grouped), median of ${RUNS}`, value: median(panelSeconds), unit: 's', baseline: { name: `raw socket metadump read, median of ${RUNS}`, value: median(rawSeconds) }, target: '<= 1.5' },
      { name: `memcached: the key browser's listing of ${(KEYS / 1e6).toFixed(0)}M keys against the driver's alone, median of ${RUNS}`, value: median(panelSeconds), unit: 's', baseline: { name: `driver listing, median of ${RUNS}`, value: median(ourSeconds) }, target: '<= 1.5' },
      { name: `memcached: memory the key browser's listing of ${(KEYS / 1e6).toFixed(0)}M keys holds on the extension host, median of ${RUNS}`, value: median(heldMb), unit: 'MB' },
      { name: `memcached: memory still in use once that listing is dropped (the panel closed), over before it, median of ${RUNS}`, value: median(releasedMb), unit: 'MB', target: '< 5' },
      { name: `memcached: what the key browser's listing of ${(KEYS / 1e6).toFixed(0)}M keys posts to the webview while it runs`, value: postedKb, unit: 'KiB' },
      { name: 'memcached: first batch of keys ready', value: first, unit: 'ms' },
      ...(watch ? await watch.figures('memcached', `listing ${(KEYS / 1e6).toFixed(0)}M keys`) : []),
    ];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
