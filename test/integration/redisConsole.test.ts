import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Redis from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { parseCommandLine } from '../../src/drivers/redis/cli';
import { CommandDocs, commandHint, hintFor, parseCommandDocs } from '../../src/drivers/redis/commandDocs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisSession, suiteRedis } from './redisSuite';

/** The Redis console's own connection: what it keeps across a reconnect. */

const { profile, options, password } = suiteRedis({ id: 'rc', name: 'console' });
let raw: Redis;
let session: RedisSession;

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password });
  session = await redisSession(profile, options);
});

after(async () => {
  raw.disconnect();
  await session.close();
});

test('a database chosen with SELECT (any case) is the one the console is on after its connection is dropped', async () => {
  await raw.select(6);
  await raw.set('console:where', 'db6');
  await raw.select(0);
  await raw.set('console:where', 'db0');
  const cli = session.console();
  const run = (line: string): Promise<unknown> => cli.run(parseCommandLine(line));
  try {
    await run('CLIENT SETNAME sb-console-probe');
    assert.deepEqual(await run('SELECT 6'), Buffer.from('OK'));
    await assert.rejects(run('select 999'), /out of range/);
    await assert.rejects(run('Select 998'), /out of range/);
    assert.deepEqual(await run('GET console:where'), Buffer.from('db6'));
    // The server drops the connection (a restart, a timeout, an admin); the client dials again by itself.
    const list = await raw.client('LIST');
    const id = /id=(\d+) [^\n]*name=sb-console-probe/.exec(String(list))?.[1];
    assert.ok(id, String(list));
    await raw.client('KILL', 'ID', id);
    assert.deepEqual(await run('GET console:where'), Buffer.from('db6'), 'still on db6 after the reconnect');
  } finally {
    cli.close();
    await raw.del('console:where');
    await raw.select(6);
    await raw.del('console:where');
    await raw.select(0);
  }
});

test('argument hints come from the connected server\'s COMMAND DOCS, on a read-only connection too; the unit tests\' captured reply is this server\'s', async () => {
  const readOnly = await redisSession({ ...profile, id: 'rc-ro', readOnly: true }, options);
  const consoles = [session.console(), readOnly.console()];
  try {
    for (const cli of consoles) {
      const docs = await cli.commandDocs();
      assert.ok(docs.size > 100, `COMMAND DOCS named ${docs.size} commands`);
      assert.equal(hintFor(docs, 'SET'), ' key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
      assert.equal(hintFor(docs, 'zadd k '), '[NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]');
      assert.equal(hintFor(docs, 'CONFIG GET'), ' parameter [parameter ...]');
    }
    // The reply captured for the unit tests (test/fixtures/redis/commandDocs.json) gives the hints this server's does
    // (the order of a container's subcommands differs from one server process to the next).
    const names = ['SET', 'GET', 'ZADD', 'MSET', 'SORT', 'CONFIG', 'HSET', 'XADD'];
    const hints = (docs: CommandDocs): string[] => names.flatMap((name) => {
      const doc = docs.get(name);
      assert.ok(doc, name);
      return [`${name} ${commandHint(doc)}`, ...[...doc.subcommands].map(([sub, d]) => `${name} ${sub} ${commandHint(d)}`).sort()];
    });
    const captured = parseCommandDocs(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'redis', 'commandDocs.json'), 'utf8')));
    const live = parseCommandDocs(await raw.callBuffer('COMMAND', 'DOCS', ...names));
    assert.ok(hints(live).length > names.length, "CONFIG's subcommands are hinted too");
    assert.deepEqual(hints(captured), hints(live));
  } finally {
    for (const cli of consoles) cli.close();
    await readOnly.close();
  }
});
