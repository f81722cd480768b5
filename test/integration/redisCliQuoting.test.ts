import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import Redis from 'ioredis';
import { parseCommandLine } from '../../src/drivers/redis/cli';
import { need } from './env';

/**
 * The console splits a line exactly as redis-cli 7 does (its sdssplitargs): each input below is typed into the real
 * redis-cli from Debian's redis-tools as `RPUSH <probe> <input>`, and the list it created is read back as bytes.
 * redis-cli's "Invalid argument(s)" must be an error here too.
 */

const url = new URL(need('REDIS_URL'));
const password = decodeURIComponent(url.password);
let raw: Redis;

const INPUTS = [
  'foo"bar"', // a quote inside a word opens a quoted part: foobar
  'foo"bar"baz', // and its closing quote must be followed by a space
  '"a"b',
  "'a'\"b\"",
  "a'b c'",
  'a"b c"d',
  '"a""b"',
  '"a" "b"',
  '"a"\tb', // a tab after the closing quote is a space
  '"\\x41\\x4"',
  '"\\xzz" "\\x4g"',
  '"\\X41"',
  '"tab\\there\\nnew\\rret\\bbs\\aalert"',
  '"\\q\\\\\\""',
  "'single \\' quote'",
  "'back\\slash' 'two\\\\'",
  "'no \\x41 escapes'",
  '"trailing\\',
  'unterminated "quote',
  "unterminated 'single",
  'a\\"b',
  'x\\x41',
  '"" \'\' ""x',
  '   leading   and   trailing   ',
  'tab\tseparated',
  'vertical\vtab form\ffeed',
  'carriage\rreturn',
  'nbsp\u00a0inside ideographic\u3000space',
  '"é" \'ü\' 日本 "\\é"',
  '"🔑" \'🔑\' 🔑 "\\🔑"',
  '"\\"" \'"\' "\'"',
  '"unicode \\u00e9 is not an escape"',
  "'a'b",
  '"a"\'b\'',
];

before(async () => {
  raw = new Redis({ host: url.hostname, port: Number(url.port), password });
});

after(async () => {
  raw.disconnect();
});

test('command lines split exactly as the real redis-cli 7 splits them', async () => {
  const version = spawnSync('/usr/bin/redis-cli', ['--version'], { encoding: 'utf8' }).stdout;
  assert.match(version, /^redis-cli 7\./, 'the comparison runs against redis-cli 7');
  const mismatches: string[] = [];
  for (const [n, input] of INPUTS.entries()) {
    const probe = `cli:quoting:${n}`;
    await raw.del(probe);
    const line = `RPUSH ${probe} ${input}`;
    const cli = spawnSync('/usr/bin/redis-cli', ['-h', url.hostname, '-p', url.port, '-a', password, '--no-auth-warning'], { input: `${line}\n`, encoding: 'utf8' });
    const cliRefused = cli.stdout.includes('Invalid argument(s)');
    const cliArgs = cliRefused ? undefined : await raw.lrangeBuffer(probe, 0, -1);
    await raw.del(probe);
    let ours: Buffer[] | undefined;
    try {
      ours = parseCommandLine(line).slice(2);
    } catch (error) {
      assert.match(String(error), /Invalid argument\(s\)/);
    }
    const show = (args: Buffer[] | undefined): string => (args ? JSON.stringify(args.map((a) => a.toString('hex'))) : 'Invalid argument(s)');
    if (show(ours) !== show(cliArgs)) mismatches.push(`${JSON.stringify(input)}: redis-cli ${show(cliArgs)}, console ${show(ours)}`);
  }
  assert.deepEqual(mismatches, []);
});
