import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import Redis from 'ioredis';
import type { RedisCli } from '../../src/terminals/redisCli';
import { env, eventually, extension, storePassword } from './api';

const ID = 'test-redis-readonly';
const NAME = 'Prod (read-only)';

/** A read-only Redis connection, tried the way a user would: the console terminal and a value opened as a document. */
describe('redis read-only paths', () => {
  let raw: Redis;

  before(async () => {
    const api = await extension();
    const url = new URL(env('REDIS_URL'));
    raw = new Redis(env('REDIS_URL'));
    await raw.set('ro:ui:k', 'original');
    await api.profiles.save({ id: ID, name: NAME, kind: 'redis', host: url.hostname, port: Number(url.port), db: 0, tls: false, readOnly: true });
    await storePassword(api, ID, decodeURIComponent(url.password));
  });

  after(async () => {
    const api = await extension();
    await api.sessions.disconnect(ID);
    await api.profiles.delete(ID);
    await raw.del('ro:ui:k');
    raw.disconnect();
  });

  it('the console terminal refuses EVAL, EVALSHA and PUBLISH and runs EVAL_RO', async () => {
    const { terminal, pty } = await vscode.commands.executeCommand<{ terminal: vscode.Terminal; pty: RedisCli }>('switchboard.redis.openCli', ID);
    let written = '';
    const listener = pty.onDidWrite((data) => (written += data));
    const url = new URL(env('REDIS_URL'));
    const prompt = `${url.hostname}:${url.port}> `;
    const run = async (line: string): Promise<string> => {
      await eventually('a prompt', () => written.endsWith(prompt));
      const from = written.length;
      pty.handleInput(`${line}\r`);
      await eventually(`the reply to ${line}`, () => written.length > from + line.length + 2 && written.endsWith(prompt));
      return written.slice(from);
    };
    try {
      const sha = String(await raw.script('LOAD', "return redis.call('set', KEYS[1], 'x')"));
      assert.match(await run(`EVAL "redis.call('set',KEYS[1],'x')" 1 ro:ui:k`), /EVAL refused: "Prod \(read-only\)" is a read-only connection.*EVAL_RO is its read-only form/);
      assert.match(await run(`EVALSHA ${sha} 1 ro:ui:k`), /EVALSHA refused/);
      assert.match(await run('PUBLISH news hello'), /PUBLISH refused/);
      assert.match(await run(`EVAL_RO "return redis.call('get',KEYS[1])" 1 ro:ui:k`), /"original"/);
      assert.equal(await raw.get('ro:ui:k'), 'original');
    } finally {
      listener.dispose();
      terminal.dispose();
    }
  });

  it('a value opened as a document cannot be saved', async () => {
    const { redisValueUri } = await import('../../src/fs/redisValueFileSystem');
    const uri = redisValueUri(ID, 0, { text: 'ro:ui:k' });
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(), 'original');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('changed'))), /read-only connection/);
    assert.equal(await raw.get('ro:ui:k'), 'original');
  });
});
