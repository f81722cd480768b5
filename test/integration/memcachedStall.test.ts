import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver, MemcachedSession } from '../../src/drivers/memcached';
import { MemcachedProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { loadItems, MemcachedService, startMemcached } from '../services/memcached';
import { pinnedHostKey } from './env';
import { eventually } from '../eventually';

/**
 * A memcached that stops answering without closing anything (SIGSTOP: the kernel still accepts connections and
 * data): every operation ends within the timeout with an error naming the server, and the session works again once
 * the server does (SIGCONT).
 */

const TIMEOUT = 1500;
const root = mkdtempSync(join(tmpdir(), 'switchboard-mcstall-'));
let server: MemcachedService;
let session: MemcachedSession;
let profile: MemcachedProfile;
const options = { secrets: {}, timeoutMs: TIMEOUT, hostKeys: pinnedHostKey('x AAAA') };

before(async () => {
  server = await startMemcached(root, 'memcached-stall');
  await loadItems(server.port, 1000, 'stall:', 'v');
  profile = { id: 'mc-stall', name: 'stalling', kind: 'memcached', servers: [{ host: '127.0.0.1', port: server.port, weight: 1 }], readOnly: false };
  session = await driver.connect(profile, options);
});

after(async () => {
  server.signal('SIGCONT');
  await session.close();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

async function endsNamingServer(what: string, operation: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await assert.rejects(operation(), (error: unknown) => {
    assert.ok(isDriverError(error), `${what}: ${String(error)}`);
    assert.ok(error.message.includes(`127.0.0.1:${server.port}`), `${what}: ${error.message}`);
    return true;
  }, what);
  const took = Date.now() - started;
  assert.ok(took < TIMEOUT * 3, `${what} took ${took} ms`);
}

test('a stopped memcached fails each operation within the timeout, naming it; it works again once the server resumes', async () => {
  assert.equal((await session.get('stall:1'))?.data.toString(), 'v');
  server.signal('SIGSTOP');
  await endsNamingServer('get', () => session.get('stall:1'));
  await endsNamingServer('set', () => session.store('set', 'stall:new', Buffer.from('x')));
  await endsNamingServer('stats', () => session.children());
  await endsNamingServer('listing', () => session.listKeys(() => undefined, { cap: 10 }));
  await endsNamingServer('a new connection', () => driver.connect(profile, options));
  server.signal('SIGCONT');
  await eventually('the session to come back', () => session.get('stall:1').catch(() => undefined), 20_000);
  assert.equal((await session.get('stall:2'))?.data.toString(), 'v');
});
