import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localNameProblem, remoteNameProblem, shownName } from '../../src/drivers/ssh/remoteNames';

test('a remote name must be one plain path component', () => {
  for (const bad of ['', '.', '..', 'a/b', '/', '../x', 'x/', 'nul\0', 'bad\ufffd']) assert.ok(remoteNameProblem(bad), JSON.stringify(bad));
  for (const good of ['a', '...', '..a', 'a..', '.hidden', 'line\nbreak', 'back\\slash', 'x:y', 'CON', 'trailing.', ' ', '€', '-rf']) assert.equal(remoteNameProblem(good), undefined, JSON.stringify(good));
});

test('on Windows a local name also keeps clear of separators, reserved devices and trailing dots', () => {
  for (const bad of ['..\\..\\x', 'a\\b', 'c:x', 'CON', 'con.txt', 'Lpt1', 'COM9.log', 'a?', 'a*', 'a"b', 'a<b', 'a|b', 'tab\there', 'trailing.', 'space ']) {
    assert.ok(localNameProblem(bad, 'win32'), JSON.stringify(bad));
    assert.equal(localNameProblem(bad, 'linux'), undefined, `${JSON.stringify(bad)} is a file name on Linux`);
  }
  for (const good of ['a.txt', 'console', 'com10', '.hidden', 'über']) assert.equal(localNameProblem(good, 'win32'), undefined, good);
  assert.ok(localNameProblem('a/b', 'linux'));
});

test('names are shown with control characters escaped', () => {
  assert.equal(shownName('esc\u001b[31mred\nx'), 'esc\\u001b[31mred\\nx');
});
