import { join } from 'node:path';
import { connect } from 'amqplib';
import type { RabbitMqSession } from '../src/drivers/rabbitmq';
import type { Driver, RabbitMqProfile } from '../src/drivers/types';
import { Figure, LoadWatch } from './figures';

const MESSAGES = 100_000;
const PREFETCH = 500;
const BODY = JSON.stringify({ order: 1001, customer: 'ada', items: [1, 2, 3], note: 'x'.repeat(100) });
const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** A plain amqplib consumer with manual acks: the baseline. */
async function rawConsume(url: string, queue: string): Promise<number> {
  const model = await connect(url);
  const channel = await model.createChannel();
  await channel.prefetch(PREFETCH);
  const start = process.hrtime.bigint();
  let got = 0;
  await new Promise<void>((resolve) => {
    void channel.consume(queue, (m) => {
      if (!m) return;
      channel.ack(m);
      if (++got === MESSAGES) resolve();
    });
  });
  const s = seconds(start);
  await model.close();
  return s;
}

/** A plain amqplib confirm-channel publisher: the baseline for publishing. */
async function rawPublish(url: string, queue: string): Promise<number> {
  const model = await connect(url);
  const channel = await model.createConfirmChannel();
  const body = Buffer.from(BODY);
  const start = process.hrtime.bigint();
  for (let i = 0; i < MESSAGES; i++) if (!channel.sendToQueue(queue, body)) await new Promise((r) => channel.once('drain', r));
  await channel.waitForConfirms();
  const s = seconds(start);
  await model.close();
  return s;
}

/** Publishing and consuming 100,000 messages through the driver, each beside plain amqplib in the same run. */
export async function rabbitMqFigures(root: string): Promise<Figure[]> {
  const { driver } = require(join(root, 'dist', 'drivers', 'rabbitmq.js')) as { driver: Driver<RabbitMqProfile> };
  const url = process.env['AMQP_URL']!;
  const parsed = new URL(url);
  const profile: RabbitMqProfile = { id: 'b', name: 'bench', kind: 'rabbitmq', host: parsed.hostname, port: Number(parsed.port), username: decodeURIComponent(parsed.username), vhost: '/', tls: false, readOnly: false };
  const session = (await driver.connect(profile, { secrets: { password: decodeURIComponent(parsed.password) }, timeoutMs: 10_000, hostKeys: { verify: async () => false } })) as RabbitMqSession;
  const queue = 'bench.messages';
  try {
    await session.declareQueue('/', { name: queue, durable: false, exclusive: false, autoDelete: false });
    await session.purge('/', queue);

    const rawPublishS = await rawPublish(url, queue);
    const rawConsumeS = await rawConsume(url, queue);

    let start = process.hrtime.bigint();
    const published = await session.publish('/', { exchange: '', routingKey: queue, body: BODY, encoding: 'text', properties: {}, repeat: MESSAGES });
    const publishS = seconds(start);
    if (published.confirmed !== MESSAGES) throw new Error(`only ${published.confirmed} of ${MESSAGES} publishes were confirmed`);

    const watch = await LoadWatch.start();
    start = process.hrtime.bigint();
    let got = 0;
    // "Ack as received": every message becomes the view the panel shows, then is acked — manual acks on the wire.
    let done = (): void => undefined;
    let fail = (_error: Error): void => undefined;
    const finished = new Promise<void>((resolve, reject) => { done = resolve; fail = reject; });
    const consumer = await session.consume('/', queue, { prefetch: PREFETCH, ackMode: 'afterReceive' }, {
      onMessage: () => { if (++got === MESSAGES) done(); },
      onEnd: (reason) => fail(new Error(reason)),
    });
    await finished;
    const consumeS = seconds(start);
    watch.done();
    await consumer.close();
    return [
      { name: `rabbitmq: publish ${MESSAGES / 1000}k messages with confirms`, value: publishS, unit: 's', baseline: { name: 'plain amqplib confirm channel', value: rawPublishS } },
      { name: `rabbitmq: consume ${MESSAGES / 1000}k messages, manual ack, prefetch ${PREFETCH}`, value: consumeS, unit: 's', baseline: { name: 'plain amqplib consumer', value: rawConsumeS }, target: '<= 1.25 (>= 0.8x throughput)' },
      ...(await watch.figures('rabbitmq', `consuming ${MESSAGES / 1000}k messages`)),
    ];
  } finally {
    await session.deleteQueue('/', queue).catch(() => undefined);
    await session.close();
  }
}
