import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { driver } from '../../src/drivers/memcached';
import { MemcachedProfile, MemcachedServer } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * Memcached's ASCII authentication is a `set` whose data is "user password": a server without an auth file stores it
 * as an ordinary item called `auth`, readable by every client. Credentials go only to a server that asks for them,
 * which one started with -Y does by answering CLIENT_ERROR unauthenticated to a harmless `version` first.
 */

const server = (list: string): MemcachedServer => {
  const [host = '', port = ''] = list.split(',')[0]!.split(':');
  return { host, port: Number(port), weight: 1 };
};
const open = server(need('MEMCACHED_SERVERS'));
const options = (password: string) => ({ secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
const PASSWORD = 'pa55 word with spaces';

function raw(target: MemcachedServer, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(target.port, target.host, () => socket.write(command));
    let reply = '';
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (/(END|STORED|DELETED|NOT_FOUND|OK)\r\n$/.test(reply)) (socket.destroy(), resolve(reply));
    });
    socket.once('error', reject);
  });
}

for (const readOnly of [false, true]) {
  test(`a user name against a server without auth: nothing is stored, the application's "auth" item is untouched (${readOnly ? 'read-only' : 'writable'})`, async () => {
    assert.equal(await raw(open, 'set auth 0 0 17\r\napplication value\r\n'), 'STORED\r\n');
    const profile: MemcachedProfile = { id: 'mc-auth-probe', name: 'probe', kind: 'memcached', servers: [open], username: 'someone', readOnly };
    const session = await driver.connect(profile, options(PASSWORD));
    try {
      assert.equal((await session.get('auth'))?.data.toString(), 'application value');
      assert.match(await session.describe(), /did not ask for credentials: not sent/);
    } finally {
      await session.close();
    }
    assert.equal(await raw(open, 'get auth\r\n'), 'VALUE auth 0 17\r\napplication value\r\nEND\r\n');
    await raw(open, 'delete auth\r\n');
    const again = await driver.connect(profile, options(PASSWORD));
    await again.close();
    assert.equal(await raw(open, 'get auth\r\n'), 'END\r\n', 'no item appears where there was none');
  });
}

test('a server started with an auth file still gets the credentials, and a wrong password is named as such', async () => {
  const secured = server(need('MEMCACHED_AUTH_SERVERS'));
  const profile: MemcachedProfile = { id: 'mc-auth-yes', name: 'secured', kind: 'memcached', servers: [secured], username: need('MEMCACHED_AUTH_USER'), readOnly: true };
  const session = await driver.connect(profile, options(need('MEMCACHED_AUTH_PASSWORD')));
  assert.doesNotMatch(await session.describe(), /did not ask/);
  assert.equal((await session.children()).length, 1);
  await session.close();
  await assert.rejects(driver.connect(profile, options('wrong')), (e: unknown) => isDriverError(e) && e.code === 'auth' && !e.message.includes('wrong'));
});
