/**
 * The Redis key browser's channel. The host keeps every key the scan found (packed, with its folder tree), the
 * scan's state and what the view showed; the webview asks for the window of lines it draws.
 */
import * as v from 'valibot';
import { command, list, NONE, notification, protocol, request } from '../ipc/protocol';
import { codecChoice, decoded } from '../ipc/decodedSchema';
import { question, ticket } from '../ipc/question';

/** Names and values as the webview may send them: large, but not without end. */
const MAX_TEXT = 16 * 1024 * 1024;
const text = v.pipe(v.string(), v.maxLength(MAX_TEXT));
const base64 = v.pipe(v.string(), v.maxLength(MAX_TEXT));
/** The most rows one request names, and the most lines one window holds. */
export const MAX_ROWS = 10_000;
export const MAX_WINDOW = 1_000;
const rows = v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), v.maxLength(MAX_ROWS), v.readonly());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

export const keyRef = v.object({ text, base64: v.exactOptional(base64) });
const bytes = v.object({ base64 });
const shown = v.object({ text: v.string(), exact: v.boolean() });
const member = v.object({ text: v.string(), exact: v.boolean(), base64: v.string() });

/** Type, TTL in ms (-1: none) and bytes in memory of one key, as the server said. */
const meta = v.object({ type: v.string(), ttl: v.number(), memory: v.exactOptional(v.number()) });
export type KeyMeta = v.InferOutput<typeof meta>;

/** One line of the list or the tree: a key (its row in the scan) or a folder with the keys below it. */
const line = v.variant('kind', [
  v.object({ kind: v.literal('key'), row: v.number(), depth: v.number(), key: keyRef, name: v.string(), gone: v.boolean(), meta: v.exactOptional(meta) }),
  v.object({ kind: v.literal('folder'), folder: v.number(), depth: v.number(), name: v.string(), count: v.number(), expanded: v.boolean() }),
]);
export type Line = v.InferOutput<typeof line>;

/** Something on a line, by what it is rather than where it is drawn: lines move as keys arrive and folders open. */
const item = v.variant('kind', [v.object({ kind: v.literal('key'), row: count }), v.object({ kind: v.literal('folder'), folder: count })]);
export type Item = v.InferOutput<typeof item>;

export const KEY_TYPES = ['', 'string', 'hash', 'list', 'set', 'zset', 'stream'] as const;
const keyType = v.picklist(KEY_TYPES);

const problem = v.object({ message: v.string(), code: v.exactOptional(v.string()), hint: v.exactOptional(v.string()) });

export const scanState = v.object({
  /** Each scan's keys are a new generation: rows and folders of an older one mean nothing now. */
  generation: v.number(),
  phase: v.picklist(['starting', 'scanning', 'paused', 'cancelling', 'done', 'cancelled', 'failed']),
  match: v.string(),
  keyType: v.string(),
  scanned: v.number(),
  total: v.number(),
  /** Keys found and not deleted since. */
  keys: v.number(),
  elapsedMs: v.number(),
  error: v.exactOptional(problem),
  /** The tree stopped making folders at its limit. */
  capped: v.boolean(),
});
export type ScanState = v.InferOutput<typeof scanState>;

const view = v.object({ mode: v.picklist(['list', 'tree']), group: v.nullable(count) });
export type View = v.InferOutput<typeof view>;

/** Prefix groups, the biggest first; folder 0 stands for the keys without a prefix. */
const groups = list(v.object({ folder: v.number(), name: v.string(), count: v.number() }));

/** What the view showed, kept by the host while the panel is hidden. */
const memory = v.object({
  selected: v.pipe(v.array(item), v.maxLength(MAX_ROWS), v.readonly()),
  focused: v.nullable(item),
  /** The item on the top line of the view, and how many pixels of it were scrolled past. */
  top: v.nullable(item),
  topOffset: v.pipe(v.number(), v.minValue(0), v.maxValue(1_000)),
  open: v.nullable(v.object({ key: keyRef, row: v.nullable(count) })),
  match: text,
  keyType,
});
export type ViewMemory = v.InferOutput<typeof memory>;

