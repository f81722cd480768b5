import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RedisCli } from '../../src/terminals/redisCli';
import { env, eventually, extension, storePassword } from './api';

const ID = 'test-redis-console';
/** The console's own colours and the line editor's cursor moves: the only escape sequences it may write. */
const OWN_SEQUENCES = /\x1b\[(?:2|31|0)m|\x1b\[\d*[ABCJ]|\x1b\[H/g;

/** Opens the Redis console on a profile and collects everything it writes to the terminal. */
async function openConsole(readOnly: boolean): Promise<{ pty: RedisCli; output: () => string; run: (line: string) => Promise<string>; close: () => void }> {
  const api = await extension();
  const url = new URL(env('REDIS_URL'));
  await api.profiles.save({ id: ID, name: 'Console', kind: 'redis', host: url.hostname, port: Number(url.port), db: 0, tls: false, readOnly });
  await storePassword(api, ID, decodeURIComponent(url.password));
  const { terminal, pty } = await vscode.commands.executeCommand<{ terminal: vscode.Terminal; pty: RedisCli }>('switchboard.redis.openCli', ID);
  let written = '';
  const listener = pty.onDidWrite((data) => (written += data));
  const prompt = `${url.hostname}:${url.port}> `;
  await eventually('the first prompt', () => written.endsWith(prompt));
  return {
    pty,
    output: () => written,
    async run(line) {
      const from = written.length;
      pty.handleInput(`${line}\r`);
      await eventually(`the reply to ${line}`, () => written.length > from + line.length + 2 && written.endsWith(prompt));
      return written.slice(from);
    },
    close: () => {
      listener.dispose();
      terminal.dispose();
    },
  };
}

describe('redis console terminal', () => {
  afterEach(async () => {
    const api = await extension();
    await api.sessions.disconnect(ID);
    await api.profiles.delete(ID);
  });

  it('shows control characters in server error text as visible escapes, never as terminal sequences', async () => {
    const cli = await openConsole(false);
    try {
      // The server echoes an unknown command's name in its error, bytes and all: here an OSC title change, a screen
      // clear and a C1 CSI, typed with \x escapes so only the server's reply carries them raw.
      const reply = await cli.run('"\\x1b]0;pwned\\x07\\x1b[2J\\xc2\\x9b31m" arg');
      assert.match(reply, /unknown command/, reply);
      const stripped = cli.output().replace(OWN_SEQUENCES, '');
      assert.doesNotMatch(stripped, /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]/, `a control character reached the terminal: ${JSON.stringify(stripped)}`);
      assert.ok(reply.includes('\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m'), `the error shows the escapes: ${JSON.stringify(reply)}`);
      // A bulk reply was already quoted as redis-cli quotes it.
      assert.ok((await cli.run('ECHO "\\x1b[2J"')).includes('"\\x1b[2J"'));
      // Pasted control characters are not echoed either.
      const pasted = await cli.run('ECHO "x\u009b2J"');
      assert.doesNotMatch(pasted.replace(OWN_SEQUENCES, ''), /[\x1b\x9b]/);
    } finally {
      cli.close();
    }
  });

  it('fails a command the server does not answer within switchboard.redis.commandTimeoutSeconds, naming the server', async () => {
    const settings = vscode.workspace.getConfiguration('switchboard');
    await settings.update('redis.commandTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    const cli = await openConsole(false);
    try {
      const url = new URL(env('REDIS_URL'));
      // A blocking pop holds the reply for 3 s, as a stalled server would.
      const reply = await cli.run('BLPOP sb:console:never 3');
      assert.match(reply, new RegExp(`Redis at ${url.hostname}:${url.port} did not answer within 1 s`), reply);
    } finally {
      cli.close();
      await settings.update('redis.commandTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('keeps its history when the console is closed and opened again, without a command that carries a password', async () => {
    const first = await openConsole(false);
    try {
      await first.run('SET sb:console:history kept');
      assert.match(await first.run('AUTH sb-nobody sb-not-a-password'), /\(error\)/);
    } finally {
      first.close();
    }
    const again = await openConsole(false);
    try {
      // Up recalls the newest line kept: the SET, as the AUTH was never written down.
      const from = again.output().length;
      again.pty.handleInput('\x1b[A');
      await eventually('the recalled line', () => again.output().slice(from).includes('SET sb:console:history kept'));
      assert.doesNotMatch(again.output(), /sb-not-a-password/);
      again.pty.handleInput('\x15');
      // The hint of the server's COMMAND DOCS follows a command name, dimmed (typed again until the docs are in).
      await eventually('the hint', () => {
        const typed = again.output().length;
        again.pty.handleInput('GETRANGE');
        const drawn = again.output().slice(typed).includes('GETRANGE\x1b[2m key start end\x1b[0m');
        again.pty.handleInput('\x15');
        return drawn;
      });
    } finally {
      again.close();
    }
  });

  it('splits arguments as redis-cli 7 does: foo"bar" is one argument, "a"b is refused', async () => {
    const cli = await openConsole(false);
    try {
      assert.match(await cli.run('ECHO foo"bar"'), /"foobar"/);
      assert.match(await cli.run('ECHO "a"b'), /Invalid argument\(s\)/);
    } finally {
      cli.close();
    }
  });
});
