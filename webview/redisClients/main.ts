import './main.css';
import * as l10n from '@vscode/l10n';
import { ClientRow, clientsProtocol } from '../../src/panels/redisClients/protocol';
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

const kill = button(l10n.t('Kill Client…'), { secondary: true });

const client = new PanelClient(clientsProtocol, vscodeTransport(), {
  state: (state) => list.show(state.clients, state.readAt, state.error),
});

const list = new ServerList<ClientRow>({
  columns: [l10n.t('ID'), l10n.t('Address'), l10n.t('Name'), l10n.t('DB'), l10n.t('Age'), l10n.t('Idle'), l10n.t('Command'), l10n.t('Flags'), l10n.t('User')],
  label: l10n.t('Clients'),
  cells: (c) => [c.id, c.addr, c.name, String(c.db), duration(c.ageSeconds * 1000), duration(c.idleSeconds * 1000), c.cmd, c.flags, c.own ? l10n.t('{0} (this Switchboard)', c.user) : c.user],
  tooltip: (c) => (c.name ? l10n.t('{0} "{1}" on {2}', c.addr, c.name, c.server) : l10n.t('{0} on {1}', c.addr, c.server)),
  key: (row) => `${row.server} ${row.id}`,
  filter: { placeholder: l10n.t('filter by address, name, command, user'), label: l10n.t('Filter clients'), text: (c) => `${c.addr} ${c.name} ${c.cmd} ${c.user} ${c.flags}` },
  auto: false,
  counted: (shown, total) => (shown === total ? l10n.t('{0} clients', total) : l10n.t('{0} of {1} clients', shown, total)),
  actions: [kill],
  refresh: () => client.request('refresh', {}),
  onFocus: () => {
    const focused = list.focused;
    kill.disabled = readOnly || !focused;
    kill.textContent = focused ? l10n.t('Kill Client {0}…', focused.id) : l10n.t('Kill Client…');
  },
});

async function killFocused(): Promise<unknown> {
  const target = list.focused;
  if (!target) return undefined;
  list.notice.textContent = '';
  // The host words the question from the client it listed, and kills only with that question's ticket.
  const answer = await askedFirst(list.questions, (ticket) => client.request('kill', { id: target.id, server: target.server, ...ticket }));
  if (!answer) return undefined;
  list.notice.textContent = answer.killed ? l10n.t('Client {0}: killed.', target.id) : l10n.t('Client {0} had already gone.', target.id);
  return answer.killed;
}

function render(init: Init<typeof clientsProtocol>): void {
  readOnly = init.readOnly;
  if (readOnly) kill.title = l10n.t('This connection is read-only: killing clients is refused.');
  kill.addEventListener('click', () => list.run(killFocused));
  app.replaceChildren(...list.element(l10n.t('{0}: clients', init.name)));
  list.show(init.state.clients, init.state.readAt, init.state.error);
}

void client.ready().then(render, (error: unknown) => notOpened(app, error));
