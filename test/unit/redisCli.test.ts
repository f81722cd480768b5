import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandName, formatReply, isDangerous, parseCommandLine } from '../../src/drivers/redis/cli';

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
