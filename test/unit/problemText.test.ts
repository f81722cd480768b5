import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestError } from '../../webview/shared/ipc';
import { problemText } from '../../webview/shared/problemOf';

test('a failure as one line keeps what the host said: the message, what to do, and the code', () => {
  const refused = new RequestError({ message: 'MONITOR is refused on a read-only connection.', code: 'readOnly', hint: 'Use a connection that is not read-only.' });
  assert.equal(problemText(refused), 'MONITOR is refused on a read-only connection. Use a connection that is not read-only. (readOnly)');
  assert.equal(problemText(new RequestError({ message: 'Timed out.', code: 'timeout' })), 'Timed out. (timeout)');
  assert.equal(problemText(new RequestError({ message: 'The panel refused the message.' })), 'The panel refused the message.');
  assert.equal(problemText(new Error('plain')), 'plain');
  assert.equal(problemText('text'), 'text');
});
