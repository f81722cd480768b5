/**
 * The Memcached key browser's channel. The listing lives on the host (packed, see KeyStore); the webview asks for
 * the window of rows it draws, and hears how many keys match while the listing runs. The host also keeps the
 * filter and the listing's outcome, so a panel that was hidden comes back as it was.
 */
import * as v from 'valibot';
import { command, list, NONE, notification, protocol, request } from '../ipc/protocol';
import { question, ticket } from '../ipc/question';
import { codecChoice, decoded } from '../ipc/decodedSchema';

/** Memcached keys are 1 to 250 bytes (the driver checks the rest of the rule). */
export const memcachedKey = v.pipe(v.string(), v.minLength(1, 'Name the key.'), v.maxBytes(250, (issue) => `Memcached keys are at most 250 bytes; this one is ${issue.received}.`));
const MAX_UINT32 = 2 ** 32 - 1;
export const flags = v.pipe(v.number('Flags are a number.'), v.integer('Flags are a whole number.'), v.minValue(0, 'Flags are 0 or more.'), v.maxValue(MAX_UINT32, `Flags are at most ${MAX_UINT32}.`));
/** Seconds from now (0: never); past 30 days memcached reads the number as a Unix time. */
export const ttlSeconds = v.pipe(v.number('A TTL is a number of seconds.'), v.integer('A TTL is a whole number of seconds.'), v.minValue(0, 'A TTL is 0 (never expires) or more seconds.'), v.maxValue(2 ** 31 - 1, 'That TTL is too large.'));
const server = v.pipe(v.string(), v.maxLength(300));
const value = v.pipe(v.string(), v.maxLength(64 * 1024 * 1024));
const casToken = v.pipe(v.string(), v.regex(/^\d{1,20}$/));

/** A row as the list draws it. */
const row = v.object({
  /** Where the key sits in the host's listing, so that an action on it need not search a million keys. */
  index: v.number(),
  key: v.string(),
  server: v.number(),
  size: v.number(),
  expiry: v.number(),
  lastAccess: v.exactOptional(v.number()),
  slabClass: v.exactOptional(v.number()),
});
export type KeyRow = v.InferOutput<typeof row>;
/** A listed key named the way a write needs it, with its row index as a hint. */
const target = v.object({ key: memcachedKey, server, index: v.exactOptional(v.number()) });

/** The filter: a substring of the key, and a prefix group (`null`: keys without a prefix). */
const filter = v.object({ text: v.pipe(v.string(), v.maxLength(1000)), group: v.exactOptional(v.nullable(v.pipe(v.string(), v.maxLength(1000)))) });
export type ViewFilter = v.InferOutput<typeof filter>;

const readNote = v.variant('kind', [
  v.object({ kind: v.literal('inflated') }),
  v.object({ kind: v.literal('inflateTooLarge'), limitMiB: v.number() }),
  v.object({ kind: v.literal('inflateFailed') }),
  v.object({ kind: v.literal('pickle') }),
  v.object({ kind: v.literal('pickleUnreadable'), reason: v.string() }),
  v.object({ kind: v.literal('integer'), flag: v.number() }),
  v.object({ kind: v.literal('notText'), size: v.number() }),
  v.object({ kind: v.literal('cut'), shown: v.number(), size: v.number() }),
  v.object({ kind: v.literal('json') }),
  v.object({ kind: v.literal('text'), flagged: v.boolean() }),
]);

const item = v.object({
  key: v.string(), server: v.string(), mappedServer: v.string(), flags: v.number(), cas: v.string(), size: v.number(),
  /** Seconds left, -1 never; absent when the server cannot say. */
  ttl: v.exactOptional(v.number()),
  format: v.picklist(['text', 'json', 'integer', 'pickle', 'binary']), display: v.string(), notes: list(readNote), editable: v.boolean(),
});
export type ItemDetails = v.InferOutput<typeof item>;

