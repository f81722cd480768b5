import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { counted, countOf, expiresIn, humanDuration, indentJson } from '../../webview/shared/viewFormat';

test('counts take the singular for one only', () => {
  assert.equal(counted(1, 'key'), '1 key');
  assert.equal(counted(0, 'key'), '0 keys');
  assert.equal(counted(1_000_000, 'key'), '1,000,000 keys');
  assert.equal(counted(2, 'match', 'matches'), '2 matches');
});

test('a localisable count takes the template for its number, and fills the further placeholders', () => {
  assert.equal(countOf(1, l10n.t('Deleted {0} key.'), l10n.t('Deleted {0} keys.')), 'Deleted 1 key.');
  assert.equal(countOf(1_000_000, l10n.t('Deleted {0} key.'), l10n.t('Deleted {0} keys.')), 'Deleted 1,000,000 keys.');
  assert.equal(countOf(2, '{0} key from {1}', '{0} keys from {1}', 'cache {0}'), '2 keys from cache {0}');
});

test('counts and durations read in the language of the loaded bundle', () => {
  l10n.config({ contents: { '{0} keys': '{0} 个键', '{0} min': '{0} 分钟', '{0} s': '{0} 秒', 'in {0}': '{0}后' } });
  try {
    assert.equal(countOf(3, l10n.t('{0} key'), l10n.t('{0} keys')), '3 个键');
    assert.equal(expiresIn(1292, 1_000_000), '4 分钟 52 秒后');
  } finally {
    l10n.config({ contents: {} });
  }
});

test('durations read as a person says them, two units at most', () => {
  assert.equal(humanDuration(0), '0 s');
  assert.equal(humanDuration(45), '45 s');
  assert.equal(humanDuration(292), '4 min 52 s');
  assert.equal(humanDuration(3600), '1 h');
  assert.equal(humanDuration(7500), '2 h 5 min');
  assert.equal(humanDuration(3 * 86_400 + 4 * 3600 + 59), '3 d 4 h');
  assert.equal(humanDuration(86_400 + 30), '1 d');
  assert.equal(humanDuration(-1), '?');
  assert.equal(expiresIn(-1, 0), 'never');
  assert.equal(expiresIn(0, 0), 'never');
  assert.equal(expiresIn(1000, 1_000_000), 'expired');
  assert.equal(expiresIn(1292, 1_000_000), 'in 4 min 52 s');
});

test('JSON is laid out for reading with every token exactly as written', () => {
  const stored = '{"id":9007199254740993,"price":1.10,  "note":"a \\"quoted\\" {not: json}, [x]","e":1E400,"list":[],"o":{},"dup":1,"dup":2,"nested":[{"a":[1,2]}]}';
  const shown = indentJson(stored)!;
  assert.equal(shown, [
    '{',
    '  "id": 9007199254740993,',
    '  "price": 1.10,',
    '  "note": "a \\"quoted\\" {not: json}, [x]",',
    '  "e": 1E400,',
    '  "list": [],',
    '  "o": {},',
    '  "dup": 1,',
    '  "dup": 2,',
    '  "nested": [',
    '    {',
    '      "a": [',
    '        1,',
    '        2',
    '      ]',
    '    }',
    '  ]',
    '}',
  ].join('\n'));
  // Only whitespace between tokens changed.
  const tokens = (text: string): string => text.replace(/("(?:[^"\\]|\\.)*")|\s+/g, (_m, s: string | undefined) => s ?? '');
  assert.equal(tokens(shown), tokens(stored));
  assert.equal(indentJson('[ 1 , "\\u00e9\\\\" ]'), '[\n  1,\n  "\\u00e9\\\\"\n]');
  assert.equal(indentJson('"just a string"'), undefined);
  assert.equal(indentJson('42'), undefined);
  assert.equal(indentJson('{"broken": '), undefined);
  assert.equal(indentJson('{ }'), '{}');
});
