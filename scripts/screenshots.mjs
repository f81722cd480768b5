// Copies the UI suite's screenshots that the README shows into media/screenshots.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const from = join(root, 'test-results', 'screenshots');
const to = join(root, 'media', 'screenshots');
mkdirSync(to, { recursive: true });
for (const name of ['02-connection-form.png', '04-ssh-host-key.png', '05-all-connected.png', '07-sftp-file.png', '08-memcached-browser.png', '09-redis-browser.png', '10-redis-pubsub.png', '11-rabbitmq-messages.png', '12-mysql-results.png', '13-orm-builder.png', '14-redis-million-keys.png', '15-hostile-redis.png', '16-mysql-million-rows.png', '16-redis-remove-confirm.png', '17-redis-memory-analysis.png', '17-table-data-review.png', '20-mysql-explain.png', 'zh-04-redis-browser.png']) {
  copyFileSync(join(from, name), join(to, name));
  console.log(`media/screenshots/${name}`);
}
