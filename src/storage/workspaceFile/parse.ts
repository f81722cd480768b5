import { isAbsolute, join } from 'node:path';
import { getNodeValue, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';
import { isProfile, kindInfo, profileFromValues, valuesFromProfile } from '../../drivers/kinds';
import { Kind, KINDS, Profile } from '../../drivers/types';
import { parseHostKeyPin, PinnedHostKey } from './hostKeyPin';
import { ENTRY_FIELDS, ENTRY_ID, FILE_FIELDS, hasType, isRecord, LINK_FIELDS, PATH_FIELDS, SECRET_FIELDS, TYPE_WORDS } from './shape';

/**
 * A workspace connection file (.vscode/switchboard.json): connections a team shares in its repository, in the
 * profile shape of Switchboard's export, never with a secret. Each entry is checked against an allow-list of fields
 * and rebuilt through its kind's form; an entry with any problem is not loaded, and every problem is reported where
 * it is in the file. Plain data in and out, so it is tested without VS Code.
 */

export interface FileDiagnostic {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface WorkspaceEntry {
  /** The id written in the file. */
  readonly localId: string;
  /** The connection, with its id (and links to other entries) namespaced for this workspace folder. */
  readonly profile: Profile;
  readonly pin?: PinnedHostKey;
  /** Where the entry is in the file. */
  readonly offset: number;
  readonly length: number;
}

export interface ParsedWorkspaceFile {
  readonly entries: WorkspaceEntry[];
  readonly diagnostics: FileDiagnostic[];
}

export interface FileContext {
  /** The workspace folder the file belongs to: relative key and CA file paths are read from it. */
  readonly folderPath: string;
  /** The id a connection of this file has in Switchboard (unique across folders and the user's own). */
  runtimeId(localId: string): string;
}

export const WORDS = {
  syntax: (code: string) => `Not valid JSON here (${code}).`,
  notObject: 'A Switchboard connection file is an object with a "profiles" list.',
  noProfiles: 'Add a "profiles" list of connections.',
  unknownTop: (key: string) => `"${key}" is not a field of a Switchboard connection file; it is ignored.`,
  entryNotObject: 'Each connection is an object with "id", "name" and "kind".',
  secret: (key: string) =>
    `"${key}" is refused: a shared connection file never holds a password or other secret. Remove it (and change that password if this file was committed): each person enters their own when connecting, kept in their SecretStorage. This connection is not loaded until then.`,
  unknownField: (key: string, kind: string) => `"${key}" is not a field of a ${kind} connection; this connection is not loaded until it is removed.`,
  duplicateField: (key: string) => `"${key}" is given twice; this connection is not loaded until one is removed.`,
  wrongType: (key: string, type: string) => `"${key}" must be ${type}.`,
  idMissing: 'Give the connection an "id": a short stable name (letters, digits, ".", "_", "-"), used to keep each person\'s password for it.',
  idShape: 'The "id" is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.',
  idTaken: (id: string) => `Another connection of this file has the id "${id}" (ids are compared without case).`,
  kind: `"kind" is one of ${KINDS.join(', ')}.`,
  nameMissing: 'Give the connection a "name".',
  linkMissing: (key: string, id: string) => `"${key}" names "${id}", which is not an SSH connection of this file.`,
  linkNotLoaded: (key: string, id: string) => `"${key}" goes through "${id}", which is not loaded (see its problems), so this one is not loaded either.`,
  notLoaded: 'This connection is not loaded: fix the problems marked in it.',
};

/**
 * Any field outside the allow-list refuses the entry; these are named as secrets in the message, so that the person
 * fixing the file knows it leaked one. Their value is never read.
 */
function isSecretField(key: string): boolean {
  return SECRET_FIELDS.includes(key) || /pass|secret|token|pwd|auth|credential|private/i.test(key);
}

type Properties = Map<string, { key: Node; value: Node }>;
interface Candidate {
  readonly localId: string;
  readonly kind: Kind;
  readonly node: Node;
  readonly properties: Properties;
  readonly value: Record<string, unknown>;
}

export function parseWorkspaceFile(text: string, context: FileContext): ParsedWorkspaceFile {
  const diagnostics: FileDiagnostic[] = [];
  const report = (node: Node | undefined, message: string, severity: FileDiagnostic['severity'] = 'error', fallback?: Node): void => {
    const at = node ?? fallback;
    diagnostics.push({ offset: at?.offset ?? 0, length: at?.length ?? 0, message, severity });
  };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const error of errors) diagnostics.push({ offset: error.offset, length: error.length, message: WORDS.syntax(printParseErrorCode(error.error)), severity: 'error' });
  // A file that is not valid JSON loads nothing, rather than whatever a tolerant parse guessed.
  if (errors.length) return { entries: [], diagnostics };
  if (!root || root.type !== 'object') {
    report(root, WORDS.notObject);
    return { entries: [], diagnostics };
  }
  const top = propertiesOf(root, report);
  for (const [key, property] of top) if (!FILE_FIELDS.includes(key)) report(property.key, WORDS.unknownTop(key), 'warning');
  const list = top.get('profiles')?.value;
  if (!list || list.type !== 'array') {
    report(list ?? root, WORDS.noProfiles);
    return { entries: [], diagnostics };
  }
  const candidates = checkEntries(list.children ?? [], report);
  return { entries: buildEntries(candidates, context, report), diagnostics };
}

type Report = (node: Node | undefined, message: string, severity?: FileDiagnostic['severity'], fallback?: Node) => void;

function propertiesOf(object: Node, report: Report): Properties {
  const properties: Properties = new Map();
  for (const property of object.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key || !value || typeof key.value !== 'string') continue;
    if (properties.has(key.value)) report(key, WORDS.duplicateField(key.value));
    properties.set(key.value, { key, value });
  }
  return properties;
}