const valuePage = v.variant('type', [
  v.object({ type: v.literal('string'), length: v.number(), value: shown, json: v.boolean(), truncated: v.boolean() }),
  v.object({ type: v.literal('hash'), entries: list(v.tuple([member, shown])), cursor: v.string(), total: v.number() }),
  v.object({ type: v.literal('set'), members: list(member), cursor: v.string(), total: v.number() }),
  v.object({ type: v.literal('zset'), entries: list(v.tuple([member, v.string()])), offset: v.number(), total: v.number() }),
  v.object({ type: v.literal('list'), items: list(member), offset: v.number(), total: v.number() }),
  v.object({
    type: v.literal('stream'),
    entries: list(v.object({ id: v.string(), fields: list(v.tuple([shown, shown])) })),
    next: v.exactOptional(v.string()),
    total: v.number(),
    groups: list(v.object({ name: v.string(), consumers: v.number(), pending: v.number(), lastId: v.string() })),
  }),
  v.object({ type: v.literal('none') }),
]);

const fieldText = v.pipe(v.string(), v.maxLength(MAX_TEXT));
const memberEdit = v.union([
  v.strictObject({ type: v.literal('string'), value: fieldText }),
  v.strictObject({ type: v.literal('hash'), op: v.literal('set'), field: fieldText, value: fieldText }),
  v.strictObject({ type: v.literal('hash'), op: v.literal('delete'), field: bytes }),
  v.strictObject({ type: v.literal('list'), op: v.literal('push'), value: fieldText }),
  v.strictObject({ type: v.literal('list'), op: v.literal('set'), index: v.pipe(v.number(), v.integer()), expected: bytes, value: fieldText }),
  v.strictObject({ type: v.literal('list'), op: v.literal('delete'), index: v.pipe(v.number(), v.integer()), expected: bytes }),
  v.strictObject({ type: v.literal('set'), op: v.literal('add'), member: fieldText }),
  v.strictObject({ type: v.literal('set'), op: v.literal('delete'), member: bytes }),
  v.strictObject({ type: v.literal('zset'), op: v.literal('add'), member: fieldText, score: v.number() }),
  v.strictObject({ type: v.literal('zset'), op: v.literal('delete'), member: bytes }),
  v.strictObject({ type: v.literal('stream'), op: v.literal('add'), id: v.exactOptional(v.pipe(v.string(), v.maxLength(64))), fields: v.pipe(v.array(v.tuple([fieldText, fieldText])), v.maxLength(1024), v.readonly()) }),
  v.strictObject({ type: v.literal('stream'), op: v.literal('delete'), id: v.pipe(v.string(), v.maxLength(64)) }),
]);

/** A key the webview acts on: its exact name, and the row it was shown on (checked against the name) if any. */
const target = { key: keyRef, row: v.nullable(count) };
const generation = v.number();
/** What a delete did, or (nothing deleted) the question to ask first. */
const deleted = v.object({ deleted: v.number(), ask: v.exactOptional(question) });

