import * as vscode from 'vscode';
import type { MySqlSession } from '../../drivers/mysql';
import type { ModelOutline } from '../../drivers/mysql/ormShapes';
import { MySqlProfile } from '../../drivers/types';
import { Disposable } from '../../core/disposable';
import { Log } from '../../core/log';
import { SessionManager } from '../../core/sessionManager';
import { PanelView } from '../panelView';
import { MAX_SHOWN, ormProtocol } from './protocol';
import { explainTarget, MySqlExplainPanel } from '../mysqlExplain/mysqlExplainPanel';
import { DriverError } from '../../drivers/errors';
import type { ResultOf } from '../ipc/protocol';

type Ran = ResultOf<(typeof ormProtocol)['requests']['run']>;

/**
 * Builds Sequelize queries on the models of one database: the SQL is shown before it runs; the instances it finds
 * are shown below it, one row each, their to-many associations nested. The form is the webview's (remembered while
 * hidden); the models and the last results come from the host with every handshake.
 */
export class OrmBuilderPanel extends Disposable {
  private readonly view: PanelView<typeof ormProtocol>;
  /** What the last run found, shown again when the panel comes back after being hidden. */
  private last: Ran | undefined;

  constructor(extensionUri: vscode.Uri, log: Log, profile: MySqlProfile, database: string, sessions: SessionManager, model?: string) {
    super();
    const session = (): Promise<MySqlSession> => sessions.session(profile);
    this.view = this.register(new PanelView(this, extensionUri, log, { viewType: 'switchboard.ormBuilder', entry: 'ormBuilder', title: vscode.l10n.t('{0} · {1}: ORM query', profile.name, database), icon: 'symbol-class' }, ormProtocol, {
      ready: async () => {
        const graph = await (await session()).modelGraph(database);
        const models: ModelOutline[] = graph.models.map((m) => ({
          name: m.name, table: m.table, attributes: m.attributes.map((a) => a.name),
          associations: graph.associations.filter((a) => a.source === m.name).map((a) => ({ as: a.as, kind: a.kind, target: a.target })),
        }));
        return { title: `${profile.name} · ${database}`, models, readOnly: profile.readOnly, ...(model ? { model } : {}), ...(this.last ? { last: this.last } : {}) };
      },
      requests: {
        preview: async ({ query }) => ({ sql: await (await session()).previewOrm(database, query) }),
        explain: async ({ query }) => {
          const live = await session();
          // findAndCountAll sends a COUNT first: the plan that matters is the last statement's, which reads the rows.
          const statement = (await live.previewOrm(database, query)).at(-1);
          if (!statement) throw new DriverError('config', vscode.l10n.t('The query sends no SQL to explain.'));
          const panel = new MySqlExplainPanel(extensionUri, log, await explainTarget(live, profile, database, statement), sessions);
          await panel.run('explain', false);
          return {};
        },
        run: async ({ query }) => {
          const result = await (await session()).runOrm(database, query);
          // Shown here, not in the SQL grid: a row per instance with its to-many associations nested in a cell.
          const table = { columns: result.columns, rows: result.rows.slice(0, MAX_SHOWN), nested: result.nested.filter((n) => n.row < MAX_SHOWN) };
          this.last = { sql: result.sql, rows: result.rows.length, ...(result.count === undefined ? {} : { count: result.count }), table };
          return this.last;
        },
      },
      commands: {},
    }));
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }
}
