import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `vscode.l10n.t(…)` in the extension, `l10n.t(…)` in the webviews (webview/shared/l10n.ts mirrors it). */
function isL10nCall(node: ts.CallExpression): boolean {
  const callee = node.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const owner = callee.expression;
  return (ts.isIdentifier(owner) && owner.text === 'l10n') || (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n');
}

interface Found {
  readonly message?: string;
  readonly where: string;
}

/** Every l10n.t call of the files, parsed by the TypeScript compiler: its message, or none when it is not a literal. */
function l10nCalls(files: readonly string[]): Found[] {
  const found: Found[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isL10nCall(node)) {
        const first = node.arguments[0];
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        const where = `${relative(ROOT, file)}:${line + 1}`;
        found.push(first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? { message: first.text, where } : { where });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function bundle(name: string): Map<string, string> {
  const parsed: unknown = JSON.parse(readFileSync(join(ROOT, 'l10n', name), 'utf8'));
  assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), `${name} is not a JSON object`);
  return new Map(Object.entries(parsed).map(([key, value]) => {
    assert.equal(typeof value, 'string', `${name}: "${key}" is not a string`);
    return [key, String(value)];
  }));
}

const extension = sourceFiles(join(ROOT, 'src')).filter((file) => !file.includes(`${join('src', 'drivers')}`));
const calls = l10nCalls([...extension, ...sourceFiles(join(ROOT, 'webview'))]);
const messages = new Set(calls.flatMap((call) => (call.message === undefined ? [] : [call.message])));
const placeholders = (text: string): string[] => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

test('every l10n.t call passes its message as a literal, so that it can be extracted and translated', () => {
  assert.ok(calls.length > 300, `only ${calls.length} l10n.t calls found`);
  assert.deepEqual(calls.filter((call) => call.message === undefined).map((call) => call.where), []);
});

test('every message passed to l10n.t has a Simplified Chinese translation with the same placeholders, and none is unused', () => {
  const chinese = bundle('bundle.l10n.zh-cn.json');
  const missing = calls.filter((call) => call.message !== undefined && !chinese.get(call.message)?.trim()).map((call) => `${call.where}: ${call.message}`);
  assert.deepEqual(missing, [], 'l10n/bundle.l10n.zh-cn.json has no translation for these');
  const wrong = [...messages].filter((m) => chinese.has(m) && placeholders(chinese.get(m) ?? '').join() !== placeholders(m).join());
  assert.deepEqual(wrong, [], 'translations whose {0}… placeholders differ from the message');
  assert.deepEqual([...chinese.keys()].filter((key) => !messages.has(key)), [], 'l10n/bundle.l10n.zh-cn.json has entries no l10n.t call uses');
});

test('l10n/bundle.l10n.json lists exactly the messages of the code (regenerate: npx vscode-l10n-dev export --outDir ./l10n ./src ./webview)', () => {
  assert.deepEqual([...bundle('bundle.l10n.json').keys()].sort(), [...messages].sort());
});

test('the drivers stay free of VS Code: no l10n call in src/drivers, and each hint of src/drivers/hints.ts is one a driver gives', () => {
  const drivers = sourceFiles(join(ROOT, 'src', 'drivers'));
  assert.deepEqual(l10nCalls(drivers).map((call) => call.where), []);
  const hintsFile = join(ROOT, 'src', 'drivers', 'hints.ts');
  const driverText = drivers.filter((file) => file !== hintsFile).map((file) => readFileSync(file, 'utf8')).join('\n');
  const hints: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) hints.push(node.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('hints.ts', readFileSync(hintsFile, 'utf8'), ts.ScriptTarget.Latest, true));
  assert.ok(hints.length > 100, `only ${hints.length} hints found in hints.ts`);
  const quoted = (hint: string): string[] => [`'${hint.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`, `"${hint}"`];
  assert.deepEqual(hints.filter((hint) => !quoted(hint).some((q) => driverText.includes(q))), [], 'hints no driver gives any more');
});

/**
 * Where the extension hands text to the user — a notification, a file system error the editor shows, a DriverError it
 * raises or the hint it words — the text is an l10n call (or built from one), never English written in place.
 */
test('the extension words what it shows through l10n: no literal text in notifications, file system errors or its own DriverErrors', () => {
  // A template may join worded parts with punctuation; words written into it are English in place.
  const words = (text: string): boolean => /[A-Za-z]{2,}/.test(text);
  const literal = (node: ts.Node | undefined): boolean => node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
    || (ts.isTemplateExpression(node) && [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].some(words)));
  const named = (node: ts.Expression, names: RegExp): boolean => ts.isPropertyAccessExpression(node) && names.test(node.name.text);
  const found: string[] = [];
  for (const file of extension) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const where = (): string => `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (ts.isCallExpression(node) && named(node.expression, /^show(Information|Warning|Error)Message$/) && literal(node.arguments[0])) found.push(`${where()} notification`);
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && named(node.expression.expression, /^FileSystemError$/) && literal(node.arguments[0])) found.push(`${where()} FileSystemError`);
      if (ts.isNewExpression(node) && node.expression.getText() === 'DriverError' && literal(node.arguments?.[1])) found.push(`${where()} DriverError message`);
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'worded' && literal(node.initializer)) found.push(`${where()} worded hint`);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(found, []);
});
