/** What a decoded value looks like to the UI: plain data, no Node types, shared by Redis and Memcached. */

/** The largest stored value read for decoding (here, not in decode.ts, so the webview can tell before it asks). */
export const MAX_STORED_BYTES = 16 * 2 ** 20;

/** The layers a value can be made of: compression around bytes, or a serialization format. */
export const COMPRESSIONS = ['gzip', 'zlib', 'deflate-raw', 'brotli', 'lz4', 'snappy'] as const;
export const FORMATS = ['msgpack', 'php', 'java', 'pickle'] as const;
export type Compression = (typeof COMPRESSIONS)[number];
export type Format = (typeof FORMATS)[number];
export type Codec = Compression | Format;
/** What the user picks: detected, a codec to start with, or the bytes as they are. */
export type CodecChoice = 'auto' | 'none' | Codec;
export const CODEC_CHOICES: readonly CodecChoice[] = ['auto', 'none', ...COMPRESSIONS, ...FORMATS];

/**
 * One node of a decoded structure: a scalar with its text, or a container with its entries. Objects of a language's
 * classes stay descriptions (`type` "object" with the class name in `value`): nothing is ever instantiated or called.
 */
export interface StructNode {
  /** str, bytes, int, float, bool, null, list, tuple, dict, set, object, call, global, reference, … */
  readonly type: string;
  readonly value?: string;
  readonly entries?: readonly StructEntry[];
}

export interface StructEntry {
  readonly key: string;
  readonly node: StructNode;
}

export type DecodedView =
  | { readonly kind: 'text'; readonly text: string; readonly json: boolean }
  | { readonly kind: 'bytes'; readonly text: string }
  | { readonly kind: 'structure'; readonly format: Format; readonly root: StructNode; readonly version?: number };

export interface Decoded {
  /** The layers taken off, outermost first (empty: the value as stored). */
  readonly layers: readonly Codec[];
  readonly view: DecodedView;
  /** Bytes after the last layer. */
  readonly size: number;
  /** Whether an edited text can be written back through the same layers, byte for byte as the writer made them. */
  readonly editable: boolean;
  /** Why it is read-only, or how it will be written back: facts the UI words. */
  readonly note: DecodedNote;
}

/**
 * How one compression layer is written again when an edit is saved: the writer's setting as found (or as its header
 * announces). gzip keeps the stored header (name, time, OS); zlib names its window where it is not the default.
 */
export type Recipe =
  | { readonly codec: 'gzip' | 'deflate-raw'; readonly level: number }
  | { readonly codec: 'zlib'; readonly level: number; readonly windowBytes?: number }
  | { readonly codec: 'brotli'; readonly quality: number }
  | { readonly codec: 'lz4' | 'snappy' };

/**
 * Why a decoded value is read-only, or how an edit of it is stored. `plain`: text as stored; `bytes`: not text;
 * `structure`: a format read, never written; `unreproducible`: compression whose settings cannot be made again;
 * `recompressed`: compressed again with `recipes` (outermost first), byte for byte (`exact`) or in the same format.
 */
export type DecodedNote =
  | { readonly kind: 'plain' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'structure'; readonly format: Format }
  | { readonly kind: 'unreproducible'; readonly layers: readonly Compression[] }
  | { readonly kind: 'recompressed'; readonly exact: boolean; readonly recipes: readonly Recipe[]; readonly layers: readonly Compression[] };
