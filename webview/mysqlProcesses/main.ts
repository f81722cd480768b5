import './main.css';
import * as l10n from '@vscode/l10n';
import { ProcessItem, processesProtocol } from '../../src/panels/mysqlProcesses/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport } from '../shared/vscodeApi';
import { button } from '../shared/dom';
import { duration } from '../shared/units';
import { askedFirst } from '../shared/confirm';
import { ServerList } from '../shared/serverList';
import { notOpened } from '../shared/problem';

const app = document.getElementById('app')!;
let readOnly = false;

const killQuery = button(l10n.t('Kill Query…'), { secondary: true });
const killConnection = button(l10n.t('Kill Connection…'), { secondary: true });

const client = new PanelClient(processesProtocol, vscodeTransport(), {
  state: (state) => list.show(state.processes, state.readAt, state.error),
});

const list = new ServerList<ProcessItem>({
  columns: [l10n.t('ID'), l10n.t('User'), l10n.t('Host'), l10n.t('Database'), l10n.t('Command'), l10n.t('Time'), l10n.t('State'), l10n.t('Statement')],
  label: l10n.t('Processes'),
  cells: (p) => [String(p.id), p.user, p.host, p.db ?? '', p.command, duration(p.timeSeconds * 1000), p.state ?? '', `${p.own ? `${l10n.t('(this Switchboard)')} ` : ''}${p.info ?? ''}`],
  tooltip: (p) => p.info ?? '',
  key: (row) => String(row.id),
  filter: { placeholder: l10n.t('filter by user, host, database, command, state, statement'), label: l10n.t('Filter processes'), text: (p) => `${p.id} ${p.user} ${p.host} ${p.db ?? ''} ${p.command} ${p.state ?? ''} ${p.info ?? ''}` },
  auto: true,
  counted: (shown, total) => (shown === total ? l10n.t('{0} connections', total) : l10n.t('{0} of {1} connections', shown, total)),
  actions: [killQuery, killConnection],
  refresh: () => client.request('refresh', {}),
  onFocus: () => {
    killQuery.disabled = readOnly || !list.focused;
    killConnection.disabled = readOnly || !list.focused;
  },
});

async function kill(what: 'query' | 'connection'): Promise<unknown> {
  const target = list.focused;
  if (!target) return undefined;
  list.notice.textContent = '';
  // The host words the question from the process it listed, and kills only with that question's ticket.
  const answer = await askedFirst(list.questions, (ticket) => client.request('kill', { id: target.id, what, ...ticket }));
  if (!answer) return undefined;
  list.notice.textContent = answer.killed ? l10n.t('Connection {0}: killed.', target.id) : l10n.t('Connection {0} had already gone.', target.id);
  return answer.killed;
}

function render(init: Init<typeof processesProtocol>): void {
  readOnly = init.readOnly;
  if (readOnly) {
    const refusal = l10n.t('This connection is read-only: killing queries and connections is refused.');
    killQuery.title = refusal;
    killConnection.title = refusal;
  }
  killQuery.addEventListener('click', () => list.run(() => kill('query')));
  killConnection.addEventListener('click', () => list.run(() => kill('connection')));
  app.replaceChildren(...list.element(l10n.t('{0}: processes', init.name)));
  list.show(init.state.processes, init.state.readAt, init.state.error);
}

void client.ready().then(render, (error: unknown) => notOpened(app, error));
