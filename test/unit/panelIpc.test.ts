import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as v from 'valibot';
import { DriverError } from '../../src/drivers/errors';
import { checkExact, command, NONE, notification, protocol, request, table } from '../../src/panels/ipc/protocol';
import { PanelHandlers, PanelHost, WebviewPort } from '../../src/panels/ipc/panelHost';
import { PanelClient, RequestError, Transport } from '../../webview/shared/ipc';

const demo = protocol({
  init: v.object({ items: v.array(v.string()) }),
  requests: {
    rename: request(v.object({ from: v.string(), to: v.pipe(v.string(), v.minLength(1)) }), v.object({ renamed: v.boolean() })),
    fail: request(NONE, NONE),
    slow: request(NONE, NONE, 50),
    tag: request(v.object({ keys: v.array(v.object({ name: v.string() })) }), NONE),
  },
  commands: { cancel: command(NONE) },
  notifications: { added: notification(v.object({ item: v.string() })) },
});

/** A host and a webview client joined by an in-process channel, with everything the host refused. */
function connected(handlers: PanelHandlers<typeof demo>) {
  const toHost = new EventEmitter();
  const toView = new EventEmitter();
  const port: WebviewPort = {
    postMessage: async (message) => toView.emit('message', structuredClone(message)),
    onDidReceiveMessage: (listener) => {
      const wrapped = (message: unknown): unknown => listener(message);
      toHost.on('message', wrapped);
      return { dispose: () => toHost.off('message', wrapped) };
    },
  };
  const refused: string[] = [];
  const failedCommands: [string, unknown][] = [];
  const host = new PanelHost(port, demo, handlers, (problem) => refused.push(problem), (command, error) => failedCommands.push([command, error]));
  const added: string[] = [];
  const transport: Transport = { post: (message) => void toHost.emit('message', structuredClone(message)), listen: (listener) => void toView.on('message', listener) };
  const client = new PanelClient(demo, transport, { added: ({ item }) => added.push(item) });
  const raw = (message: unknown): void => void toHost.emit('message', message);
  return { host, client, refused, failedCommands, added, raw };
}

const handlers = (overrides: Partial<PanelHandlers<typeof demo>['requests']> = {}, cancelled: string[] = []): PanelHandlers<typeof demo> => ({
  ready: async () => ({ items: ['a', 'b'] }),
  requests: {
    rename: async ({ from, to }) => ({ renamed: from !== to }),
    fail: async () => {
      throw new DriverError('readOnly', 'prod is read-only: the key was not renamed.', { worded: 'Use a writable connection.' });
    },
    slow: () => new Promise(() => undefined),
    tag: async () => ({}),
    ...overrides,
  },
  commands: { cancel: () => void cancelled.push('cancel') },
});

test('the handshake returns the state; requests resolve with their typed result', async () => {
  const { client, host } = connected(handlers());
  assert.equal(host.isListening, false);
  assert.deepEqual(await client.ready(), { items: ['a', 'b'] });
  assert.equal(host.isListening, true);
  assert.deepEqual(await client.request('rename', { from: 'x', to: 'y' }), { renamed: true });
});

test('a failed request rejects with the driver code and hint, and a request that is never answered times out', async () => {
  const { client } = connected(handlers());
  await client.ready();
  await assert.rejects(client.request('fail', {}), (error: unknown) => {
    assert.ok(error instanceof RequestError);
    assert.equal(error.code, 'readOnly');
    assert.equal(error.message, 'prod is read-only: the key was not renamed.');
    assert.equal(error.hint, 'Use a writable connection.');
    return true;
  });
  await assert.rejects(client.request('slow', {}), (error: unknown) => error instanceof RequestError && error.code === 'timeout');
});

