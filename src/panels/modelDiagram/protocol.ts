/** Messages between the association diagram webview and the extension. Imported by both sides. */

export interface DiagramModel {
  readonly name: string;
  readonly table: string;
  readonly junction: boolean;
  readonly view: boolean;
  readonly columns: readonly { readonly name: string; readonly type: string; readonly primaryKey: boolean; readonly foreignKey: boolean }[];
}

/** A foreign key (belongsTo, drawn from the table holding the key) or a many-to-many through a junction table. */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'belongsTo' | 'belongsToMany';
  readonly label: string;
}

export type ToDiagram = { readonly type: 'init'; readonly title: string; readonly models: readonly DiagramModel[]; readonly edges: readonly DiagramEdge[] };
export type ToHost = { readonly type: 'ready' };
