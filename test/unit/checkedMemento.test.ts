import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckedMemento, GlobalState } from '../../src/storage/checkedMemento';

/**
 * VS Code's extension-host memento as its source reads (extHostMemento.ts, mainThreadStorage.ts): an update sets the
 * local copy at once and sends the whole state a turn later; the workbench echoes every stored state back, and an
 * echo replaces the whole local copy. `beforeSend` lets an echo of an earlier write come in between the two.
 */
class WorkbenchMemento implements GlobalState {
  private local: Record<string, unknown> = {};
  private readonly echoes: Record<string, unknown>[] = [];
  stored: Record<string, unknown> = {};
  beforeSend: (() => void) | undefined;

  keys(): readonly string[] {
    return Object.keys(this.local);
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return key in this.local ? JSON.parse(JSON.stringify(this.local[key])) : defaultValue;
  }

  async update(key: string, value: unknown): Promise<void> {
    this.local = { ...this.local, [key]: value };
    await new Promise((resolve) => setImmediate(resolve));
    const hook = this.beforeSend;
    this.beforeSend = undefined;
    hook?.();
    this.stored = JSON.parse(JSON.stringify(this.local));
    this.echoes.push(this.stored);
  }

  /** The oldest echo still on its way comes in. */
  deliverEcho(): void {
    const echo = this.echoes.shift();
    if (echo) this.local = JSON.parse(JSON.stringify(echo));
  }

  setKeysForSync(): void {}
}

/** A console-history line is stored; a connection is saved while that write's echo is on its way. */
async function saveDuringEcho(state: GlobalState, workbench: WorkbenchMemento): Promise<void> {
  await state.update('history', ['GET a']);
  workbench.beforeSend = () => workbench.deliverEcho();
  await state.update('profiles', [{ id: 'p1' }]);
}

test('the workbench model loses a write an earlier echo overtakes, as VS Code does', async () => {
  const workbench = new WorkbenchMemento();
  await saveDuringEcho(workbench, workbench);
  assert.equal(workbench.get('profiles'), undefined);
  assert.equal(workbench.stored['profiles'], undefined);
});

test('a checked write stands though an earlier echo overtook it: read back, written again, stored', async () => {
  const workbench = new WorkbenchMemento();
  const state = new CheckedMemento(workbench);
  await saveDuringEcho(state, workbench);
  assert.deepEqual(state.get('profiles'), [{ id: 'p1' }]);
  assert.deepEqual(workbench.stored['profiles'], [{ id: 'p1' }]);
  assert.deepEqual(workbench.stored['history'], ['GET a']);
});

test('reads and defaults pass through; a write that never stands fails, naming the key', async () => {
  const workbench = new WorkbenchMemento();
  const state = new CheckedMemento(workbench);
  assert.equal(state.get('missing', 7), 7);
  // A state that never keeps anything: the write is tried four times, then refused.
  let writes = 0;
  const forgetful: GlobalState = { keys: () => [], get: () => undefined, update: async () => void writes++, setKeysForSync: () => undefined };
  await assert.rejects(new CheckedMemento(forgetful).update('profiles', [1]), /did not keep profiles after 4 writes/);
  assert.equal(writes, 4);
});
