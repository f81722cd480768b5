import Redis from 'ioredis';
import { connect as amqpConnect } from 'amqplib';
import { createConnection } from 'mysql2/promise';
import { connect as tcpConnect } from 'node:net';
import { ServiceEnv } from './index';

/** Seeds the private servers with data worth looking at: the `npm start` sandbox and the README screenshots. */
export async function seedDemoData(env: ServiceEnv): Promise<void> {
  await Promise.all([seedRedis(env['REDIS_URL']!), seedMemcached(env['MEMCACHED_SERVERS']!), seedRabbitMq(env['AMQP_URL']!), seedMariaDb(env['MYSQL_URL']!)]);
}

async function seedRedis(url: string): Promise<void> {
  const redis = new Redis(url);
  const pipeline = redis.pipeline();
  pipeline.set('app:config', JSON.stringify({ featureFlags: { darkMode: true, beta: false }, version: '2.4.1' }));
  pipeline.set('app:greeting', 'Hello from Switchboard');
  pipeline.set('app:visits', '1024');
  pipeline.set('cache:avatar:42', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]));
  pipeline.set('session:7f3a', 'user=42', 'EX', 3600);
  pipeline.hset('user:42', { name: 'Ada Lovelace', email: 'ada@example.com', plan: 'pro' });
  pipeline.hset('user:43', { name: 'Grace Hopper', email: 'grace@example.com', plan: 'team' });
  pipeline.rpush('queue:emails', 'welcome:42', 'digest:43', 'reset:44');
  pipeline.sadd('tags:popular', 'redis', 'rabbitmq', 'mysql', 'ssh');
  pipeline.zadd('leaderboard', 3200, 'ada', 2950, 'grace', 2710, 'linus');
  pipeline.xadd('events:orders', '*', 'order', '1001', 'status', 'created');
  pipeline.xadd('events:orders', '*', 'order', '1001', 'status', 'paid');
  for (let i = 0; i < 200; i++) pipeline.set(`product:${String(i).padStart(4, '0')}`, JSON.stringify({ id: i, price: (i * 1.37).toFixed(2) }));
  pipeline.select(1);
  pipeline.set('jobs:last-run', new Date(0).toISOString());
  await pipeline.exec();
  redis.disconnect();
}

function memcachedSet(server: string, entries: [string, string][]): Promise<void> {
  const [host, port] = server.split(':');
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), host!, () => {
      socket.write(entries.map(([k, v]) => `set ${k} 0 0 ${Buffer.byteLength(v)}\r\n${v}\r\n`).join(''));
    });
    let replies = '';
    socket.on('data', (chunk) => {
      replies += chunk.toString();
      if ((replies.match(/\r\n/g) ?? []).length >= entries.length) {
        socket.end();
        resolve();
      }
    });
    socket.on('error', reject);
  });
}

async function seedMemcached(servers: string): Promise<void> {
  const entries: [string, string][] = [['page:/home', '<html>cached home</html>'], ['rate:ip:10.0.0.7', '17'], ['feature:checkout-v2', 'on']];
  for (let i = 0; i < 50; i++) entries.push([`fragment:product:${i}`, `product ${i} fragment`]);
  await memcachedSet(servers.split(',')[0]!, entries);
}

async function seedRabbitMq(url: string): Promise<void> {
  const connection = await amqpConnect(url);
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange('orders', 'topic', { durable: true });
  await channel.assertExchange('notifications', 'fanout', { durable: true });
  await channel.assertExchange('dead-letters', 'direct', { durable: true });
  await channel.assertQueue('orders.created', { durable: true, arguments: { 'x-dead-letter-exchange': 'dead-letters' } });
  await channel.assertQueue('orders.audit', { durable: true });
  await channel.assertQueue('emails', { durable: true });
  await channel.assertQueue('orders.dead', { durable: true });
  await channel.bindQueue('orders.created', 'orders', 'order.created');
  await channel.bindQueue('orders.audit', 'orders', 'order.#');
  await channel.bindQueue('emails', 'notifications', '');
  await channel.bindQueue('orders.dead', 'dead-letters', 'order.created');
  for (let i = 1; i <= 5; i++) {
    channel.publish('orders', 'order.created', Buffer.from(JSON.stringify({ order: 1000 + i, total: i * 9.99 })), { contentType: 'application/json', persistent: true, messageId: `order-${1000 + i}` });
  }
  channel.publish('notifications', '', Buffer.from('Your order has shipped'), { contentType: 'text/plain' });
  await channel.waitForConfirms();
  await connection.close();
}

async function seedMariaDb(url: string): Promise<void> {
  const db = await createConnection({ uri: url, multipleStatements: true });
  await db.query(`
    CREATE TABLE IF NOT EXISTS customers (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100) NOT NULL, email VARCHAR(200) UNIQUE, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
    CREATE TABLE IF NOT EXISTS products (id INT PRIMARY KEY AUTO_INCREMENT, sku VARCHAR(40) NOT NULL UNIQUE, title VARCHAR(200) NOT NULL, price DECIMAL(10,2) NOT NULL, attributes JSON NULL);
    CREATE TABLE IF NOT EXISTS orders (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL, placed_at DATETIME NOT NULL, status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new',
      CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers(id));
    CREATE TABLE IF NOT EXISTS order_items (order_id BIGINT NOT NULL, product_id INT NOT NULL, quantity INT NOT NULL DEFAULT 1, PRIMARY KEY (order_id, product_id),
      CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders(id), CONSTRAINT fk_items_product FOREIGN KEY (product_id) REFERENCES products(id));
    CREATE OR REPLACE VIEW order_totals AS SELECT o.id, SUM(p.price * i.quantity) AS total FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id GROUP BY o.id;
    INSERT IGNORE INTO customers (id, name, email) VALUES (1, 'Ada Lovelace', 'ada@example.com'), (2, 'Grace Hopper', 'grace@example.com');
    INSERT IGNORE INTO products (id, sku, title, price, attributes) VALUES (1, 'KB-01', 'Keyboard', 49.90, '{"layout":"us"}'), (2, 'MS-02', 'Mouse', 19.50, NULL);
    INSERT IGNORE INTO orders (id, customer_id, placed_at, status) VALUES (1, 1, '2026-11-01 10:00:00', 'paid'), (2, 2, '2026-11-02 12:30:00', 'new');
    INSERT IGNORE INTO order_items (order_id, product_id, quantity) VALUES (1, 1, 1), (1, 2, 2), (2, 2, 1);
    ANALYZE TABLE customers, products, orders, order_items;
  `);
  await db.end();
}
