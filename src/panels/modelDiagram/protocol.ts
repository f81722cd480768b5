/** The association diagram's channel: it takes no requests, the handshake brings the whole graph. */
import * as v from 'valibot';
import { protocol } from '../ipc/protocol';

const column = v.object({ name: v.string(), type: v.string(), primaryKey: v.boolean(), foreignKey: v.boolean() });
const model = v.object({ name: v.string(), table: v.string(), junction: v.boolean(), view: v.boolean(), columns: v.array(column) });
/** A foreign key (belongsTo, drawn from the table holding the key) or a many-to-many through a junction table. */
const edge = v.object({ from: v.string(), to: v.string(), kind: v.picklist(['belongsTo', 'belongsToMany']), label: v.string() });

export type DiagramModel = v.InferOutput<typeof model>;
export type DiagramEdge = v.InferOutput<typeof edge>;

export const diagramProtocol = protocol({
  init: v.object({ title: v.string(), models: v.array(model), edges: v.array(edge) }),
  requests: {},
  commands: {},
  notifications: {},
});
