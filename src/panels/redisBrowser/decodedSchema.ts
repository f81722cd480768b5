/**
 * A decoded value as the key browser's channel carries it (the driver's Decoded, see src/drivers/codecs/shapes.ts),
 * checked by the webview like every answer. A structure nests, so its node schema is recursive.
 */
import * as v from 'valibot';
import { CODEC_CHOICES, COMPRESSIONS, FORMATS } from '../../drivers/codecs/shapes';
import type { StructNode } from '../../drivers/codecs/shapes';
import { list } from '../ipc/protocol';

export const codecChoice = v.picklist(CODEC_CHOICES);
const codec = v.picklist([...COMPRESSIONS, ...FORMATS]);
const format = v.picklist(FORMATS);

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

export const decoded = v.object({
  layers: list(codec),
  view: decodedView,
  size: v.number(),
  editable: v.boolean(),
  note: v.string(),
});
