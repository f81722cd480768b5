import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserModel } from '../../src/panels/redisBrowser/browserModel';
import { wireErrorOf } from '../../src/panels/ipc/panelHost';

const memory = { selected: [], focused: null, top: null, topOffset: 0, open: null, match: 'restore:1*', keyType: 'hash' as const };

test('redis browser: a filter typed and not run is superseded by the next scan, not put back over it when the panel returns', async () => {
  const model = new BrowserModel(0, ':', { changed: () => undefined, errorOf: wireErrorOf });
  model.remember(memory);
  assert.equal(model.restored()?.memory.match, 'restore:1*', 'what was typed comes back while no scan replaced it');
  // A scan started by the host (another panel asking for a pattern), whose session here cannot be had.
  await model.start(() => Promise.reject(new Error('no server in a unit test')), 'user:*', '').catch(() => undefined);
  assert.equal(model.restored()?.memory.match, 'user:*');
  assert.equal(model.restored()?.memory.keyType, '');
});
