import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Audits of the webview code as written: every panel's HTML comes from the one CSP shell, and no webview script has a
 * way to turn server data into markup or code. The shell's CSP itself is checked in a real VS Code (panels.test.ts).
 */

const ROOT = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(ROOT, dir, f));
}

const where = (file: string, text: string, index: number): string => `${relative(ROOT, file)}:${text.slice(0, index).split('\n').length}`;

function findAll(files: readonly string[], pattern: RegExp): string[] {
  const hits: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))) hits.push(`${where(file, text, match.index ?? 0)}: ${match[0]}`);
  }
  return hits;
}

test('every panel sets its HTML through the one strict-CSP shell', () => {
  const assignments = findAll(sources('src'), /\.html\s*=\s*[^;\n]+/);
  assert.ok(assignments.length >= 1, 'the audit finds the assignment it is about (PanelView sets every panel\'s HTML)');
  const others = assignments.filter((a) => !/\.html\s*=\s*webviewHtml\(/.test(a));
  assert.deepEqual(others, [], 'a panel sets HTML without webviewHtml()');
  const shell = readFileSync(join(ROOT, 'src', 'panels', 'webviewHtml.ts'), 'utf8');
  assert.match(shell, /default-src 'none'/);
  assert.match(shell, /script-src 'nonce-\$\{nonce\}'/);
  assert.doesNotMatch(shell, /unsafe-inline|unsafe-eval/);
  assert.match(shell, /randomBytes\(16\)/, 'a fresh nonce per load');
});

test('no webview script parses markup, evaluates code or sets event-handler attributes', () => {
  const files = sources('webview');
  assert.ok(files.length > 10);
  const sinks = findAll(files, /\b(innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|DOMParser|document\.write|eval\s*\(|new Function\s*\(|setTimeout\s*\(\s*['"`])/);
  assert.deepEqual(sinks, [], 'an HTML or code sink in a webview');
  const handlers = findAll(files, /setAttribute\(\s*['"`]on|attrs:\s*\{[^}]*\bon[a-z]+\s*:|['"`]on[a-z]+=/i);
  assert.deepEqual(handlers, [], 'an inline event handler in a webview');
  const links = findAll(files, /setAttribute\(\s*['"`](href|src|xlink:href)|\b(href|src)\s*=/);
  assert.deepEqual(links, [], 'a webview points a link or a source at data');
});
