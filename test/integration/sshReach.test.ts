import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driver as ssh, SshSession } from '../../src/drivers/ssh';
import { driver as redis } from '../../src/drivers/redis';
import { driver as memcached } from '../../src/drivers/memcached';
import { driver as rabbitmq } from '../../src/drivers/rabbitmq';
import { driver as mysql } from '../../src/drivers/mysql';
import { SshProfile, Tunnel } from '../../src/drivers/types';
import { isDriverError } from '../../src/drivers/errors';
import { knownHostsLine } from '../../src/drivers/ssh/knownHosts';
import { run } from '../services/process';
import { startOpenSsh } from '../services/openssh';
import { knownHostsVerifier, need, sessionOf, TIMEOUT_MS } from './env';

const host = need('SSH_HOST');
const target: SshProfile = { id: 't', name: 'target', kind: 'ssh', host, port: Number(need('SSH_PORT')), username: need('SSH_USER'), useAgent: false, readOnly: false };
const jump: SshProfile = { ...target, id: 'j', name: 'jump', port: Number(need('SSH_JUMP_PORT')) };
const keyOf = (line: string): Buffer => Buffer.from(line.split(' ')[1] ?? '', 'base64');
/** A known_hosts file that lists both private servers, as a user's would. */
const knownHosts = [knownHostsLine(host, target.port, keyOf(need('SSH_HOST_KEY'))), knownHostsLine(host, jump.port, keyOf(need('SSH_JUMP_HOST_KEY')))].join('\n');
const options = { secrets: { password: need('SSH_PASSWORD') }, timeoutMs: TIMEOUT_MS, hostKeys: knownHostsVerifier(knownHosts) };

async function through(carrier: SshSession, host: string, port: number, fn: (tunnel: Tunnel) => Promise<void>): Promise<void> {
  const tunnel = carrier.openTunnel(host, port);
  try {
    await fn(tunnel);
  } finally {
    tunnel.close();
  }
}

test('a ProxyJump chain of two hops verifies every host key and reaches the target', async () => {
  const seen: string[] = [];
  const verifier = { verify: async (h: string, p: number, k: Uint8Array) => (seen.push(`${h}:${p}`), options.hostKeys.verify(h, p, k)) };
  const first = await sessionOf(ssh.connect(jump, { ...options, hostKeys: verifier }), SshSession);
  // The second hop goes through the jump host to itself, then on to the target: any chain length works the same way.
  await through(first, host, jump.port, async (hop) => {
    const second = await sessionOf(ssh.connect(jump, { ...options, hostKeys: verifier, tunnel: hop }), SshSession);
    await through(second, host, target.port, async (last) => {
      const end = await ssh.connect(target, { ...options, hostKeys: verifier, tunnel: last });
      assert.match(await end.describe(), /^Linux /);
      await end.close();
    });
    await second.close();
  });
  await first.close();
  assert.deepEqual(seen, [`${host}:${jump.port}`, `${host}:${jump.port}`, `${host}:${target.port}`]);
});

test('a hop whose key changed is refused, and the chain stops there', async () => {
  const first = await sessionOf(ssh.connect(jump, options), SshSession);
  const wrongTarget = knownHosts.replace(need('SSH_HOST_KEY').split(' ')[1]!, need('SSH_JUMP_HOST_KEY').split(' ')[1]!);
  await through(first, host, target.port, async (tunnel) => {
    await assert.rejects(ssh.connect(target, { ...options, hostKeys: knownHostsVerifier(wrongTarget), tunnel }), (e: unknown) => isDriverError(e) && e.code === 'hostKey');
  });
  await first.close();
});

