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

/** A console-history line is stored, then a connection; the history write's echo comes in only after that. */
async function echoAfterSave(state: GlobalState, workbench: WorkbenchMemento): Promise<void> {
  await state.update('history', ['GET a']);
  await state.update('profiles', [{ id: 'p1' }]);
  workbench.deliverEcho();
}

test('the workbench model: an echo that comes in after a save hides it, and the next write stores the older state', async () => {
  const workbench = new WorkbenchMemento();
  await echoAfterSave(workbench, workbench);
  assert.equal(workbench.get('profiles'), undefined, 'the saved connection reads as missing');
  await workbench.update('history', ['GET a', 'GET b']);
  assert.equal(workbench.stored['profiles'], undefined, 'and is gone from what is stored');
});

test('a late echo of an earlier write: the newer value still reads, is written again, and is what is stored', async () => {
  const workbench = new WorkbenchMemento();
  const state = new CheckedMemento(workbench);
  await echoAfterSave(state, workbench);
  assert.deepEqual(state.get('profiles'), [{ id: 'p1' }]);
  await state.update('history', ['GET a', 'GET b']);
  assert.deepEqual(workbench.stored['profiles'], [{ id: 'p1' }], 'the write of another key sent the newer value');
  assert.deepEqual(workbench.stored['history'], ['GET a', 'GET b']);
  // The same late echo, and then a write of another key before anything reads the connection.
  const other = new WorkbenchMemento();
  const checked = new CheckedMemento(other);
  await echoAfterSave(checked, other);
  await checked.update('history', ['GET c']);
  assert.deepEqual(other.stored['profiles'], [{ id: 'p1' }], 'repaired by the next write, read or not');
});

test('a value not written here (Settings Sync) stands; past the echo window an older value is taken as it is', async () => {
  let now = 0;
  const workbench = new WorkbenchMemento();
  const state = new CheckedMemento(workbench, () => now);
  await state.update('profiles', [{ id: 'p1' }]);
  await state.update('profiles', [{ id: 'p1' }, { id: 'p2' }]);
  // Synced from another machine: never a value of this key here.
  await workbench.update('profiles', [{ id: 'p9' }]);
  assert.deepEqual(state.get('profiles'), [{ id: 'p9' }]);
  // Long after the last write, a list equal to an older one (another machine went back to it) stands too.
  await state.update('profiles', [{ id: 'p3' }]);
  now = 31_000;
  await workbench.update('profiles', [{ id: 'p9' }]);
  assert.deepEqual(state.get('profiles'), [{ id: 'p9' }]);
});