const serverListing = v.object({ server: v.string(), method: v.picklist(['metadump', 'cachedump']), listed: v.number(), capped: v.boolean(), serverItems: v.exactOptional(v.number()) });
export type ServerListing = v.InferOutput<typeof serverListing>;
const failure = v.object({ message: v.string(), code: v.exactOptional(v.string()), hint: v.exactOptional(v.string()) });
const listing = v.object({
  /** Raised by each new listing. */
  generation: v.number(),
  running: v.boolean(),
  /** Keys listed and not deleted since. */
  keys: v.number(),
  elapsedMs: v.number(),
  servers: list(serverListing),
  cancelled: v.boolean(),
  error: v.exactOptional(failure),
});
export type ListingState = v.InferOutput<typeof listing>;
const view = v.object({ id: v.number(), count: v.number(), filter });
export type ViewState = v.InferOutput<typeof view>;
const groups = v.object({ groups: list(v.object({ name: v.string(), count: v.number() })), ungrouped: v.number(), other: v.number() });
export type GroupCounts = v.InferOutput<typeof groups>;

/** Positions of a view, as [start, end) ranges: a selection of a million keys is one range. */
const ranges = v.pipe(list(v.tuple([v.pipe(v.number(), v.integer()), v.pipe(v.number(), v.integer())])), v.maxLength(100_000));
/** `deleted`: the server said it deleted them; `removed`: no longer held (deleted, or already gone); `cancelled`: the user said no or stopped it. */
/** What a delete did, or (nothing deleted) the question to ask first. */
const deleted = v.object({ deleted: v.number(), asked: v.number(), removed: v.number(), cancelled: v.boolean(), ask: v.exactOptional(question) });

/** Rows one window request may ask for. */
export const MAX_WINDOW = 1000;

export const browserProtocol = protocol({
  init: v.object({ name: v.string(), readOnly: v.boolean(), servers: list(v.string()), cap: v.number(), listing, view, groups }),
  requests: {
    /** Rows [start, start + count) of view `view`; refused once that view has been replaced. */
    window: request(v.object({ view: v.number(), start: v.pipe(v.number(), v.integer(), v.minValue(0)), count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_WINDOW)) }), v.object({ rows: list(row) })),
    filter: request(filter, view),
    /** Where a key is in the current view (-1: not in it), to select it again after a new listing. */
    locate: request(target, v.object({ view: v.number(), position: v.number() })),
    get: request(target, v.object({ item: v.exactOptional(item) })),
    save: request(v.object({ target, cas: casToken, flags, text: value }), v.object({ result: v.picklist(['saved', 'conflict', 'gone']), item: v.exactOptional(item) })),
    /** The item decoded by the shared codecs: by its flags first ('auto', `decoded` absent where they read it), or as chosen. */
    decoded: request(v.object({ target, choice: codecChoice }), v.object({ decoded: v.exactOptional(decoded) }), 60_000),
    /** An edited decoded text written back through the same compression, only if the item is still the one read at `cas`. */
    saveDecoded: request(v.object({ target, cas: casToken, choice: codecChoice, text: value, expected: value }), v.object({ result: v.picklist(['saved', 'conflict', 'gone']) }), 60_000),
    /**
     * Deletes the listed keys at these view positions. Without `confirmed` nothing is deleted: the answer is the
     * question naming them; the same request with its ticket deletes exactly the keys it named and counted.
     */
    delete: request(v.object({ view: v.number(), ranges, confirmed: ticket }), deleted, 60 * 60_000),
    /** Deletes the item the value pane shows, asked about first in the same way. */
    deleteItem: request(v.object({ ...target.entries, confirmed: ticket }), deleted),
    create: request(v.object({ key: memcachedKey, text: value, flags, ttl: ttlSeconds, mode: v.picklist(['set', 'add']) }), v.object({ stored: v.boolean(), server: v.string() })),
    counter: request(v.object({ target, op: v.picklist(['incr', 'decr']), delta: v.pipe(v.string(), v.regex(/^\d{1,20}$/)) }), v.object({ item: v.exactOptional(item) })),
    touch: request(v.object({ target, ttl: ttlSeconds }), v.object({ item: v.exactOptional(item) })),
  },
  commands: { list: command(NONE), cancelList: command(NONE) },
  notifications: {
    listing: notification(listing),
    /** The view grew (keys arrived) or was replaced (a new filter, a delete, a new listing). */
    view: notification(view),
    groups: notification(groups),
  },
});
