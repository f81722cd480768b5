import type { RedisSession } from '../src/drivers/redis';
import { BrowserModel } from '../src/panels/redisBrowser/browserModel';
import type { ScanState } from '../src/panels/redisBrowser/protocol';
import { Figure, LoadWatch, medianMs, settledMemoryMb } from './figures';
import { wireErrorOf } from '../src/panels/ipc/panelHost';

/** Lines a key browser's view asks for at a time (a screen and a margin). */
const WINDOW = 200;

/**
 * The key browser's own path for a million (or ten million) keys: the scan into the extension host's listing (packed keys, folder
 * tree, prefix groups), as the panel runs it, beside the raw SCAN loop of the same run; what that listing holds; how
 * long a window of lines at the far end takes; and what the webview is sent for its first screen, beside the whole
 * listing as JSON (what a webview holding every key would be sent).
 */
export async function browserListingFigures(session: RedisSession, raw: { keys: number; seconds: number }, size: '1M' | '10M'): Promise<Figure[]> {
  const before = await settledMemoryMb();
  let settle: (state: ScanState) => void = () => undefined;
  const ended = new Promise<ScanState>((resolve) => (settle = resolve));
  const model = new BrowserModel(0, ':', { changed: (state) => ['done', 'failed', 'cancelled'].includes(state.phase) && settle(state), errorOf: wireErrorOf });
  const watch = await LoadWatch.start();
  const start = process.hrtime.bigint();
  await model.start(async () => session, '', '');
  const state = await ended;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  watch.done();
  if (state.phase !== 'done' || state.keys !== raw.keys) throw new Error(`the key browser's scan ended ${state.phase} with ${state.keys} keys, the raw loop found ${raw.keys}`);
  const held = (await settledMemoryMb()) - before;

  // The median of a few windows near the end, each a little further on (what End and Page Up ask for).
  const atEnd = (step: number) => medianMs(7, () => model.window(model.lineCount - WINDOW - step++ * 37, WINDOW));
  const lastList = await atEnd(0);
  await model.show({ mode: 'tree', group: null });
  // bench:key:<n>: open both folders, then read the window at the end of the million keys in them.
  for (let folder = 1; folder <= 2; folder++) model.toggle(folder, true);
  const lastTree = await atEnd(0);
  const end = model.window(model.lineCount - WINDOW, WINDOW);
  if (end.length !== WINDOW || end.some((line) => line.kind !== 'key')) throw new Error('the window at the end of the tree is not its last keys');
  await model.show({ mode: 'list', group: null });
  const firstScreen = JSON.stringify({ scan: model.scan, lines: model.lineCount, groups: model.groups(), window: model.window(0, WINDOW) }).length;
  let whole = 0;
  for (let at = 0; at < model.lineCount; at += 10_000) whole += JSON.stringify(model.window(at, 10_000)).length;
  model.stop();
  const heldTarget = size === '1M' ? '< 10' : '< 100';
  return [
    { name: `redis: ${size} keys scanned into the key browser's host-side listing (packed, with tree and groups)`, value: seconds, unit: 's', baseline: { name: 'raw-socket SCAN COUNT 1000 loop', value: raw.seconds }, target: '<= 1.5' },
    ...(await watch.figures('redis', `the key browser's scan of ${size} keys`)).slice(0, 1),
    { name: `redis: extension host memory the key browser holds for ${size} keys`, value: held, unit: 'MB', target: heldTarget },
    { name: `redis: key browser window of ${WINDOW} lines at the end of ${size} keys, list`, value: lastList, unit: 'ms' },
    { name: `redis: key browser window of ${WINDOW} lines at the end of ${size} keys, tree with the folder open`, value: lastTree, unit: 'ms' },
    { name: `redis: sent to the key browser webview for its first screen of ${size} keys`, value: firstScreen / 1024, unit: 'KiB', baseline: { name: 'the whole listing as JSON', value: whole / 1024 }, target: '<= 0.01' },
  ];
}
