import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { driver as redis } from '../../src/drivers/redis';
import { driver as memcached } from '../../src/drivers/memcached';
import { driver as rabbitmq } from '../../src/drivers/rabbitmq';
import { driver as mysql } from '../../src/drivers/mysql';
import { driver as ssh } from '../../src/drivers/ssh';
import { ConnectOptions, Driver, Kind, Profile } from '../../src/drivers/types';
import { DriverErrorCode, isDriverError } from '../../src/drivers/errors';
import { parseConnectionUrl, profileFromValues } from '../../src/drivers/kinds';
import { need, pinnedHostKey, refusedPort } from './env';

/**
 * Every kind against every way a connection goes wrong: each attempt must end in a DriverError of the right code whose
 * message names the endpoint and says what to do, must never echo the password, and must leave the driver working.
 */

const TIMEOUT_MS = 1500;
const address = (url: string): { host: string; port: number } => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
};
const endpoints = {
  redis: address(need('REDIS_URL')),
  memcached: ((): { host: string; port: number } => {
    const [host, port] = need('MEMCACHED_SERVERS').split(',')[0]!.split(':');
    return { host: host!, port: Number(port) };
  })(),
  rabbitmq: address(need('AMQP_URL')),
  mysql: address(need('MYSQL_URL')),
  ssh: { host: need('SSH_HOST'), port: Number(need('SSH_PORT')) },
};

interface KindCase {
  readonly driver: Driver;
  readonly password: string;
  /** The good profile, moved to another address. */
  at(host: string, port: number): Profile;
  /** The kind's own name, as its messages use it. */
  readonly title: RegExp;
  /** A server of another kind, and the codes this kind may report for it. */
  readonly wrongKind: { readonly host: string; readonly port: number; readonly codes: readonly DriverErrorCode[] };
}

const base = { name: 'bad input', readOnly: false } as const;
const KINDS: Record<Kind, KindCase> = {
  redis: {
    driver: redis as Driver, password: decodeURIComponent(new URL(need('REDIS_URL')).password), title: /Redis/,
    at: (host, port) => ({ ...base, id: 'redis', kind: 'redis', host, port, tls: false, db: 0 }),
    wrongKind: { ...endpoints.memcached, codes: ['protocol'] },
  },
  memcached: {
    driver: memcached as Driver, password: '', title: /[Mm]emcached/,
    at: (host, port) => ({ ...base, id: 'memcached', kind: 'memcached', servers: [{ host, port, weight: 1 }] }),
    wrongKind: { ...endpoints.redis, codes: ['protocol'] },
  },
  rabbitmq: {
    driver: rabbitmq as Driver, password: decodeURIComponent(new URL(need('AMQP_URL')).password), title: /RabbitMQ|AMQP/,
    at: (host, port) => ({ ...base, id: 'rabbitmq', kind: 'rabbitmq', host, port, username: decodeURIComponent(new URL(need('AMQP_URL')).username), vhost: '/', tls: false }),
    // Redis waits for a line end that the AMQP header never sends: only the deadline can tell.
    wrongKind: { ...endpoints.redis, codes: ['protocol', 'timeout'] },
  },
  mysql: {
    driver: mysql as Driver, password: decodeURIComponent(new URL(need('MYSQL_URL')).password), title: /MySQL/,
    at: (host, port) => ({ ...base, id: 'mysql', kind: 'mysql', host, port, username: decodeURIComponent(new URL(need('MYSQL_URL')).username), tls: false }),
    // The SSH banner reads as the length of a packet far longer than the banner: only the deadline can tell.
    wrongKind: { ...endpoints.ssh, codes: ['protocol', 'timeout'] },
  },
  ssh: {
    driver: ssh as Driver, password: need('SSH_PASSWORD'), title: /SSH/,
    at: (host, port) => ({ ...base, id: 'ssh', kind: 'ssh', host, port, username: need('SSH_USER'), useAgent: false }),
    wrongKind: { ...endpoints.redis, codes: ['protocol', 'timeout'] },
  },
};

