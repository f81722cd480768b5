import type { OrmTable } from '../../src/drivers/mysql/ormShapes';
import * as l10n from '@vscode/l10n';
import { el, shownText } from '../shared/dom';

/**
 * A result of the builder as a table, one row per model instance. A to-many association is a cell saying how many
 * instances it holds ("2 orders ▸"); pressing it opens them as a table of their own under the row, nested as deep as
 * the includes went. Server data is written as text only.
 */
export function resultTable(table: OrmTable, label: string): HTMLTableElement {
  const body = el('tbody');
  table.rows.forEach((row, r) => {
    const line = el('tr');
    row.forEach((cell, c) => {
      const nested = table.nested.find((n) => n.row === r && n.column === c);
      if (!nested) {
        line.append(el('td', { text: cell ?? 'NULL', ...(cell === null ? { className: 'null' } : {}) }));
        return;
      }
      const toggle = el('button', { className: 'nest-toggle', text: `${cell ?? ''} ▸`, attrs: { type: 'button', 'aria-expanded': 'false', title: l10n.t('{0} instances of this row', nested.model) } });
      let opened: HTMLTableRowElement | undefined;
      toggle.addEventListener('click', () => {
        if (opened) {
          opened.remove();
          opened = undefined;
        } else {
          const sub = resultTable(nested.table, l10n.t('{0} of row {1}', table.columns[c] ?? '', r + 1));
          opened = el('tr', { className: 'nested' }, el('td', { attrs: { colspan: String(table.columns.length) } }, sub));
          // Several open cells of one row stack under it in the order they were opened.
          let after: Element = line;
          while (after.nextElementSibling?.classList.contains('nested') && after.nextElementSibling.getAttribute('data-of') === String(r)) after = after.nextElementSibling;
          opened.setAttribute('data-of', String(r));
          after.after(opened);
        }
        toggle.setAttribute('aria-expanded', String(opened !== undefined));
        toggle.textContent = shownText(`${cell ?? ''} ${opened ? '▾' : '▸'}`);
      });
      line.append(el('td', {}, toggle));
    });
    body.append(line);
  });
  return el('table', { className: 'orm-results', attrs: { 'aria-label': label } },
    el('thead', {}, el('tr', {}, ...table.columns.map((name) => el('th', { text: name, attrs: { scope: 'col' } })))),
    body);
}
