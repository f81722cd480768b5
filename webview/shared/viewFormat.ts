/**
 * How panels word counts, durations and JSON for reading. Pure functions: no DOM, tested in plain Node (where l10n.t,
 * with no bundle loaded, returns the English).
 */
import * as l10n from '@vscode/l10n';

/** "1 key", "2 keys", "1,000,000 keys" — English only; a localised panel words its counts with `countOf`. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * A count in a whole phrase of the user's language: `countOf(n, l10n.t('Deleted {0} key.'), l10n.t('Deleted {0} keys.'))`.
 * Each form is a template that l10n.t returns with its placeholders kept (given no arguments): {0} becomes the count,
 * {1}, {2}… the further `args`. Both forms are translated, so a language without plurals gives both the same words.
 */
export function countOf(n: number, one: string, many: string, ...args: readonly string[]): string {
  const template = n === 1 ? one : many;
  return template.replace(/\{(\d+)\}/g, (match, index: string) => (index === '0' ? n.toLocaleString('en-US') : args[Number(index) - 1] ?? match));
}

/** The duration units, as templates for their number (worded when used, once the panel's bundle is loaded). */
const UNITS: readonly (readonly [number, () => string])[] = [[86_400, () => l10n.t('{0} d')], [3600, () => l10n.t('{0} h')], [60, () => l10n.t('{0} min')], [1, () => l10n.t('{0} s')]];

/** A number of seconds the way a person reads it: "45 s", "4 min 52 s", "2 h 5 min", "3 d 4 h" (two units at most). */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  let rest = Math.round(seconds);
  if (rest === 0) return l10n.t('{0} s', '0');
  const parts: string[] = [];
  for (const [size, unit] of UNITS) {
    if (rest >= size) {
      parts.push(unit().replace('{0}', Math.floor(rest / size).toLocaleString('en-US')));
      rest %= size;
    } else if (parts.length) break;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** When an item with this expiry (Unix seconds, negative or 0 for never) expires, from `now` (ms): "in 4 min 52 s". */
export function expiresIn(expiry: number, now: number): string {
  if (expiry <= 0) return l10n.t('never');
  const left = expiry - now / 1000;
  return left <= 0 ? l10n.t('expired') : l10n.t('in {0}', humanDuration(left));
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * JSON text laid out for reading, every token kept exactly as written (numbers such as 9007199254740993 or 1.10,
 * escapes, key order, duplicate keys): only the whitespace between tokens changes. Undefined when the text is not a
 * JSON object or array. For viewing only: what is saved is always the text as stored or typed.
 */
export function indentJson(text: string, indent = '  '): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
  } catch {
    return undefined;
  }
  const out: string[] = [];
  let depth = 0;
  const newline = (): void => void out.push('\n', indent.repeat(depth));
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out.push(text.slice(i, end + 1));
      i = end;
    } else if (c === '{' || c === '[') {
      let next = i + 1;
      while (WHITESPACE.has(text[next] ?? '')) next++;
      if (text[next] === (c === '{' ? '}' : ']')) {
        out.push(c, text[next]!);
        i = next;
      } else {
        out.push(c);
        depth++;
        newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      newline();
      out.push(c);
    } else if (c === ',') {
      out.push(',');
      newline();
    } else if (c === ':') {
      out.push(': ');
    } else if (!WHITESPACE.has(c)) {
      out.push(c);
    }
  }
  return out.join('');
}