const optionsFor = (kind: Kind, password: string, timeoutMs = TIMEOUT_MS): ConnectOptions => ({
  secrets: { password },
  timeoutMs,
  hostKeys: kind === 'ssh' ? pinnedHostKey() : pinnedHostKey('x AAAA'),
});

/** A port that accepts connections and never says a word: the case a firewall or a hung server makes. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

async function expectFailure(kind: Kind, profile: Profile, password: string, code: readonly DriverErrorCode[], names: RegExp, timeoutMs = TIMEOUT_MS): Promise<void> {
  const { driver } = KINDS[kind];
  const started = Date.now();
  await assert.rejects(driver.connect(profile, optionsFor(kind, password, timeoutMs)), (error: unknown) => {
    assert.ok(isDriverError(error), `${kind}: not a DriverError: ${String(error)}`);
    assert.ok(code.includes(error.code), `${kind}: expected ${code.join(' or ')}, got ${error.code}: ${error.message}`);
    assert.match(error.message, names, `${kind}: the message names what failed`);
    // A deadline cannot know why the server said nothing, so it says what to check, the kind of server included.
    if (error.code === 'timeout') assert.match(error.message, /right kind of server|speak TLS/, `${kind}: ${error.message}`);
    assert.ok(error.hint && error.hint.length > 10, `${kind}: the message says what to do: ${error.message}`);
    if (password.length > 0) assert.ok(!error.message.includes(password), `${kind}: the password is not echoed`);
    return true;
  });
  // Every failure ends within the connect timeout (plus the handshake slack some drivers allow).
  assert.ok(Date.now() - started < timeoutMs * 3 + 2000, `${kind}: gave up in ${Date.now() - started} ms`);
}

async function stillConnects(kind: Kind): Promise<void> {
  const { driver, at, password } = KINDS[kind];
  const { host, port } = endpoints[kind];
  const session = await driver.connect(at(host, port), optionsFor(kind, password));
  try {
    assert.ok((await session.describe()).length > 0);
  } finally {
    await session.close();
  }
}

for (const kind of Object.keys(KINDS) as Kind[]) {
  const { at, password, title, wrongKind } = KINDS[kind];
  const { host, port } = endpoints[kind];

  test(`${kind}: an unknown host, a refused port, a silent port and a server of another kind each fail clearly`, async () => {
    await expectFailure(kind, at('switchboard-no-such-host.invalid', port), password, ['unreachable'], /switchboard-no-such-host\.invalid/);
    const refused = await refusedPort();
    await expectFailure(kind, at('127.0.0.1', refused), password, ['refused'], new RegExp(`127\\.0\\.0\\.1:${refused}.*refused`));
    const silent = await silentServer();
    try {
      await expectFailure(kind, at('127.0.0.1', silent.port), password, ['timeout'], new RegExp(`${silent.port}.*(no .* within|timed out)`));
    } finally {
      await silent.close();
    }
    await expectFailure(kind, at(wrongKind.host, wrongKind.port), password, wrongKind.codes, title);
    await stillConnects(kind);
  });

  if (kind !== 'memcached') {
    test(`${kind}: a wrong password is refused by the server, named, and not echoed`, async () => {
      // sshd (PAM) holds a failed password back for about two seconds before it says no.
      await expectFailure(kind, at(host, port), 'wrong-password-7f3a', ['auth'], new RegExp(`${host}:${port}`), 8000);
      await stillConnects(kind);
    });
  }
}

test('TLS against a plain port and plain against a TLS port are told apart from other failures', async () => {
  const redisTls = address(need('REDISS_URL'));
  const redisPlain = KINDS.redis.at(endpoints.redis.host, endpoints.redis.port);
  await expectFailure('redis', { ...redisPlain, tls: true, caFile: need('REDIS_CA_FILE') } as Profile, KINDS.redis.password, ['tls'], /speak TLS/);
  await expectFailure('redis', KINDS.redis.at(redisTls.host, redisTls.port), KINDS.redis.password, ['closed', 'protocol', 'timeout'], /TLS/);
  const amqpTls = address(need('AMQPS_URL'));
  const amqpPlain = KINDS.rabbitmq.at(endpoints.rabbitmq.host, endpoints.rabbitmq.port);
  await expectFailure('rabbitmq', { ...amqpPlain, tls: true, caFile: need('AMQP_CA_FILE') } as Profile, KINDS.rabbitmq.password, ['tls'], /speak TLS/);
  await expectFailure('rabbitmq', KINDS.rabbitmq.at(amqpTls.host, amqpTls.port), KINDS.rabbitmq.password, ['closed', 'protocol', 'timeout'], /TLS/);
  // MySQL negotiates TLS inside its own protocol: asking for it from a server that offers none is refused by name.
  await expectFailure('mysql', { ...KINDS.mysql.at(endpoints.mysql.host, endpoints.mysql.port), tls: true } as Profile, KINDS.mysql.password, ['tls'], /TLS/);
  await stillConnects('redis');
  await stillConnects('rabbitmq');
  await stillConnects('mysql');
});

test('Redis at a port that answers another protocol says which: HTTP (the management API), SSH, Memcached', async () => {
  const http = address(need('RABBITMQ_MGMT_URL'));
  // A server that answers and then hangs up may have its reply dropped by the reset that follows it (the kernel
  // discards unread data on RST): then all there is to say is that the connection was reset.
  await expectFailure('redis', KINDS.redis.at(http.host, http.port), KINDS.redis.password, ['protocol', 'closed'], new RegExp(`${http.host}:${http.port} (answers HTTP, not Redis|: connection reset by the server)`));
  await expectFailure('redis', KINDS.redis.at(endpoints.ssh.host, endpoints.ssh.port), KINDS.redis.password, ['protocol', 'closed'], /answers as an SSH server, not Redis|connection reset by the server/);
  await expectFailure('redis', KINDS.redis.at(endpoints.memcached.host, endpoints.memcached.port), KINDS.redis.password, ['protocol'], /does not speak the Redis protocol \(its reply began with byte 0x45\)/);
  await assert.rejects(KINDS.redis.driver.connect(KINDS.redis.at(http.host, http.port), optionsFor('redis', KINDS.redis.password, TIMEOUT_MS)), (error: unknown) => {
    assert.ok(error instanceof Error && !/RESP|Please report/.test(error.message), `no parser wording reaches the user: ${String(error)}`);
    return true;
  });
  await stillConnects('redis');
});

test('malformed addresses and empty fields are caught in the form, field by field, before anything is dialled', () => {
  for (const text of ['redis://', 'redis://:6379', 'amqp://[::1', 'mysql://u:p@/db', 'postgres://u@h/db', 'ssh://', 'not a url at all', '%%%']) {
    assert.equal(parseConnectionUrl(text), undefined, `"${text}" is not taken for an address`);
  }
  const cases: [Kind, Record<string, string | boolean>, string[]][] = [
    ['redis', { name: '', host: '', port: 'abc', db: '-1' }, ['db', 'host', 'name', 'port']],
    ['memcached', { name: 'pool', servers: '' }, ['servers']],
    ['memcached', { name: 'pool', servers: 'a:99999' }, ['servers']],
    ['rabbitmq', { name: 'mq', host: ' ', port: '0', username: '' }, ['host', 'port', 'username']],
    ['mysql', { name: 'db', host: 'h', port: '3306.5', username: '' }, ['port', 'username']],
    ['ssh', { name: 'box', host: '', port: '-1', username: '' }, ['host', 'port', 'username']],
  ];
  for (const [kind, values, fields] of cases) {
    const result = profileFromValues(kind, 'x', values);
    assert.equal(result.profile, undefined, `${kind}: no profile from ${JSON.stringify(values)}`);
    for (const field of fields) assert.ok((result.errors[field] ?? '').length > 5, `${kind}: ${field} has an error saying what is wrong: ${JSON.stringify(result.errors)}`);
  }
});
