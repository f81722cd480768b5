import * as vscode from 'vscode';
import type { MySqlSession } from '../../drivers/mysql';
import type { ModelOutline } from '../../drivers/mysql/ormShapes';
import { MySqlProfile } from '../../drivers/types';
import { SessionManager } from '../../core/sessionManager';
import { RequestPanel } from '../requestPanel';
import { SqlResultsPanel } from '../sqlResults/sqlResultsPanel';
import { OrmRequest, OrmResponse, ToOrm } from './protocol';

/** Builds Sequelize queries on the models of one database: the SQL is shown before it runs; rows go to the grid. */
export class OrmBuilderPanel extends RequestPanel<OrmRequest, OrmResponse, ToOrm> {
  constructor(private readonly extensionUri: vscode.Uri, private readonly profile: MySqlProfile, private readonly database: string, private readonly sessions: SessionManager, private readonly model?: string) {
    super(extensionUri, 'switchboard.ormBuilder', 'ormBuilder', `${profile.name} · ${database}: ORM query`, 'symbol-class');
  }

  private session(): Promise<MySqlSession> {
    return this.sessions.session(this.profile).then((s) => s as MySqlSession);
  }

  protected async init(): Promise<void> {
    const graph = await (await this.session()).modelGraph(this.database);
    const models: ModelOutline[] = graph.models.map((m) => ({
      name: m.name, table: m.table, attributes: m.attributes.map((a) => a.name),
      associations: graph.associations.filter((a) => a.source === m.name).map((a) => ({ as: a.as, kind: a.kind, target: a.target })),
    }));
    await this.post({ type: 'init', title: `${this.profile.name} · ${this.database}`, models, ...(this.model ? { model: this.model } : {}) });
  }

  protected async answer(request: OrmRequest): Promise<OrmResponse> {
    const session = await this.session();
    if (request.type === 'preview') return { sql: await session.previewOrm(this.database, request.query) };
    const result = await session.runOrm(this.database, request.query);
    const title = `${request.query.model}.${request.query.method}${result.count === undefined ? '' : ` — count ${result.count}`}`;
    const results = SqlResultsPanel.show(this.extensionUri, this.profile, this.sessions);
    await results.showRows(title, result.sql, result.columns, result.rows.map((r) => [...r]), result.ms);
    return { sql: result.sql, rows: result.rows.length, ...(result.count === undefined ? {} : { count: result.count }) };
  }
}