export const browserProtocol = protocol({
  init: v.object({
    name: v.string(),
    db: v.number(),
    readOnly: v.boolean(),
    delimiter: v.string(),
    pageSize: v.number(),
    scan: scanState,
    view,
    lines: v.number(),
    groups,
    /** What the view showed before it was hidden, with lines where its items are drawn now (-1: not drawn). */
    restored: v.nullable(v.object({ memory, selected: list(v.number()), focused: v.number(), top: v.number() })),
  }),
  requests: {
    /** Starts a scan (the old one's keys are dropped); resolves once it runs, rejects if it cannot start. */
    scan: request(v.object({ match: text, keyType }), scanState),
    pause: request(NONE, scanState),
    resume: request(NONE, scanState),
    cancel: request(NONE, scanState),
    /** Shows the list (whole or one prefix group) or the tree; narrowing ten million keys takes a moment. */
    show: request(view, v.object({ lines: v.number(), groups }), 120_000),
    window: request(v.object({ generation, start: count, count: v.pipe(count, v.maxValue(MAX_WINDOW)) }), v.object({ generation, lines: v.number(), items: list(line) })),
    toggle: request(v.object({ generation, folder: count, expanded: v.boolean() }), v.object({ lines: v.number() })),
    metadata: request(v.object({ generation, rows }), list(v.object({ row: v.number(), meta }))),
    /** Where items are drawn now (-1: not drawn): for keeping a selection on its keys as lines move. */
    locate: request(v.object({ generation, items: v.pipe(v.array(item), v.maxLength(MAX_ROWS), v.readonly()) }), list(v.number())),
    value: request(v.object({ ...target, cursor: v.exactOptional(v.pipe(v.string(), v.maxLength(64))), offset: v.exactOptional(count) }), v.object({ page: valuePage, meta })),
    saveString: request(v.object({ ...target, text: fieldText, expected: fieldText }), v.object({ result: v.picklist(['saved', 'conflict']) })),
    /** A string decoded (compression taken off, a format read as a structure), detected or as chosen. */
    decoded: request(v.object({ key: keyRef, choice: codecChoice }), decoded, 60_000),
    /** An edited decoded text written back through the same compression, only if the value still decodes to `expected`. */
    saveDecoded: request(v.object({ ...target, choice: codecChoice, text: fieldText, expected: fieldText }), v.object({ result: v.picklist(['saved', 'conflict']) }), 60_000),
    /**
     * Deletes the keys on the given rows of the scan. Without `confirmed` nothing is deleted: the answer is the
     * question naming them, whose ticket the same request carries once the user said yes (src/panels/ipc/questions.ts).
     */
    deleteRows: request(v.object({ generation, rows, confirmed: ticket }), deleted),
    delete: request(v.object({ ...target, confirmed: ticket }), deleted),
    /** A name in use is not replaced: the answer is the question asking to, whose ticket the same request then carries. */
    rename: request(v.object({ ...target, to: text, confirmed: ticket }), v.object({ renamed: v.boolean(), ask: v.exactOptional(question) })),
    /** Seconds from 1; 0 or less deletes the key, as that is what it would do, so it is asked about as a delete first. */
    expire: request(v.object({ ...target, seconds: v.number(), confirmed: ticket }), v.object({ done: v.boolean(), deleted: v.boolean(), ask: v.exactOptional(question) })),
    persist: request(v.object(target), v.object({ done: v.boolean() })),
    openInEditor: request(v.object({ key: keyRef, field: v.exactOptional(bytes) }), NONE),
    /** Opens the consumer groups of a stream key in a panel of their own. */
    streamGroups: request(v.object({ key: keyRef }), NONE),
    /** `moved`: the list item is no longer the one shown; nothing changed. A removal is asked about first, with a ticket. */
    edit: request(v.object({ ...target, edit: memberEdit, confirmed: ticket }), v.object({ changed: v.number(), moved: v.boolean(), ask: v.exactOptional(question) })),
    create: request(v.object({ key: text, first: memberEdit }), v.object({ row: v.nullable(v.number()) })),
    /** Counts first and answers with the question saying how many; with its ticket, UNLINKs them in batches. */
    deleteMatching: request(v.object({ pattern: text, confirmed: ticket }), v.object({ deleted: v.number(), cancelled: v.boolean(), ask: v.exactOptional(question) }), 24 * 3600_000),
  },
  commands: {
    /** What the view shows, for when it comes back after being hidden. */
    remember: command(memory),
  },
  notifications: {
    /** The scan moved on (at most a few times a second), or ended. */
    state: notification(v.object({ scan: scanState, lines: v.number(), groups: v.exactOptional(groups) })),
  },
});