test('every other kind connects through an SSH tunnel', async () => {
  const carrier = await sessionOf(ssh.connect(jump, options), SshSession);
  const opts = { timeoutMs: TIMEOUT_MS, hostKeys: options.hostKeys };
  try {
    const r = new URL(need('REDIS_URL'));
    await through(carrier, r.hostname, Number(r.port), async (tunnel) => {
      const s = await redis.connect({ id: 'r', name: 'r', kind: 'redis', host: r.hostname, port: Number(r.port), db: 0, tls: false, readOnly: false }, { ...opts, tunnel, secrets: { password: decodeURIComponent(r.password) } });
      assert.ok((await s.children()).some((n) => n.label === 'db0'));
      await s.close();
    });
    const [mHost, mPort] = need('MEMCACHED_SERVERS').split(':');
    await through(carrier, mHost!, Number(mPort), async (tunnel) => {
      const s = await memcached.connect({ id: 'm', name: 'm', kind: 'memcached', servers: [{ host: mHost!, port: Number(mPort), weight: 1 }], readOnly: false }, { ...opts, tunnel, secrets: {} });
      assert.equal((await s.children()).length, 1);
      await s.close();
    });
    const a = new URL(need('AMQP_URL'));
    await through(carrier, a.hostname, Number(a.port), async (tunnel) => {
      const s = await rabbitmq.connect({ id: 'a', name: 'a', kind: 'rabbitmq', host: a.hostname, port: Number(a.port), username: decodeURIComponent(a.username), vhost: '/', tls: false, readOnly: false }, { ...opts, tunnel, secrets: { password: decodeURIComponent(a.password) } });
      assert.match(await s.describe(), /RabbitMQ/);
      await s.close();
    });
    const my = new URL(need('MYSQL_URL'));
    await through(carrier, my.hostname, Number(my.port), async (tunnel) => {
      const s = await mysql.connect({ id: 's', name: 's', kind: 'mysql', host: my.hostname, port: Number(my.port), username: decodeURIComponent(my.username), database: 'demo', tls: false, readOnly: false }, { ...opts, tunnel, secrets: { password: decodeURIComponent(my.password) } });
      assert.ok((await s.children()).some((n) => n.label === 'demo'));
      await s.close();
    });
  } finally {
    await carrier.close();
  }
});

test('ssh-agent login, and a clear error when no agent is running', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-agent-'));
  const socket = join(dir, 'agent.sock');
  const agentOut = await run('/usr/bin/ssh-agent', ['-a', socket]);
  const pid = /SSH_AGENT_PID=(\d+)/.exec(agentOut)?.[1];
  const previous = process.env['SSH_AUTH_SOCK'];
  try {
    await run('/usr/bin/ssh-add', [need('SSH_KEY_FILE')], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
    process.env['SSH_AUTH_SOCK'] = socket;
    const session = await ssh.connect({ ...target, useAgent: true }, { ...options, secrets: {} });
    assert.match(await session.describe(), /^Linux /);
    await session.close();
    delete process.env['SSH_AUTH_SOCK'];
    await assert.rejects(ssh.connect({ ...target, useAgent: true }, { ...options, secrets: {} }), (e: unknown) => isDriverError(e) && /SSH_AUTH_SOCK/.test(e.message));
  } finally {
    if (previous === undefined) delete process.env['SSH_AUTH_SOCK'];
    else process.env['SSH_AUTH_SOCK'] = previous;
    if (pid) process.kill(Number(pid));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keyboard-interactive prompts are answered by the prompter', async () => {
  const asked: string[] = [];
  const session = await ssh.connect(target, {
    ...options,
    secrets: {},
    prompter: async (_title, _instructions, prompts) => {
      asked.push(...prompts.map((p) => p.prompt));
      return prompts.map(() => need('SSH_PASSWORD'));
    },
  });
  assert.match(await session.describe(), /^Linux /);
  assert.ok(asked.some((prompt) => /password/i.test(prompt)), `prompts: ${asked.join(', ')}`);
  await session.close();
});

test('a server dying mid-session closes the session and ends its running command', async () => {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-dying-'));
  const server = await startOpenSsh(root, 'sshd-dying');
  try {
    const profile: SshProfile = { ...target, port: server.port };
    const session = await sessionOf(ssh.connect(profile, { ...options, hostKeys: knownHostsVerifier(knownHostsLine(host, server.port, keyOf(server.hostPublicKey))) }), SshSession);
    const closed = new Promise<string>((resolve) => session.onState((e) => e.state === 'closed' && resolve(e.error?.message ?? 'closed')));
    let started: () => void = () => undefined;
    const output = new Promise<void>((resolve) => (started = resolve));
    const running = session.exec('echo started; sleep 30', () => started(), () => undefined);
    await output;
    server.kill();
    assert.ok(await closed);
    const exit = await running;
    assert.equal(exit.code, null, 'the interrupted command has no exit status');
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
