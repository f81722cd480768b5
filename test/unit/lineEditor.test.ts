import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineEditor } from '../../src/terminals/lineEditor';

const NAMES = ['GET', 'GETDEL', 'GETEX', 'HGETALL', 'HSET', 'PING'];
const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';

function editor(history: string[] = [], columns = 80): LineEditor {
  const line = new LineEditor(() => 'p> ', history, (prefix) => NAMES.filter((name) => name.startsWith(prefix.toUpperCase())));
  line.resize(columns);
  line.start();
  return line;
}

test('cursor keys, Home and End edit the line in place; no part of an escape sequence is typed into it', () => {
  const line = editor();
  line.feed('GET ky');
  line.feed(LEFT);
  line.feed('e');
  assert.equal(line.text, 'GET key');
  for (const home of ['\x1b[H', '\x1bOH', '\x1b[1~', '\x01']) {
    line.feed(`${home}x`);
    assert.equal(line.text, 'xGET key', JSON.stringify(home));
    line.feed(`${RIGHT}\x1b[D\x7f`);
  }
  for (const end of ['\x1b[F', '\x1bOF', '\x1b[4~', '\x05']) {
    line.feed(`\x01${end}!`);
    assert.equal(line.text, 'GET key!', JSON.stringify(end));
    line.feed('\x7f');
  }
  // Keys the console has no use for (F5, a bracketed paste's markers) are dropped whole.
  line.feed('\x1b[15~\x1b[200~ 1\x1b[201~');
  const done = line.feed('\r');
  assert.equal(done.submitted, 'GET key 1');
  assert.equal(done.rest, '');
});

test('Ctrl+U, Ctrl+K, Ctrl+W and Alt with the arrows or letters work by words; a code point is one character', () => {
  const line = editor();
  line.feed('SET user:1 hello world');
  line.feed('\x17');
  assert.equal(line.text, 'SET user:1 hello ');
  line.feed('\x01\x1bf');
  line.feed('\x0b');
  assert.equal(line.text, 'SET');
  line.feed(' k 🔑x');
  line.feed(`${LEFT}\x7f`);
  assert.equal(line.text, 'SET k x', 'the key emoji went whole');
  line.feed('\x1b[1;5D\x1bd');
  assert.equal(line.text, 'SET  x');
  line.feed('\x1b[3~');
  assert.equal(line.text, 'SET x');
  line.feed('\x15');
  assert.equal(line.text, 'x');
  const cut = line.feed('\x03');
  assert.match(cut.output, /\^C\r\np> $/);
  assert.equal(line.text, '');
});

test('Up and Down walk the history and give back what was being typed', () => {
  const line = editor();
  line.remember('PING');
  line.remember('GET a');
  line.remember('GET a');
  line.feed('HS');
  line.feed(UP);
  assert.equal(line.text, 'GET a');
  line.feed('\x10');
  assert.equal(line.text, 'PING');
  line.feed(UP);
  assert.equal(line.text, 'PING', 'the oldest stays');
  line.feed(DOWN);
  assert.equal(line.text, 'GET a');
  line.feed('\x0e');
  assert.equal(line.text, 'HS', 'past the newest: the line being typed');
});

test('Ctrl+R searches the history backwards; Enter runs the match, Ctrl+G gives the line back', () => {
  const line = editor(['SET a 1', 'GET a', 'HGETALL h']);
  line.feed('ECHO');
  const searching = line.feed('\x12GET');
  assert.match(searching.output, /\(reverse-i-search\)'GET': HGETALL h/);
  line.feed('\x12');
  assert.equal(line.feed('\r').submitted, 'GET a');
  line.start();
  line.feed('ECHO\x12SET\x07');
  assert.equal(line.text, 'ECHO');
  line.feed('\x15\x12SET');
  line.feed(RIGHT);
  assert.equal(line.text, 'SET a 1', 'an editing key takes the match into the line');
});

test('Tab completes the command name in the case it was typed; a second Tab lists what is left to choose', () => {
  const line = editor();
  line.feed('hgeta\t');
  assert.equal(line.text, 'hgetall ');
  line.feed('\x15GE\t');
  assert.equal(line.text, 'GET', 'the part all candidates share');
  const listed = line.feed('\t');
  assert.match(listed.output, /GET {2}GETDEL {2}GETEX\r\n\rp> GET/);
  line.feed('\x01X\t');
  assert.equal(line.text, 'XGET', 'only at the end of the first word');
  line.feed('\x05 GE\t');
  assert.equal(line.text, 'XGET GE', 'arguments are not command names');
});

test('Enter in the middle of pasted input runs the line; the rest waits, byte for byte', () => {
  const line = editor();
  const first = line.feed(`PING\rGET a${LEFT}\r`);
  assert.equal(first.submitted, 'PING');
  assert.equal(first.rest, `GET a${LEFT}\r`);
  line.start();
  assert.equal(line.feed(first.rest).submitted, 'GET a');
});

test('a line longer than the terminal is redrawn across its rows, the cursor put back on the right one', () => {
  const line = editor([], 20);
  line.feed('x'.repeat(30));
  const home = line.feed('\x01').output;
  // The prompt and 30 characters end on the second row: up one row, the whole line, back up to the prompt's row.
  assert.ok(home.startsWith('\x1b[1A\rp> '), JSON.stringify(home));
  assert.ok(home.endsWith('\x1b[1A\r\x1b[3C'), JSON.stringify(home));
  // A line that fills its row exactly moves on to the next row rather than waiting at the edge.
  assert.ok(line.feed(`\x05${'x'.repeat(7)}`).output.includes('x\x1b[J\r\n'));
  const enter = line.feed('\r').output;
  assert.ok(enter.endsWith('\r\n'));
});
