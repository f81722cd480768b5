import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { freePort, RunningService, startDaemon, stopDaemon, waitUntil } from './process';
import { makeCertificates } from './tls';

export interface RabbitMqService extends RunningService {
  readonly port: number;
  readonly managementPort: number;
  readonly user: string;
  readonly password: string;
  readonly url: string;
  readonly managementUrl: string;
  /** amqps:// on a TLS listener whose certificate a private CA signed. */
  readonly tlsUrl: string;
  /** That CA, which a client must be told to trust. */
  readonly caFile: string;
  /** Every port the broker uses: pass them back to start it again on the same data (a restart). */
  readonly ports: BrokerPorts;
  /** Signals every process of the broker: SIGSTOP makes it stop answering without closing a connection, SIGCONT resumes it. */
  signal(signal: NodeJS.Signals): void;
}

export interface BrokerPorts {
  readonly port: number;
  readonly managementPort: number;
  readonly epmdPort: number;
  readonly distPort: number;
  readonly tlsPort: number;
}

/** A private broker with the management plugin, its own epmd and no state outside `root`. */
export async function startRabbitMq(root: string, reuse?: BrokerPorts): Promise<RabbitMqService> {
  const dir = join(root, 'rabbitmq');
  mkdirSync(dir, { recursive: true });
  const ports = reuse ?? { port: await freePort(), managementPort: await freePort(), epmdPort: await freePort(), distPort: await freePort(), tlsPort: await freePort() };
  const { port, managementPort, epmdPort, distPort, tlsPort } = ports;
  const certificates = await makeCertificates(join(dir, 'tls'));
  const user = 'switchboard';
  const password = 'rabbit-secret';
  writeFileSync(join(dir, 'rabbitmq.conf'), [
    `listeners.tcp.1 = 127.0.0.1:${port}`,
    `listeners.ssl.1 = 127.0.0.1:${tlsPort}`,
    `ssl_options.cacertfile = ${certificates.caFile}`,
    `ssl_options.certfile = ${certificates.certFile}`,
    `ssl_options.keyfile = ${certificates.keyFile}`,
    'ssl_options.verify = verify_none',
    'ssl_options.fail_if_no_peer_cert = false',
    'loopback_users = none',
    `management.tcp.ip = 127.0.0.1`,
    `management.tcp.port = ${managementPort}`,
    `default_user = ${user}`,
    `default_pass = ${password}`,
    'default_user_tags.administrator = true',
    'default_permissions.configure = .*',
    'default_permissions.read = .*',
    'default_permissions.write = .*',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_management].\n');
  const env = {
    ...process.env,
    HOME: dir,
    // A broker that fails to start writes its crash dump here, never into the directory the tests were started from.
    ERL_CRASH_DUMP: join(dir, 'erl_crash.dump'),
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_NODENAME: `switchboard${port}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
  const epmd = startDaemon('epmd', dir, '/usr/bin/epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], { env });
  const broker = startDaemon('rabbitmq', dir, '/usr/lib/rabbitmq/bin/rabbitmq-server', [], { env });
  const managementUrl = `http://127.0.0.1:${managementPort}`;
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  await waitUntil('rabbitmq', async () => (await fetch(`${managementUrl}/api/overview`, { headers: { authorization: auth } })).ok, 90_000, broker);
  return {
    name: 'rabbitmq', port, managementPort, user, password, managementUrl, ports,
    tlsUrl: `amqps://${user}:${password}@localhost:${tlsPort}/%2F`, caFile: certificates.caFile,
    url: `amqp://${user}:${password}@127.0.0.1:${port}/%2F`,
    signal: (signal) => {
      if (broker.pid !== undefined) process.kill(-broker.pid, signal);
    },
    stop: async () => {
      await stopDaemon(broker, 20_000);
      await stopDaemon(epmd);
    },
  };
}