test('messages outside the protocol are refused before any handler runs', async () => {
  let renamed = 0;
  const cancelled: string[] = [];
  let tagged = 0;
  const { client, raw, refused } = connected(handlers({ rename: async () => ({ renamed: ++renamed > 0 }), tag: async () => { tagged++; return {}; } }, cancelled));
  await client.ready();
  await assert.rejects(client.request('rename', { from: 'x', to: '' }), (error: unknown) => error instanceof RequestError && error.code === 'protocol');
  for (const message of [
    { kind: 'request', id: 90, method: 'rename', params: { from: 1, to: 'y' } },
    { kind: 'request', id: 91, method: 'constructor', params: {} },
    { kind: 'request', id: 92, method: '__proto__', params: {} },
    { kind: 'request', id: 93, method: 'toString', params: {} },
    { kind: 'command', method: 'runAnything', params: { command: 'workbench.action.terminal.new' } },
    { kind: 'command', method: 'cancel', params: { extra: true } },
    // Keys a schema does not name are refused, not dropped: at the top, nested, in a list, and on the envelope.
    { kind: 'request', id: 94, method: 'rename', params: { from: 'x', to: 'y', force: true } },
    { kind: 'request', id: 95, method: 'tag', params: { keys: [{ name: 'a' }, { name: 'b', pattern: '*' }] } },
    { kind: 'request', id: 96, method: 'tag', params: JSON.parse('{ "keys": [], "__proto__": { "evil": 1 } }') },
    { kind: 'request', id: 97, method: 'rename', params: { from: 'x', to: 'y' }, also: 'flushall' },
    { kind: 'eval', code: '1' },
    'ready',
    null,
  ]) raw(message);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(renamed, 0, 'no bad message reached the handler');
  assert.equal(tagged, 0, 'nor one with a key its schema does not name');
  assert.deepEqual(cancelled, [], 'a command with unknown fields is refused');
  assert.equal(refused.length, 14, refused.join('\n'));
  assert.ok(refused.some((problem) => problem.includes('keys.1.pattern: not part of the message')), refused.join('\n'));
  await client.request('tag', { keys: [{ name: 'a' }] });
  assert.equal(tagged, 1, 'an exact message is answered');
  client.command('cancel', {});
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(cancelled, ['cancel']);
});

test('a command that fails is told apart from a refused message: nothing waits for its answer, so the host hears of it', async () => {
  const failure = new DriverError('server', 'These rows cannot be edited.');
  const { client, refused, failedCommands } = connected({ ...handlers(), commands: { cancel: () => Promise.reject(failure) } });
  await client.ready();
  client.command('cancel', {});
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(failedCommands, [['cancel', failure]]);
  assert.deepEqual(refused, [], 'a valid command is not refused');
});

test('notifications reach a listening webview only; a hidden one gets the state on its next handshake', async () => {
  const items = ['a'];
  const { client, host, added } = connected({ ...handlers(), ready: async () => ({ items: [...items] }) });
  host.notify('added', { item: 'lost' });
  await client.ready();
  host.notify('added', { item: 'b' });
  items.push('b');
  host.hidden();
  host.notify('added', { item: 'c' });
  items.push('c');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(added, ['b']);
  assert.deepEqual(await client.ready(), { items: ['a', 'b', 'c'] }, 'the reloaded webview is given everything');
});

test('a handler answering with another shape, or a notification with wrong parameters, does not compile', () => {
  const wrong: PanelHandlers<typeof demo> = {
    ...handlers(),
    requests: {
      ...handlers().requests,
      // @ts-expect-error: rename answers { renamed: boolean }
      rename: async () => ({ started: true }),
    },
  };
  assert.ok(wrong);
  const { host } = connected(handlers());
  // @ts-expect-error: "added" carries { item: string }
  host.notify('added', { items: [] });
  // @ts-expect-error: there is no notification "removed"
  host.notify('removed', { item: 'x' });
});

test('a table keeps every key it was sent, those named like Object.prototype\'s included, and checks each key and value', () => {
  const headers = v.pipe(table(v.pipe(v.string(), v.maxLength(12, 'a long name')), v.union([v.string(), v.number()])), v.readonly());
  // As a webview's JSON arrives: "__proto__" is an own key there, not the prototype.
  const sent: unknown = JSON.parse('{ "constructor": "c", "prototype": 1, "__proto__": "p", "toString": "t", "tenant": "acme" }');
  const read = checkExact(headers, sent);
  assert.ok(read.ok, read.ok ? '' : read.problem);
  assert.deepEqual(Object.entries(read.value), [['constructor', 'c'], ['prototype', 1], ['__proto__', 'p'], ['toString', 't'], ['tenant', 'acme']]);
  assert.equal(Object.getPrototypeOf(read.value), Object.prototype, '"__proto__" stays a key and sets no prototype');
  assert.deepEqual(checkExact(headers, { 'a name too long': 'x' }), { ok: false, problem: 'a name too long: a long name' });
  assert.deepEqual(checkExact(headers, JSON.parse('{ "ok": 1, "constructor": { "nested": 1 } }')), { ok: false, problem: 'constructor: Invalid type: Expected (string | number) but received Object' });
  const nested = table(v.string(), table(v.string(), v.number()));
  assert.deepEqual(checkExact(nested, JSON.parse('{ "prototype": { "__proto__": 1 }, "b": { "constructor": "x" } }')), { ok: false, problem: 'b.constructor: Invalid type: Expected number but received "x"' });
  const deep = checkExact(nested, JSON.parse('{ "prototype": { "__proto__": 1, "constructor": 2 } }'));
  assert.deepEqual(deep.ok && Object.entries(deep.value['prototype'] ?? {}), [['__proto__', 1], ['constructor', 2]]);
  for (const notATable of [null, 'text', 3, ['a']]) assert.equal(checkExact(headers, notATable).ok, false, JSON.stringify(notATable));
});
