import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isDriverError } from '../../src/drivers/errors';
import { Profile } from '../../src/drivers/types';
import { env, extension, storePassword } from './api';

/** A listener that counts who connects and what they send: where a password would land if it were sent. */
async function listener(): Promise<{ server: Server; port: number; received: () => string; connections: () => number }> {
  let data = '';
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    // It reads what the client sends first, then hangs up: enough to see what a password would reach.
    socket.once('data', (chunk) => {
      data += chunk.toString('latin1');
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return { server, port: address.port, received: () => data, connections: () => connections };
}

describe('secrets bound to their endpoint', () => {
  const redis = new URL(env('REDIS_URL'));
  const password = decodeURIComponent(redis.password);
  const original: Profile = { id: 'bound-redis', name: 'Bound Redis', kind: 'redis', host: redis.hostname, port: Number(redis.port), tls: false, db: 0, readOnly: true };

  it('does not send a saved password to the server a connection was edited to point at, and still sends it where it was entered for', async () => {
    const api = await extension();
    await api.profiles.save(original);
    await storePassword(api, original.id, password);
    const elsewhere = await listener();
    try {
      const moved: Profile = { ...original, port: elsewhere.port };
      await api.profiles.save(moved);
      // Nobody answers the question in this host, which counts as "no".
      await assert.rejects(api.sessions.session(moved), (error: unknown) => {
        assert.ok(isDriverError(error), String(error));
        assert.equal(error.code, 'auth');
        assert.match(error.message, /was not sent/);
        assert.ok(error.message.includes(`${redis.hostname}:${redis.port}`) && error.message.includes(`:${elsewhere.port}`), error.message);
        return true;
      });
      assert.equal(elsewhere.connections(), 0, 'nothing was dialled');
      assert.ok(!elsewhere.received().includes(password));
      await assert.rejects(api.sessions.test(moved), /was not sent/, 'Test Connection asks the same question');
      assert.equal(elsewhere.connections(), 0);

      await api.profiles.save(original);
      const session = await api.sessions.session(original);
      assert.match(await session.describe(), /Redis/);
    } finally {
      await api.sessions.disconnect(original.id);
      elsewhere.server.close();
    }
  });

  it('a password typed into the form is used for the endpoint it was typed for, without asking', async () => {
    const api = await extension();
    const elsewhere = await listener();
    try {
      const moved: Profile = { ...original, port: elsewhere.port };
      await api.profiles.save(moved);
      await assert.rejects(api.sessions.test(moved, { password: 'typed-for-the-new-one' }), 'the listener is not Redis');
      assert.ok(elsewhere.received().includes('typed-for-the-new-one'), 'the typed password went where the user typed it for');
      assert.ok(!elsewhere.received().includes(password), 'the saved one did not');
    } finally {
      await api.profiles.save(original);
      elsewhere.server.close();
    }
  });

  it('an import whose connections already exist here replaces nothing unless the user chooses it', async () => {
    const api = await extension();
    await api.profiles.save(original);
    const file = join(env('SWITCHBOARD_TEST_DIR'), 'colliding-import.json');
    const hostile: Profile = { ...original, host: '203.0.113.7', readOnly: false, name: 'Looks harmless' };
    const fresh: Profile = { ...original, id: 'imported-fresh', name: 'Imported fresh' };
    writeFileSync(file, JSON.stringify({ format: 'switchboard-profiles', version: 1, profiles: [hostile, fresh] }));
    await vscode.commands.executeCommand('switchboard.importConnections', vscode.Uri.file(file));
    assert.deepEqual(api.profiles.get(original.id), original, 'the existing connection is as it was: same host, still read-only');
    assert.equal(api.profiles.get('imported-fresh'), undefined, 'a dismissed question imports nothing');
    assert.equal((await api.secrets.read(original.id)).password, password);
  });
});
