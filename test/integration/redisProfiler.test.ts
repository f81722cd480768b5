import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Redis, { Cluster } from 'ioredis';
import { RedisSession } from '../../src/drivers/redis';
import { isDriverError } from '../../src/drivers/errors';
import type { MonitorCounts, MonitoredCommand, MonitorOptions, MonitorStop } from '../../src/drivers/redis/monitor';
import { need } from './env';
import { eventually } from '../eventually';
import { redisSession, suiteRedis } from './redisSuite';

const { profile, options, password } = suiteRedis({ id: 'rp', name: 'redis', readOnly: true });
let raw: Redis;
let session: RedisSession;

before(async () => {
  raw = new Redis({ host: profile.host, port: profile.port, password, db: 13 });
  session = await redisSession(profile, options);
});

after(async () => {
  await raw.flushdb();
  raw.disconnect();
  await session.close();
});

/** Runs a monitor; resolves what it handed over and why it stopped, once it has. */
function watch(target: RedisSession, settings: Partial<MonitorOptions>) {
  const commands: MonitoredCommand[] = [];
  let stopped!: (value: { reason: MonitorStop; counts: MonitorCounts }) => void;
  const ended = new Promise<{ reason: MonitorStop; counts: MonitorCounts }>((resolve) => (stopped = resolve));
  const opened = target.monitor({ maxSeconds: 30, maxCommands: 100_000, filter: '', ratePerSecond: 100_000, ...settings, onCommand: (c) => commands.push(c), onStop: (reason, counts) => stopped({ reason, counts }) });
  return { commands, ended, opened };
}

/** Waits for the monitor to have handed over a command matching `probe` (the server sends MONITOR lines asynchronously). */
async function until(commands: MonitoredCommand[], probe: (c: MonitoredCommand) => boolean): Promise<MonitoredCommand> {
  return eventually('a monitored command like the one sent', () => commands.find(probe), 10_000).catch((error: unknown) => {
    throw new Error(`${String(error)}: ${commands.length} monitored, the last ${JSON.stringify(commands.slice(-3))}`);
  });
}

test('profiler: MONITOR on a read-only connection shows each command with its exact arguments, client, db and time', async () => {
  // Only SETs: other tests on the shared server (a memory analysis sends a million commands) would otherwise fill
  // the monitor's count before these arrive.
  const { commands, opened } = watch(session, { filter: 'set' });
  const monitor = await opened;
  const hostileKey = 'quote" "space\\back\\"slash';
  const binary = Buffer.from([0x00, 0xff, 0x22, 0x5c, 0x0a]);
  const before = Date.now();
  await raw.set(hostileKey, 'värde ✓');
  await raw.set(Buffer.from('bin:key'), binary);
  const set = await until(commands, (c) => c.command === 'SET' && c.args[0] === hostileKey);
  assert.deepEqual(set.args, [hostileKey, 'värde ✓']);
  assert.equal(set.db, 13);
  assert.match(set.client, /^127\.0\.0\.1:\d+$/);
  assert.ok(set.at >= before - 1000 && set.at <= Date.now() + 1000, 'the server\'s time, in ms');
  const bin = await until(commands, (c) => c.args[0] === 'bin:key');
  assert.equal(bin.args[1], '\\x00\\xff"\\x5c\\x0a', 'bytes that are not UTF-8 are shown escaped');
  monitor.stop();
});

test('profiler: it stops by itself after N commands, after N seconds, and keeps at most the rate cap per second', async () => {
  const byCount = watch(session, { maxCommands: 5, filter: 'counted' });
  await byCount.opened;
  for (let i = 0; i < 20; i++) await raw.set(`counted:${i}`, 'x');
  await raw.set('other', 'not counted');
  const counted = await byCount.ended;
  assert.equal(counted.reason, 'commands');
  assert.equal(byCount.commands.length, 5);
  assert.ok(byCount.commands.every((c) => c.args[0]!.startsWith('counted:')), 'only what the filter matches');

  const started = Date.now();
  const bySeconds = watch(session, { maxSeconds: 1, filter: 'a command no test sends' });
  await bySeconds.opened;
  const timed = await bySeconds.ended;
  assert.equal(timed.reason, 'seconds');
  assert.ok(Date.now() - started >= 1000 && Date.now() - started < 5000);

  const capped = watch(session, { ratePerSecond: 10, filter: 'burst' });
  const monitor = await capped.opened;
  const p = raw.pipeline();
  for (let i = 0; i < 300; i++) p.set(`burst:${i}`, 'x');
  await p.exec();
  await raw.set('burst:last', 'x');
  await until(capped.commands, () => monitor.counts.kept + monitor.counts.dropped >= 301);
  assert.ok(monitor.counts.kept <= 20, `${monitor.counts.kept} kept`);
  assert.equal(monitor.counts.kept + monitor.counts.dropped, 301);
  monitor.stop();
  assert.equal((await capped.ended).reason, 'stopped');
});

test('profiler: a user whose ACL refuses MONITOR gets the server\'s refusal by name; bad limits are refused before anything runs', async () => {
  await raw.call('ACL', 'SETUSER', 'watcher', 'on', '>watcher-pw', '~*', '+@read', '+@connection', '+info', '-monitor');
  const limited = await redisSession({ ...profile, username: 'watcher' }, { ...options, secrets: { password: 'watcher-pw' } });
  try {
    await assert.rejects(watch(limited, {}).opened, (error) => isDriverError(error) && error.code === 'auth' && /refused MONITOR/.test(error.message) && /NOPERM/.test(error.message));
    await assert.rejects(watch(session, { maxSeconds: 0 }).opened, /maxSeconds must be a whole number/);
  } finally {
    await limited.close();
    await raw.call('ACL', 'DELUSER', 'watcher');
  }
});

test('profiler on a cluster watches every master', async () => {
  const nodes = need('REDIS_CLUSTER').split(',');
  const [host, port] = nodes[0]!.split(':');
  const cluster = new Cluster(nodes.map((n) => ({ host: n.split(':')[0]!, port: Number(n.split(':')[1]) })), { redisOptions: { password } });
  const clustered = await redisSession({ ...profile, host: host!, port: Number(port), db: 0, cluster: true }, options);
  try {
    const { commands, opened } = watch(clustered, { filter: 'profiled' });
    const monitor = await opened;
    await Promise.all(Array.from({ length: 60 }, (_, i) => cluster.set(`profiled:${i}`, 'v')));
    await until(commands, () => commands.length >= 60);
    assert.equal(new Set(commands.map((c) => c.server)).size, cluster.nodes('master').length, 'each master reported its share');
    monitor.stop();
  } finally {
    await Promise.all(Array.from({ length: 60 }, (_, i) => cluster.del(`profiled:${i}`)));
    cluster.disconnect();
    await clustered.close();
  }
});
