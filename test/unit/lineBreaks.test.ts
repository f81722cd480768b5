import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxed } from '../../src/drivers/lineBreaks';

/** What HTML makes of a textarea's text (its API value): CRLF and a lone CR each become LF. */
const inBox = (text: string): string => text.replace(/\r\n?/g, '\n');

test('a text keeps its own line breaks through a box: LF, CRLF, none', () => {
  for (const text of ['one\ntwo\n', 'one\r\ntwo\r\n', 'one line', '', '\r\n', 'tab\there\r\nend']) {
    const box = boxed(text);
    assert.ok(box.editable, JSON.stringify(text));
    assert.equal(box.typed(inBox(text)), text, JSON.stringify(text));
  }
  assert.equal(boxed('a\r\nb').typed(`${inBox('a\r\nb')}\nc`), 'a\r\nb\r\nc', 'a line typed gets the text\'s line break');
});

test('a text that mixes line breaks, or has a lone CR, is not edited in a box', () => {
  for (const text of ['a\r\nb\nc', 'a\rb', 'a\r', 'a\n\r', '\r\r\n']) {
    const box = boxed(text);
    assert.equal(box.editable, false, JSON.stringify(text));
    assert.equal(box.mixed, true, JSON.stringify(text));
  }
});
