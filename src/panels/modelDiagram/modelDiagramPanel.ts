import * as vscode from 'vscode';
import type { MySqlSession } from '../../drivers/mysql';
import { MySqlProfile } from '../../drivers/types';
import { SessionManager } from '../../core/sessionManager';
import { RequestPanel } from '../requestPanel';
import { DiagramEdge, DiagramModel, ToDiagram } from './protocol';

/** The models of a database as boxes, with their foreign keys and junction tables as lines. */
export class ModelDiagramPanel extends RequestPanel<never, never, ToDiagram> {
  constructor(extensionUri: vscode.Uri, private readonly profile: MySqlProfile, private readonly database: string, private readonly sessions: SessionManager) {
    super(extensionUri, 'switchboard.modelDiagram', 'modelDiagram', `${profile.name} · ${database}: associations`, 'type-hierarchy');
  }

  protected async init(): Promise<void> {
    const graph = await ((await this.sessions.session(this.profile)) as MySqlSession).modelGraph(this.database);
    const keys = new Set(graph.associations.filter((a) => a.kind === 'belongsTo').map((a) => `${a.source}.${a.foreignKey}`));
    const models: DiagramModel[] = graph.models.map((m) => ({
      name: m.name, table: m.table, junction: m.junction, view: m.view,
      columns: m.attributes.map((a) => ({ name: a.name, type: a.columnType, primaryKey: a.primaryKey, foreignKey: keys.has(`${m.name}.${a.name}`) })),
    }));
    // Each many-to-many appears twice in the graph (once from each side); draw it once.
    const edges: DiagramEdge[] = graph.associations
      .filter((a) => a.kind === 'belongsTo' || (a.kind === 'belongsToMany' && a.source < a.target))
      .map((a) => ({ from: a.source, to: a.target, kind: a.kind === 'belongsTo' ? 'belongsTo' : 'belongsToMany', label: a.kind === 'belongsTo' ? a.foreignKey : `through ${a.through ?? ''}` }));
    await this.post({ type: 'init', title: `${this.profile.name} · ${this.database}`, models, edges });
  }

  protected answer(): Promise<never> {
    return Promise.reject(new Error('The diagram takes no requests.'));
  }
}
