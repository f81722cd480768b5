/*
 * Argument hints for the console from the connected server's own COMMAND DOCS (Redis 7), written as redis-cli writes
 * them: "SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|...|KEEPTTL]". The reply is read as the client library
 * hands it over in RESP2: maps as flat [name, value, ...] arrays of bulk strings (Buffers) and integers.
 */

/** One argument of a command as COMMAND DOCS describes it. */
export interface DocArgument {
  readonly name: string;
  /** key, string, integer, double, pattern, unix-time, pure-token, oneof, block. */
  readonly type: string;
  readonly token?: string;
  readonly display?: string;
  readonly optional: boolean;
  readonly multiple: boolean;
  readonly multipleToken: boolean;
  readonly arguments: readonly DocArgument[];
}

export interface CommandDoc {
  readonly arguments: readonly DocArgument[];
  /** Of a container command (CONFIG, CLIENT, …), by the second word, upper case. */
  readonly subcommands: ReadonlyMap<string, CommandDoc>;
}

/** Command docs by upper-case name. */
export type CommandDocs = ReadonlyMap<string, CommandDoc>;

const textOf = (value: unknown): string | undefined => (Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/** A RESP2 map (a flat array of names and values) as name → value; nothing for what is not one. */
function fields(value: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(value)) return out;
  for (let i = 0; i + 1 < value.length; i += 2) {
    const name = textOf(value[i]);
    if (name !== undefined) out.set(name, value[i + 1]);
  }
  return out;
}

const texts = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap((item: unknown) => textOf(item) ?? []) : []);

function argumentOf(value: unknown): DocArgument | undefined {
  const f = fields(value);
  const name = textOf(f.get('name'));
  const type = textOf(f.get('type'));
  if (name === undefined || type === undefined) return undefined;
  const flags = texts(f.get('flags'));
  const token = textOf(f.get('token'));
  const display = textOf(f.get('display_text'));
  return {
    name,
    type,
    ...(token !== undefined ? { token } : {}),
    ...(display !== undefined ? { display } : {}),
    optional: flags.includes('optional'),
    multiple: flags.includes('multiple'),
    multipleToken: flags.includes('multiple_token'),
    arguments: argumentsOf(f.get('arguments')),
  };
}

const argumentsOf = (value: unknown): DocArgument[] => (Array.isArray(value) ? value.flatMap((item: unknown) => argumentOf(item) ?? []) : []);

/** Docs by name from a flat [name, docs, ...] reply; a container's subcommands ("config|get") by their second word. */
function docsOf(value: unknown, container?: string): Map<string, CommandDoc> {
  const out = new Map<string, CommandDoc>();
  for (const [name, doc] of fields(value)) {
    const f = fields(doc);
    const upper = name.toUpperCase();
    const key = container && upper.startsWith(`${container}|`) ? upper.slice(container.length + 1) : upper;
    out.set(key, { arguments: argumentsOf(f.get('arguments')), subcommands: docsOf(f.get('subcommands'), upper) });
  }
  return out;
}

/** The reply of COMMAND DOCS, read; a reply in no known shape gives no docs (the console then hints nothing). */
export function parseCommandDocs(reply: unknown): CommandDocs {
  return docsOf(reply);
}

function single(arg: DocArgument, withToken = true): string {
  const token = withToken && arg.token !== undefined ? arg.token : '';
  const body = arg.type === 'oneof' ? arg.arguments.map((a) => argumentHint(a)).join('|')
    : arg.type === 'block' ? arg.arguments.map((a) => argumentHint(a)).join(' ')
    : arg.type === 'pure-token' ? ''
    : (arg.display ?? arg.name);
  return token && body ? `${token} ${body}` : token || body;
}

/** One argument as redis-cli hints it: [optional], repeated as "name [name ...]" (with its token if each repeat has one). */
export function argumentHint(arg: DocArgument): string {
  const once = single(arg);
  const hint = arg.multiple ? `${once} [${single(arg, arg.multipleToken)} ...]` : once;
  return arg.optional ? `[${hint}]` : hint;
}

/** A command's arguments hinted, all of them. */
export const commandHint = (doc: CommandDoc): string => doc.arguments.map(argumentHint).join(' ');

/** An argument that is always exactly one word: once typed, the hint moves past it. */
const oneWord = (arg: DocArgument): boolean => !arg.optional && !arg.multiple && arg.token === undefined && arg.type !== 'block' && arg.type !== 'pure-token';

/**
 * The hint to show dimmed after a line being typed, or undefined: after the command name (and a container's
 * subcommand), then past each required one-word argument typed. Only while the line ends with a complete word or a
 * space, as the hint is drawn right after it; nothing for an unknown command or when every argument is typed.
 */
export function hintFor(docs: CommandDocs, line: string): string | undefined {
  const words = line.trimStart().split(/\s+/).filter((w) => w !== '');
  const [first] = words;
  if (first === undefined) return undefined;
  let doc = docs.get(first.toUpperCase());
  if (!doc) return undefined;
  let used = 1;
  if (doc.subcommands.size > 0) {
    const second = words[1];
    const sub = second === undefined ? undefined : doc.subcommands.get(second.toUpperCase());
    if (!sub) return undefined;
    doc = sub;
    used = 2;
  }
  const endsWithSpace = /\s$/.test(line);
  // An argument being typed: the hint would sit on it.
  if (words.length > used && !endsWithSpace) return undefined;
  let typed = words.length - used;
  let args = doc.arguments;
  while (typed > 0 && args[0] && oneWord(args[0])) {
    args = args.slice(1);
    typed--;
  }
  if (typed > 0 || args.length === 0) return undefined;
  const hint = args.map(argumentHint).join(' ');
  return endsWithSpace ? hint : ` ${hint}`;
}
