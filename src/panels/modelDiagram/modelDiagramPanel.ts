import * as vscode from 'vscode';
import { MySqlProfile } from '../../drivers/types';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { DiagramEdge, DiagramModel, diagramProtocol } from './protocol';

/** The models of a database as boxes, with their foreign keys and junction tables as lines. */
export class ModelDiagramPanel extends Disposable {
  private readonly view: PanelView<typeof diagramProtocol>;
  readonly panel: vscode.WebviewPanel;

  constructor(extensionUri: vscode.Uri, log: Log, private readonly profile: MySqlProfile, private readonly database: string, private readonly sessions: SessionManager) {
    super();
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.modelDiagram', entry: 'modelDiagram', title: vscode.l10n.t('{0} · {1}: associations', profile.name, database), icon: 'type-hierarchy' }, diagramProtocol, {
      ready: () => this.graph(),
      requests: {},
      commands: {},
    }));
    this.panel = this.view.panel;
  }

  private async graph() {
    const graph = await (await this.sessions.session(this.profile)).modelGraph(this.database);
    const keys = new Set(graph.associations.filter((a) => a.kind === 'belongsTo').map((a) => `${a.source}.${a.foreignKey}`));
    const models: DiagramModel[] = graph.models.map((m) => ({
      name: m.name, table: m.table, junction: m.junction, view: m.view,
      columns: m.attributes.map((a) => ({ name: a.name, type: a.columnType, primaryKey: a.primaryKey, foreignKey: keys.has(`${m.name}.${a.name}`) })),
    }));
    // Each many-to-many appears twice in the graph (once from each side); draw it once.
    const edges: DiagramEdge[] = graph.associations
      .filter((a) => a.kind === 'belongsTo' || (a.kind === 'belongsToMany' && a.source < a.target))
      .map((a) => ({ from: a.source, to: a.target, kind: a.kind === 'belongsTo' ? 'belongsTo' : 'belongsToMany', label: a.kind === 'belongsTo' ? a.foreignKey : `through ${a.through ?? ''}` }));
    return { title: `${this.profile.name} · ${this.database}`, models, edges };
  }
}
