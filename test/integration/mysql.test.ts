import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'mysql2/promise';
import { driver } from '../../src/drivers/mysql';
import { MySqlProfile } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { need, pinnedHostKey, refusedPort, TIMEOUT_MS } from './env';

const url = new URL(need('MYSQL_URL'));
const password = decodeURIComponent(url.password);
const database = url.pathname.slice(1);
const profile: MySqlProfile = {
  id: 's1', name: 'maria', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), database, tls: false, readOnly: false,
};
const options = { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') };

test('mysql: connects and lists databases, tables with row estimates, and columns', async () => {
  const raw = await createConnection(need('MYSQL_URL'));
  await raw.query('CREATE TABLE IF NOT EXISTS sb_authors (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(80) NOT NULL, bio TEXT NULL)');
  await raw.query("INSERT INTO sb_authors (name) VALUES ('Ada'), ('Grace')");
  await raw.query('ANALYZE TABLE sb_authors');
  const session = await driver.connect(profile, options);
  try {
    assert.match(await session.describe(), /^(MariaDB|MySQL) \d+\.\d+/);
    const dbs = await session.children();
    assert.equal(dbs[0]?.label, database, 'the connection database comes first');
    assert.ok(dbs.some((d) => d.label === 'information_schema' && d.type === 'systemDb'));
    const table = (await session.children(dbs[0])).find((t) => t.label === 'sb_authors');
    assert.equal(table?.description, '~2 rows');
    const columns = await session.children(table);
    assert.deepEqual(columns.map((c) => c.label), ['id', 'name', 'bio', 'Indexes']);
    assert.match(columns[0]?.description ?? '', /^int.* · not null · primary key/);
    assert.match(columns[2]?.description ?? '', /^text · null/);
  } finally {
    await session.close();
    await raw.query('DROP TABLE sb_authors');
    await raw.end();
  }
});

test('mysql: a wrong password is ER_ACCESS_DENIED_ERROR, named with the endpoint', async () => {
  await assert.rejects(driver.connect(profile, { ...options, secrets: { password: 'nope-nope' } }), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.equal(error.code, 'auth');
    assert.match(error.message, new RegExp(`${profile.host}:${profile.port}`));
    assert.doesNotMatch(error.message, /nope-nope/);
    return true;
  });
});

test('mysql: a refused port is reported as refused', async () => {
  const port = await refusedPort();
  await assert.rejects(driver.connect({ ...profile, port }, options), (error: unknown) => isDriverError(error) && error.code === 'refused');
});

test('mysql: pointed at an SSH server it says the server does not speak MySQL', async () => {
  await assert.rejects(driver.connect({ ...profile, port: Number(need('SSH_PORT')) }, options), (error: unknown) => {
    assert.ok(isDriverError(error), String(error));
    assert.ok(['protocol', 'timeout'].includes(error.code), `${error.code}: ${error.message}`);
    assert.match(error.message, /MySQL/);
    return true;
  });
});