/** First pass: each entry's fields against the allow-list of its kind. */
function checkEntries(nodes: readonly Node[], report: Report): Candidate[] {
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const node of nodes) {
    if (node.type !== 'object') {
      report(node, WORDS.entryNotObject);
      continue;
    }
    let ok = true;
    const fail = (at: Node | undefined, message: string): void => {
      ok = false;
      report(at, message, 'error', node);
    };
    const properties = propertiesOf(node, (at, message) => fail(at, message));
    // Secrets first: whatever else is wrong, a password in a shared file is the thing to fix.
    for (const [key, property] of properties) if (isSecretField(key)) fail(property.key, WORDS.secret(key));
    const id = properties.get('id')?.value;
    const localId = typeof id?.value === 'string' ? id.value : '';
    if (!id) fail(node, WORDS.idMissing);
    else if (!ENTRY_ID.test(localId)) fail(id, WORDS.idShape);
    else if (seen.has(localId.toLowerCase())) fail(id, WORDS.idTaken(localId));
    else seen.add(localId.toLowerCase());
    const kindNode = properties.get('kind')?.value;
    const kind = KINDS.find((k) => k === kindNode?.value);
    if (!kind) {
      fail(kindNode ?? node, WORDS.kind);
      continue;
    }
    const name = properties.get('name')?.value;
    if (typeof name?.value !== 'string' || !name.value.trim()) fail(name ?? node, WORDS.nameMissing);
    const fields = ENTRY_FIELDS[kind];
    const value: Record<string, unknown> = {};
    for (const [key, property] of properties) {
      const type = fields[key];
      if (isSecretField(key)) continue;
      if (!type) {
        fail(property.key, WORDS.unknownField(key, kind));
        continue;
      }
      const fieldValue: unknown = getNodeValue(property.value);
      if (!hasType(fieldValue, type)) fail(property.value, WORDS.wrongType(key, TYPE_WORDS[type]));
      else value[key] = fieldValue;
    }
    if (ok) candidates.push({ localId, kind, node, properties, value });
  }
  return candidates;
}

/** Second pass: links between entries, paths, the kind's form, the pinned host key. */
function buildEntries(candidates: readonly Candidate[], context: FileContext, report: Report): WorkspaceEntry[] {
  const sshIds = new Set(candidates.filter((c) => c.kind === 'ssh').map((c) => c.localId));
  const built = new Map<string, WorkspaceEntry>();
  const byId = new Map(candidates.map((c) => [c.localId, c]));
  const pending = new Map(byId);
  // Entries are built carriers first, so that one whose carrier was refused is refused too.
  const build = (candidate: Candidate, visiting: Set<string>): WorkspaceEntry | undefined => {
    if (built.has(candidate.localId)) return built.get(candidate.localId);
    if (!pending.has(candidate.localId) || visiting.has(candidate.localId)) return undefined;
    visiting.add(candidate.localId);
    const value: Record<string, unknown> = { ...candidate.value, id: context.runtimeId(candidate.localId) };
    for (const key of LINK_FIELDS) {
      const target = candidate.value[key];
      if (typeof target !== 'string' || !target) continue;
      const at = candidate.properties.get(key)?.value;
      const carrier = byId.get(target);
      if (!sshIds.has(target) || !carrier) {
        report(at, WORDS.linkMissing(key, target));
        return refuse(candidate);
      }
      if (!build(carrier, visiting)) {
        report(at, WORDS.linkNotLoaded(key, target));
        return refuse(candidate);
      }
      value[key] = context.runtimeId(target);
    }
    for (const key of PATH_FIELDS) {
      const path = value[key];
      if (typeof path === 'string' && path && !isAbsolute(path) && !path.startsWith('~')) value[key] = join(context.folderPath, path);
    }
    if (Array.isArray(value['servers'])) value['servers'] = value['servers'].map((server: unknown) => (isRecord(server) ? { weight: 1, ...server } : server));
    const { hostKey, ...given } = value;
    // What the file leaves out takes the form's defaults (port, database, TLS off, …), as an empty form field would.
    const shaped = { ...kindInfo(candidate.kind).toProfile(context.runtimeId(candidate.localId), {}).profile, ...given };
    if (!isProfile(shaped)) return refuse(candidate);
    const rebuilt = profileFromValues(candidate.kind, shaped.id, valuesFromProfile(shaped));
    if (!rebuilt.profile) {
      for (const [field, message] of Object.entries(rebuilt.errors)) report(candidate.properties.get(field)?.value, message, 'error', candidate.node);
      return refuse(candidate);
    }
    let pin: PinnedHostKey | undefined;
    if (typeof hostKey === 'string' && rebuilt.profile.kind === 'ssh') {
      const parsed = parseHostKeyPin(hostKey, rebuilt.profile.host, rebuilt.profile.port);
      if ('error' in parsed) {
        report(candidate.properties.get('hostKey')?.value, parsed.error);
        return refuse(candidate);
      }
      pin = parsed.pin;
    }
    const entry: WorkspaceEntry = { localId: candidate.localId, profile: rebuilt.profile, offset: candidate.node.offset, length: candidate.node.length, ...(pin ? { pin } : {}) };
    built.set(candidate.localId, entry);
    return entry;
  };
  const refuse = (candidate: Candidate): undefined => {
    pending.delete(candidate.localId);
    report(candidate.properties.get('id')?.value, WORDS.notLoaded, 'error', candidate.node);
    return undefined;
  };
  for (const candidate of candidates) build(candidate, new Set());
  return candidates.flatMap((c) => {
    const entry = built.get(c.localId);
    return entry ? [entry] : [];
  });
}
