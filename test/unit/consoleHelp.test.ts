import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandHint, hintFor, parseCommandDocs } from '../../src/drivers/redis/commandDocs';
import { LineEditor } from '../../src/terminals/lineEditor';
import { ConsoleHistory, HistoryMemento, MAX_KEPT, storable } from '../../src/storage/consoleHistory';

/**
 * COMMAND DOCS SET GET ZADD MSET SORT CONFIG HSET XADD as Redis 7.0 answers it in RESP2 (bulk strings made text),
 * captured from the test server; redisConsole.test.ts checks the live reply gives the same hints.
 */
const reply: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'redis', 'commandDocs.json'), 'utf8'));
const docs = parseCommandDocs(reply);

test('argument hints read from COMMAND DOCS are written as redis-cli writes them', () => {
  const hint = (name: string): string => commandHint(docs.get(name)!);
  assert.equal(hint('SET'), 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
  assert.equal(hint('GET'), 'key');
  assert.equal(hint('ZADD'), 'key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]');
  assert.equal(hint('MSET'), 'key value [key value ...]');
  // A token that repeats with each argument (multiple_token) is hinted with each repeat.
  assert.equal(hint('SORT'), 'key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]');
  assert.equal(hint('XADD'), 'key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]');
  assert.equal(commandHint(docs.get('CONFIG')!.subcommands.get('GET')!), 'parameter [parameter ...]');
});

test('the hint follows the line: after the name (and a subcommand), past each required word typed, never on a word being typed', () => {
  assert.equal(hintFor(docs, 'set'), ' key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
  assert.equal(hintFor(docs, 'SET '), 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
  assert.equal(hintFor(docs, 'SET k '), 'value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
  assert.equal(hintFor(docs, 'SET k v '), '[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
  assert.equal(hintFor(docs, 'SET k'), undefined, 'the key is being typed');
  assert.equal(hintFor(docs, 'GET k '), undefined, 'every argument is typed');
  assert.equal(hintFor(docs, 'CONFIG'), undefined, 'a container waits for its subcommand');
  assert.equal(hintFor(docs, 'config get'), ' parameter [parameter ...]');
  assert.equal(hintFor(docs, 'NOSUCH '), undefined);
  assert.equal(hintFor(docs, ''), undefined);
  assert.equal(hintFor(parseCommandDocs('ERR unknown subcommand'), 'SET'), undefined, 'a server without COMMAND DOCS hints nothing');
});

function editor(columns = 80): LineEditor {
  const line = new LineEditor(() => 'p> ', [], () => [], (text) => hintFor(docs, text));
  line.resize(columns);
  line.start();
  return line;
}

test('the line editor draws the hint dimmed after the line, cut to the row, and takes it away before the line runs', () => {
  const line = editor();
  const typed = line.feed('GET');
  assert.ok(typed.output.includes('p> GET\x1b[2m key\x1b[0m\x1b[J'), JSON.stringify(typed.output));
  // The cursor goes back to just after GET: the hint is not part of the line.
  assert.ok(typed.output.endsWith('\r\x1b[6C'), JSON.stringify(typed.output));
  const ran = line.feed(' k\r');
  assert.equal(ran.submitted, 'GET k');
  assert.ok(!ran.output.includes('\x1b[2m'), 'no hint is drawn once the line is complete');
  line.start();
  const set = line.feed('SET').output;
  const narrow = editor(30).feed('SET').output;
  assert.ok(set.includes('\x1b[2m key value [NX|XX] [GET] [EX seconds|PX'), JSON.stringify(set));
  // 30 columns: "p> SET" takes 6, the hint the 23 left before the edge (the cursor never waits at the edge).
  assert.ok(narrow.includes('p> SET\x1b[2m key value [NX|XX] [GET\x1b[0m'), JSON.stringify(narrow));
  const enter = line.feed('\r');
  assert.ok(enter.output.startsWith('\rp> SET\x1b[J'), `Enter redraws the line without its hint: ${JSON.stringify(enter.output)}`);
  assert.equal(enter.submitted, 'SET');
});

test('a server\'s hint cannot put control sequences on the terminal', () => {
  const line = new LineEditor(() => 'p> ', [], () => [], () => ' key\x1b]0;title\x07\x9b2J');
  line.start();
  const out = line.feed('X').output;
  assert.ok(out.includes('\x1b[2m key]0;title2J\x1b[0m'), JSON.stringify(out));
});

/** globalState as VS Code keeps it: a store of JSON values by key. */
class Store implements HistoryMemento {
  readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.values.get(key);
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
}

test('the console history keeps the newest lines per connection and never a command that carries a password', async () => {
  const store = new Store();
  const history = new ConsoleHistory(store);
  for (const line of ['GET a', 'AUTH hunter2', 'auth default hunter2', 'HELLO 3 AUTH default hunter2', 'ACL SETUSER bob on >pw', 'CONFIG SET requirepass pw', 'MIGRATE h 1 k 0 5 AUTH pw', 'SET "unclosed', 'GET a', 'SET b 1']) {
    await history.append('one', line);
  }
  assert.deepEqual(history.load('one'), ['GET a', 'SET b 1'], 'secrets and unreadable lines are not kept, a repeat of the last is not');
  assert.deepEqual(history.load('two'), [], 'per connection');
  assert.ok(![...JSON.stringify([...store.values])].join('').includes('hunter2'));
  // A password that got in another way (an older version, a hand edit) is not given back.
  await store.update('switchboard.redisConsoleHistory.two', ['PING', 'AUTH pw', 7]);
  assert.deepEqual(history.load('two'), ['PING']);
  await Promise.all(Array.from({ length: MAX_KEPT + 20 }, (_, i) => history.append('one', `GET k${i}`)));
  const kept = history.load('one');
  assert.equal(kept.length, MAX_KEPT);
  assert.equal(kept[kept.length - 1], `GET k${MAX_KEPT + 19}`);
  assert.equal(storable('x'.repeat(5000)), false, 'a pasted blob is not history');
  await history.forget('one');
  assert.deepEqual(history.load('one'), []);
});
