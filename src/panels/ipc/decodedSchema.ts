/**
 * A decoded value as the Redis and Memcached key browsers' channels carry it (the driver's Decoded, see
 * src/drivers/codecs/shapes.ts), checked by the webview like every answer. A structure nests, so its node schema is recursive.
 */
import * as v from 'valibot';
import { CODEC_CHOICES, COMPRESSIONS, FORMATS } from '../../drivers/codecs/shapes';
import type { StructNode } from '../../drivers/codecs/shapes';
import { list } from './protocol';

export const codecChoice = v.picklist(CODEC_CHOICES);
const codec = v.picklist([...COMPRESSIONS, ...FORMATS]);
const format = v.picklist(FORMATS);
const compression = v.picklist(COMPRESSIONS);
const setting = v.pipe(v.number(), v.integer());

/** One node of a structure: the driver bounds its size and depth (structure.ts), so walking it here stays bounded. */
const structNode: v.GenericSchema<StructNode> = v.lazy(() =>
  v.object({
    type: v.string(),
    value: v.exactOptional(v.string()),
    entries: v.exactOptional(list(v.object({ key: v.string(), node: structNode }))),
  }),
);

const decodedView = v.variant('kind', [
  v.object({ kind: v.literal('text'), text: v.string(), json: v.boolean() }),
  v.object({ kind: v.literal('bytes'), text: v.string() }),
  v.object({ kind: v.literal('structure'), format, root: structNode, version: v.exactOptional(v.number()) }),
]);

const recipe = v.variant('codec', [
  v.object({ codec: v.picklist(['gzip', 'deflate-raw']), level: setting }),
  v.object({ codec: v.literal('zlib'), level: setting, windowBytes: v.exactOptional(setting) }),
  v.object({ codec: v.literal('brotli'), quality: setting }),
  v.object({ codec: v.picklist(['lz4', 'snappy']) }),
]);

/** Why it is read-only or how an edit is stored, as facts: the webview words them (webview/shared/decodedNote.ts). */
const note = v.variant('kind', [
  v.object({ kind: v.literal('plain') }),
  v.object({ kind: v.literal('bytes') }),
  v.object({ kind: v.literal('structure'), format }),
  v.object({ kind: v.literal('unreproducible'), layers: list(compression) }),
  v.object({ kind: v.literal('recompressed'), exact: v.boolean(), recipes: list(recipe), layers: list(compression) }),
]);

export const decoded = v.object({
  layers: list(codec),
  view: decodedView,
  size: v.number(),
  editable: v.boolean(),
  note,
});
