import { isAbsolute, relative, sep } from 'node:path';
import { applyEdits, findNodeAtLocation, FormattingOptions, modify, Node, parseTree } from 'jsonc-parser';
import { Profile } from '../../drivers/types';
import { ENTRY_FIELDS, LINK_FIELDS, PATH_FIELDS } from './shape';

/**
 * Changes to a workspace connection file as text edits, so that its comments and layout stay as the team wrote
 * them. Plain text in and out, so it is tested without VS Code.
 */

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };
const EMPTY = '{\n  "profiles": []\n}\n';

function profilesList(text: string): Node | undefined {
  const root = parseTree(text);
  return root ? findNodeAtLocation(root, ['profiles']) : undefined;
}

/** Every id the file's entries use, loaded or not (a new entry must not take one). */
export function idsInFile(text: string): Set<string> {
  const list = profilesList(text);
  const ids = new Set<string>();
  for (const entry of list?.type === 'array' ? (list.children ?? []) : []) {
    const id = findNodeAtLocation(entry, ['id'])?.value;
    if (typeof id === 'string') ids.add(id.toLowerCase());
  }
  return ids;
}

/** A file id from a connection's name: "Cache (staging)" becomes "cache-staging", numbered when taken. */
export function fileIdFor(name: string, taken: Set<string>): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '').slice(0, 56) || 'connection';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * The file entry for one of the user's connections: only the fields a workspace file allows, links to the file ids
 * of its carriers, and key or CA files inside the workspace folder as paths relative to it.
 */
export function fileEntry(profile: Profile, fileIds: ReadonlyMap<string, string>, folderPath: string): Record<string, unknown> {
  const allowed = ENTRY_FIELDS[profile.kind];
  const entry: Record<string, unknown> = { id: fileIds.get(profile.id) };
  for (const [key, value] of Object.entries(profile)) {
    if (key === 'id' || !(key in allowed) || value === undefined) continue;
    if (LINK_FIELDS.includes(key) && typeof value === 'string') entry[key] = fileIds.get(value) ?? value;
    else if (PATH_FIELDS.includes(key) && typeof value === 'string' && isAbsolute(value) && value.startsWith(`${folderPath}${sep}`)) entry[key] = relative(folderPath, value).split(sep).join('/');
    else entry[key] = value;
  }
  return entry;
}

/** The file with the entries appended to its "profiles" list (the file and the list are created if missing). */
export function addEntries(text: string, entries: readonly Record<string, unknown>[]): string {
  let current = text.trim() ? text : EMPTY;
  const list = profilesList(current);
  if (list?.type !== 'array') current = applyEdits(current, modify(current, ['profiles'], [], { formattingOptions: FORMAT }));
  for (const entry of entries) current = applyEdits(current, modify(current, ['profiles', -1], entry, { formattingOptions: FORMAT, isArrayInsertion: true }));
  return current;
}

/** The file without the entry of that id; the text unchanged when there is none. */
export function removeEntry(text: string, fileId: string): string {
  const list = profilesList(text);
  const index = (list?.children ?? []).findIndex((entry) => findNodeAtLocation(entry, ['id'])?.value === fileId);
  return index < 0 ? text : applyEdits(text, modify(text, ['profiles', index], undefined, { formattingOptions: FORMAT }));
}
