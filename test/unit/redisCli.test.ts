import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandName, formatReply, formatReplyTo, isDangerous, isSensitive, parseCommandLine } from '../../src/drivers/redis/cli';
import { isPrintable, terminalText } from '../../src/terminals/terminalText';

const texts = (line: string): string[] => parseCommandLine(line).map((b) => b.toString('utf8'));

test('command lines split like redis-cli', () => {
  assert.deepEqual(texts('SET  key   "hello world"'), ['SET', 'key', 'hello world']);
  assert.deepEqual(texts(`SET k 'it\\'s'`), ['SET', 'k', "it's"]);
  assert.deepEqual(texts('SET k "line\\nbreak \\"q\\""'), ['SET', 'k', 'line\nbreak "q"']);
  assert.deepEqual(texts('SET ключ значение'), ['SET', 'ключ', 'значение']);
  assert.deepEqual(parseCommandLine('SET k "\\xff\\x00"')[2], Buffer.from([0xff, 0x00]));
  assert.deepEqual(texts('   '), []);
  assert.throws(() => parseCommandLine('SET k "open'), /unbalanced quotes/);
  assert.throws(() => parseCommandLine('SET "a"b'), /closing quote/);
  assert.deepEqual(texts('SET k foo"bar baz"'), ['SET', 'k', 'foobar baz'], 'a quote inside a word opens a quoted part');
  assert.deepEqual(texts('SET k\u00a0x 🔑'), ['SET', 'k\u00a0x', '🔑'], 'only ASCII blanks separate');
});

test('server text reaches a terminal with its control characters made visible', () => {
  assert.equal(terminalText('ERR \x1b]0;t\x07 \u009b2J\r x\ny'), 'ERR \\x1b]0;t\\x07 \\x9b2J\\x0d x\r\ny');
  assert.equal(terminalText('\u202Eevil'), '⟨U+202E⟩evil');
  assert.equal(isPrintable('\u009b'), false);
  assert.equal(isPrintable('é'), true);
});

test('replies print like redis-cli', () => {
  assert.equal(formatReply(Buffer.from('OK')), 'OK');
  assert.equal(formatReply([Buffer.from('OK')]), '1) "OK"');
  assert.equal(formatReply(null), '(nil)');
  assert.equal(formatReply(42), '(integer) 42');
  assert.equal(formatReply(Buffer.from('hi "x"\n')), '"hi \\"x\\"\\n"');
  assert.equal(formatReply(Buffer.from([0xde, 0xad])), '"\\xde\\xad"');
  assert.equal(formatReply([]), '(empty array)');
  assert.equal(formatReply([Buffer.from('a'), [Buffer.from('b'), 2]]), '1) "a"\n2) 1) "b"\n   2) (integer) 2');
});

test('dangerous commands are recognised, CONFIG SET but not CONFIG GET', () => {
  const args = (line: string) => parseCommandLine(line);
  assert.equal(isDangerous(args('flushall')), true);
  assert.equal(isDangerous(args('keys *')), true);
  assert.equal(isDangerous(args('config set maxmemory 1')), true);
  assert.equal(isDangerous(args('config get maxmemory')), false);
  assert.equal(commandName(args('config set x y')), 'CONFIG SET');
});

test('reports print as their text, as redis-cli prints INFO; other replies stay quoted', () => {
  const args = (line: string): Buffer[] => parseCommandLine(line);
  const info = Buffer.from('# Server\r\nredis_version:7.0.15\r\n');
  assert.equal(formatReplyTo(args('info server'), info), '# Server\nredis_version:7.0.15');
  assert.equal(formatReplyTo(args('CLIENT LIST'), Buffer.from('id=3 addr=127.0.0.1:5\n')), 'id=3 addr=127.0.0.1:5');
  assert.equal(formatReplyTo(args('GET info'), info), '"# Server\\r\\nredis_version:7.0.15\\r\\n"');
  assert.equal(formatReplyTo(args('CLIENT ID'), 3), '(integer) 3');
});

test('commands that carry a password are told apart, as redis-cli keeps them out of its history', () => {
  const sensitive = (line: string): boolean => isSensitive(parseCommandLine(line));
  for (const line of ['AUTH secret', 'auth user secret', 'HELLO 3 AUTH user secret', 'ACL SETUSER bob on >pw', 'CONFIG SET requirepass x', 'config set maxmemory 1mb masterauth x', 'MIGRATE h 6379 "" 0 5000 AUTH pw KEYS a']) {
    assert.equal(sensitive(line), true, line);
  }
  for (const line of ['GET auth', 'HELLO 3', 'CONFIG SET maxmemory 1mb', 'ACL WHOAMI']) assert.equal(sensitive(line), false, line);
});
