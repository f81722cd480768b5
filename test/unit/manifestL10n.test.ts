import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, name), 'utf8'));
}

/** Every string value in the manifest, with where it is, for messages that point at it. */
function strings(value: unknown, path: string, out: { path: string; text: string }[]): { path: string; text: string }[] {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((item, index) => strings(item, `${path}[${index}]`, out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) strings(item, `${path}.${key}`, out);
  return out;
}

function table(name: string): Map<string, string> {
  const parsed = readJson(name);
  assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), `${name} is not a JSON object`);
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    assert.equal(typeof value, 'string', `${name}: "${key}" is not a string`);
    entries.set(key, String(value));
  }
  return entries;
}

const manifest = readJson('package.json');
const used = strings(manifest, 'package.json', []).flatMap(({ path, text }) => {
  const key = /^%([^%]+)%$/.exec(text)?.[1];
  return key === undefined ? [] : [{ path, key }];
});

test('every %key% in package.json has an English and a Simplified Chinese entry', () => {
  assert.ok(used.length > 100, `only ${used.length} %key% references in package.json`);
  for (const name of ['package.nls.json', 'package.nls.zh-cn.json']) {
    const entries = table(name);
    const missing = used.filter(({ key }) => !entries.get(key)?.trim()).map(({ path, key }) => `${key} (${path})`);
    assert.deepEqual(missing, [], `${name} has no text for these keys`);
  }
});

test('no entry of package.nls.json or package.nls.zh-cn.json is unused, and both files have the same keys', () => {
  const keys = new Set(used.map(({ key }) => key));
  const english = table('package.nls.json');
  const chinese = table('package.nls.zh-cn.json');
  for (const [name, entries] of [['package.nls.json', english], ['package.nls.zh-cn.json', chinese]] as const) {
    assert.deepEqual([...entries.keys()].filter((key) => !keys.has(key)), [], `${name} has entries no %key% in package.json uses`);
  }
  assert.deepEqual([...chinese.keys()].sort(), [...english.keys()].sort());
});

test('the user-visible fields of package.json are all %key% references, not literal English', () => {
  const visible = /\.(displayName|description|markdownDescription|title|category|name|contextualTitle|contents|shortTitle|enumDescriptions\[\d+\]|markdownEnumDescriptions\[\d+\])$/;
  // Keys of the manifest itself that are identifiers, not text.
  const literal = strings(manifest, 'package.json', []).filter(({ path, text }) => visible.test(path) && path !== 'package.json.name' && !/^%[^%]+%$/.test(text));
  assert.deepEqual(literal.map(({ path, text }) => `${path}: ${text}`), []);
});

test('the Chinese manifest keeps each command link and Markdown code span of the English one', () => {
  const english = table('package.nls.json');
  const chinese = table('package.nls.zh-cn.json');
  const marks = (text: string): string[] => [...text.matchAll(/\(command:[^)]+\)|`[^`]+`/g)].map((m) => m[0]).sort();
  for (const [key, text] of english) assert.deepEqual(marks(chinese.get(key) ?? ''), marks(text), `package.nls.zh-cn.json "${key}"`);
});
