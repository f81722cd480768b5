import type { Page } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeAllEditors, row, runCommand, shot, UiStep } from './ui';

/**
 * A team's .vscode/switchboard.json, opened the way a new member opens the repository: VS Code asks whether to
 * trust it. Untrusted, its connections are listed but not connected; once trusted, each member enters their own
 * password once and connects.
 */
export function writeTeamFile(workspace: string, env: Record<string, string>): string {
  const redis = new URL(env['REDIS_URL'] ?? '');
  const file = join(workspace, '.vscode', 'switchboard.json');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(file, `// Connections this team shares. No passwords: each of us enters our own.\n${JSON.stringify({
    profiles: [{ id: 'team-cache', name: 'Team cache', kind: 'redis', host: redis.hostname, port: Number(redis.port), readOnly: true }],
  }, null, 2)}\n`);
  // A script someone committed: in Restricted Mode it must not run, whatever it says.
  writeFileSync(join(workspace, 'cleanup.sql'), 'DROP TABLE IF EXISTS orders;\n');
  return file;
}

const passwordBox = (page: Page) => page.locator('.quick-input-widget').filter({ hasText: 'Password for Team cache' });

export function workspaceTrustSteps(env: Record<string, string>, file: string): UiStep[] {
  const password = decodeURIComponent(new URL(env['REDIS_URL'] ?? '').password);
  return [
    {
      name: 'an untrusted workspace lists its connections, marked restricted, and does not connect them',
      async run(page) {
        // Not yet trusted: VS Code opens the folder in Restricted Mode.
        await page.locator('.statusbar').getByText('Restricted Mode').waitFor({ timeout: 60_000 });
        await page.locator('.part.activitybar [aria-label^="Switchboard"]').first().click();
        await row(page, 'Team cache').waitFor({ timeout: 30_000 });
        await row(page, /workspace · restricted/).waitFor();
        await row(page, 'Team cache').click();
        await row(page, /not trusted: this connection is listed, not connected/).waitFor({ timeout: 15_000 });
        // Connecting from the palette is refused the same way, before any password is asked for.
        await runCommand(page, 'Switchboard: Test Connection');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Team cache' }).first().click();
        await page.locator('.notifications-toasts, .notification-toast').filter({ hasText: 'is not trusted, so it is not connected' }).first().waitFor({ timeout: 15_000 });
        if (await passwordBox(page).isVisible()) throw new Error('a password was asked for in an untrusted workspace');
        await shot(page, '21-workspace-restricted');
      },
    },
    {
      name: 'an untrusted workspace\'s SQL file does not run: Switchboard asks for nothing and says why',
      async run(page) {
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').waitFor();
        await page.keyboard.type('cleanup.sql');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'cleanup.sql' }).first().waitFor();
        await page.keyboard.press('Enter');
        await page.locator('.editor-instance .monaco-editor .view-lines').filter({ hasText: 'DROP TABLE' }).first().click();
        await page.keyboard.press('Control+Enter');
        await page.locator('.notifications-toasts').filter({ hasText: 'which is in Restricted Mode' }).first().waitFor({ timeout: 15_000 });
        // Before anything runs, Switchboard would ask which connection to run it on: it must not get that far.
        if (await page.locator('.quick-input-widget').filter({ hasText: 'Run against which MySQL connection?' }).isVisible()) throw new Error('the untrusted SQL file got as far as choosing a connection');
        await shot(page, '21b-restricted-sql-refused');
        await runCommand(page, 'Notifications: Clear All Notifications');
        await closeAllEditors(page);
      },
    },
    {
      name: 'once the workspace is trusted, the password is asked for once, kept, and not asked again',
      async run(page) {
        await runCommand(page, 'Workspaces: Manage Workspace Trust');
        await page.getByRole('button', { name: /^Trust( Folder)?$/ }).first().click({ timeout: 30_000 });
        // The connection was expanded while restricted: trusted now, it connects, and asks for the password first.
        await passwordBox(page).waitFor({ timeout: 30_000 });
        await shot(page, '22-workspace-password-asked');
        await page.keyboard.type(password);
        await page.keyboard.press('Enter');
        await row(page, /^db0/).waitFor({ timeout: 30_000 });
        // Close the Workspace Trust editor.
        await page.keyboard.press('Escape');
        await page.getByText('You trust this folder').waitFor({ state: 'hidden', timeout: 15_000 });
        await shot(page, '23-workspace-connected');
        // A new window (a new extension host): the saved password is used without a question.
        await runCommand(page, 'Developer: Reload Window');
        await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        // The reloaded window may restore the Switchboard view by itself; clicking its activity bar icon then would
        // close it again, so the view is focused by its command, which only ever opens it.
        await runCommand(page, 'Switchboard: Focus on Connections View');
        await row(page, 'Team cache').waitFor({ timeout: 30_000 });
        if (!(await row(page, /^db0/).isVisible())) await row(page, 'Team cache').click();
        await row(page, /^db0/).waitFor({ timeout: 30_000 });
        if (await passwordBox(page).isVisible()) throw new Error('the password was asked for a second time');
        if (readFileSync(file, 'utf8').includes(password)) throw new Error('the password reached the shared file');
      },
    },
  ];
}
