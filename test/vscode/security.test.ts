import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { Kind } from '../../src/drivers/types';
import { sessionOfKind } from '../../src/core/sessionKinds';
import type { RedisBrowserPanel } from '../../src/panels/redisBrowser/redisBrowserPanel';
import { saveFromForm } from '../../src/panels/profileForm/profileFormPanel';
import { env, eventually, extension } from './api';

/** Every file under a directory, for searching what VS Code and the extension wrote to disk. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => {
      try {
        const info = statSync(f);
        return info.isFile() && info.size < 64 * 1024 * 1024;
      } catch {
        return false;
      }
    });
}

describe('security audit', () => {
  // Passwords no other test uses, so that finding one anywhere can only mean Switchboard put it there.
  const secret = (): string => `sb-audit-${randomBytes(9).toString('base64url')}`;
  const good = { redis: secret(), mysql: secret() };
  const wrong: Record<Kind, string> = { redis: secret(), memcached: secret(), rabbitmq: secret(), mysql: secret(), ssh: secret() };
  // A Sentinel password (these Sentinels ask none, and are sent it all the same): it must not surface anywhere either.
  const sentinelPassword = secret();
  const exportFile = join(env('SWITCHBOARD_TEST_DIR'), 'audit-export.jsonl');

  before(async () => {
    const redis = new Redis(env('REDIS_URL'));
    await redis.call('ACL', 'SETUSER', 'sb-audit', 'on', `>${good.redis}`, '~*', '&*', '+@all');
    await redis.set('audit:key', 'value');
    redis.disconnect();
    const db = await createConnection(env('MYSQL_URL'));
    await db.query(`CREATE OR REPLACE USER 'sb_audit'@'127.0.0.1' IDENTIFIED BY '${good.mysql}'`);
    await db.end();
  });

  after(async () => {
    const db = await createConnection(env('MYSQL_URL'));
    await db.query("DROP USER IF EXISTS 'sb_audit'@'127.0.0.1'");
    await db.end();
    const redis = new Redis(env('REDIS_URL'));
    await redis.call('ACL', 'DELUSER', 'sb-audit');
    await redis.del('audit:key');
    redis.disconnect();
  });

  it('writes no password to globalState, settings, logs, exports, webview state or anywhere else VS Code keeps files', async () => {
    const api = await extension();
    const redisUrl = new URL(env('REDIS_URL'));
    const mysqlUrl = new URL(env('MYSQL_URL'));
    const amqp = new URL(env('AMQP_URL'));
    const forms: { kind: Kind; id: string; values: Record<string, string | boolean>; connects: boolean }[] = [
      { kind: 'redis', id: 'audit-redis', connects: true, values: { name: 'Audit Redis', host: redisUrl.hostname, port: redisUrl.port, username: 'sb-audit', password: good.redis, db: '0' } },
      { kind: 'mysql', id: 'audit-mysql', connects: true, values: { name: 'Audit MariaDB', host: mysqlUrl.hostname, port: mysqlUrl.port, username: 'sb_audit', password: good.mysql } },
      { kind: 'redis', id: 'audit-redis-wrong', connects: false, values: { name: 'Audit Redis wrong', host: redisUrl.hostname, port: redisUrl.port, username: 'sb-audit', password: wrong.redis, db: '0' } },
      { kind: 'memcached', id: 'audit-mc-wrong', connects: false, values: { name: 'Audit Memcached wrong', servers: env('MEMCACHED_AUTH_SERVERS'), username: env('MEMCACHED_AUTH_USER'), password: wrong.memcached } },
      { kind: 'rabbitmq', id: 'audit-mq-wrong', connects: false, values: { name: 'Audit RabbitMQ wrong', host: amqp.hostname, port: amqp.port, username: decodeURIComponent(amqp.username), password: wrong.rabbitmq, vhost: '/' } },
      { kind: 'mysql', id: 'audit-mysql-wrong', connects: false, values: { name: 'Audit MariaDB wrong', host: mysqlUrl.hostname, port: mysqlUrl.port, username: 'sb_audit', password: wrong.mysql } },
      { kind: 'redis', id: 'audit-sentinel', connects: true, values: { name: 'Audit Sentinel', host: redisUrl.hostname, port: redisUrl.port, password: good.redis, username: 'sb-audit', db: '0', sentinels: env('REDIS_SENTINEL'), sentinelMaster: env('REDIS_SENTINEL_MASTER'), sentinelPassword } },
      { kind: 'ssh', id: 'audit-ssh-wrong', connects: false, values: { name: 'Audit SSH wrong', host: env('SSH_HOST'), port: env('SSH_PORT'), username: env('SSH_USER'), password: wrong.ssh } },
    ];
    const [, base64] = env('SSH_HOST_KEY').split(' ');
    await api.hostKeys.remember(env('SSH_HOST'), Number(env('SSH_PORT')), Buffer.from(base64!, 'base64'));
    for (const form of forms) {
      const saved = await saveFromForm(api, form.kind, form.id, form.values);
      assert.deepEqual(saved.errors, {}, form.id);
      const profile = api.profiles.get(form.id)!;
      if (form.connects) {
        await api.sessions.session(profile);
      } else {
        await assert.rejects(api.sessions.session(profile), (error: unknown) => error instanceof Error && !error.message.includes(String(form.values['password'])) && !error.message.includes(sentinelPassword), form.id);
        api.log.channel.error(`audit: ${form.id} failed as expected`);
      }
    }
    // The ways data leaves a session: a Redis export to a file, a key browser with its webview state.
    const redis = sessionOfKind(await api.sessions.session(api.profiles.get('audit-redis')!), 'redis');
    const out = createWriteStream(exportFile);
    await redis.exportKeys(0, 'audit:*', (line) => new Promise((resolve) => (out.write(`${line}\n`) ? resolve() : out.once('drain', resolve))));
    await new Promise((resolve) => out.end(resolve));
    const browser = await vscode.commands.executeCommand<RedisBrowserPanel>('switchboard.redis.browseKeys', 'audit-redis', 0);
    // The scan starts once the webview has said it is ready, so a scan done means the webview ran and was answered.
    await eventually('the key browser to scan', () => browser.model.scan.phase === 'done');
    browser.panel.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const form of forms) await api.sessions.disconnect(form.id);

    const passwords = [good.redis, good.mysql, ...Object.values(wrong), sentinelPassword];
    for (const form of forms) assert.equal((await api.secrets.read(form.id)).password, form.values['password'], 'SecretStorage holds it');
    assert.equal((await api.secrets.read('audit-sentinel')).sentinelPassword, sentinelPassword, 'SecretStorage holds the Sentinel password');
    const state = JSON.stringify(api.globalState.keys().map((key) => [key, api.globalState.get(key)]));
    assert.match(state, /Audit Redis/, 'the profiles are in globalState');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('switchboard'));
    assert.ok(readFileSync(exportFile, 'utf8').includes('audit:key'), 'the export was written');
    // VS Code writes the log behind the extension's back and announces nothing: a line logged last must be in its
    // file before the files are read. (globalState reached no file here within seconds: the workbench keeps it, so
    // it is searched as the extension holds it, above.)
    const root = env('SWITCHBOARD_TEST_DIR');
    const marker = `sb-audit-flushed-${randomBytes(6).toString('hex')}`;
    api.log.channel.info(`audit: ${marker}`);
    await eventually('the last log line to reach its file', () => filesUnder(root).some((f) => f.endsWith('.log') && readFileSync(f).includes(marker)), 30_000);
    const files = filesUnder(root);
    assert.ok(files.some((f) => /exthost|Switchboard/.test(f) && f.endsWith('.log')), `the extension's log is among the files searched: ${files.map((f) => relative(root, f)).join(', ')}`);
    const found: string[] = [];
    for (const password of passwords) {
      if (state.includes(password)) found.push('globalState');
      if (settings.includes(password)) found.push('settings');
      for (const file of files) if (readFileSync(file).includes(password)) found.push(relative(root, file));
    }
    assert.deepEqual(found, [], 'a password was found outside SecretStorage');
    for (const form of forms) await api.profiles.delete(form.id);
  });
});
